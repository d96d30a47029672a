from csvql.aggregate import compute, format_number
from csvql.parser import parse_query


def test_numbers_format_whole_or_two_decimals():
    assert [format_number(x) for x in (12.0, 12.5, 10 / 3, 0.999)] == ["12", "12.5", "3.33", "1"]


def test_aggregates_skip_nulls_and_count_star_does_not():
    rows = [{"a": 1.0}, {"a": None}, {"a": 4.0}]
    query = parse_query("SELECT COUNT(*), COUNT(a), AVG(a), MAX(a) FROM t.csv")
    assert [compute(c, rows) for c in query.columns] == ["3", "2", "2.5", "4"]
