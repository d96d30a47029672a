import pytest

from jpath.engine import run_query
from jpath.errors import QuerySyntaxError
from jpath.query import parse_query

DOC = {"a": [{"b": 1}, {"b": 2, "c": {"b": 3}}], "b": 0}


def values(query):
    return [v for _, v in run_query(parse_query(query), DOC)]


def test_children_indices_and_slices():
    assert values("$.a[1].b") == [2]
    assert values("$.a[-1]['b']") == [2]
    assert values("$.a[0:1]") == [{"b": 1}]


def test_recursive_segments_are_marked():
    assert parse_query("$..b")[0].recursive is True


def test_bad_query_names_the_column():
    with pytest.raises(QuerySyntaxError, match="column 3"):
        parse_query("$.[")
