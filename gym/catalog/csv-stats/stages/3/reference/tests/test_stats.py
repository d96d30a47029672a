from csvstats.reader import numeric_columns
from csvstats.stats import summarize


def test_summary_uses_sample_stdev_and_true_median():
    s = summarize([1.0, 2.0, 3.0, 4.0])
    assert (s.count, s.sum, s.mean, s.median, s.min, s.max) == (4, 10.0, 2.5, 2.5, 1.0, 4.0)
    assert round(s.stdev, 4) == 1.291


def test_single_value_has_no_stdev():
    assert summarize([5.0]).stdev is None


def test_blank_cells_are_skipped_and_text_columns_dropped():
    cols = {"n": ["1", "", "3"], "name": ["a", "b", "c"], "mixed": ["1", "x", ""]}
    assert numeric_columns(cols) == {"n": [1.0, 3.0]}
