from wordfreq.counting import top_words, words


def test_words_ignore_case_punctuation_and_digits():
    assert words("Don't stop! STOP, 42 times_x") == ["don't", "stop", "stop", "times", "x"]


def test_ties_are_alphabetical_and_n_limits():
    assert top_words("b a c b a", 2) == [("a", 2), ("b", 2)]


def test_min_length_drops_short_words():
    assert top_words("a an the tiger", 5, min_length=3) == [("the", 1), ("tiger", 1)]


def test_json_output_keeps_order():
    import json

    from wordfreq.output import as_json

    assert json.loads(as_json([("b", 2), ("a", 1)])) == [{"word": "b", "count": 2}, {"word": "a", "count": 1}]


def test_curly_apostrophes_and_accents_are_one_word():
    assert words("Don\u2019t don't CAF\u00c9 cafe\u0301") == ["don't", "don't", "caf\u00e9", "caf\u00e9"]
