from wordfreq.counting import top_words, words


def test_words_ignore_punctuation_and_digits():
    assert words("Don't stop! 42 times_x") == ["Don't", "stop", "times", "x"]


def test_most_frequent_first_and_n_limits():
    assert top_words("b a b c", 1) == [("b", 2)]
