from jpath.engine import run_query
from jpath.query import parse_query

BOOKS = {"b": [{"p": 5, "t": "x"}, {"p": 15, "t": "y", "i": 1}, {"p": "n/a"}]}


def values(query):
    return [v for _, v in run_query(parse_query(query), BOOKS)]


def test_comparison_and_existence():
    assert values("$.b[?(@.p < 10)].t") == ["x"]
    assert values("$.b[?(@.i)].t") == ["y"]


def test_and_binds_tighter_than_or_and_mixed_types_are_false():
    assert values("$.b[?(@.p > 100 && @.i || @.t == 'x')].p") == [5]
    assert values("$.b[?(@.t > 3)]") == []
