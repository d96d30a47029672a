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


def test_recursive_descent_is_preorder():
    assert values("$..b") == [0, 1, 2, 3]


def test_bad_query_names_the_column():
    with pytest.raises(QuerySyntaxError, match="column 3"):
        parse_query("$.[")
