from wordfreq.counting import top_words, words


def test_words_ignore_case_punctuation_and_digits():
    assert words("Don't stop! STOP, 42 times_x") == ["don't", "stop", "stop", "times", "x"]


def test_ties_are_alphabetical_and_n_limits():
    assert top_words("b a c b a", 2) == [("a", 2), ("b", 2)]
