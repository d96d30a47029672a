import pytest

from csvql.engine import holds, sort_rows
from csvql.errors import QuerySyntaxError
from csvql.parser import parse_query


def test_and_binds_tighter_than_or():
    where = parse_query("SELECT * FROM t.csv WHERE a = 1 OR b = 2 AND c = 3").where
    assert where.op == "OR" and where.right.op == "AND"


def test_mixed_types_and_nulls_never_match():
    cond = parse_query("SELECT * FROM t.csv WHERE a > 5").where
    assert holds(cond, {"a": 7.0}) and not holds(cond, {"a": "x"}) and not holds(cond, {"a": None})


def test_numbers_sort_before_text_and_nulls_last_both_ways():
    rows = [{"a": "b"}, {"a": None}, {"a": 10.0}, {"a": 9.0}]
    assert sort_rows([0, 1, 2, 3], rows, "a", False) == [3, 2, 0, 1]
    assert sort_rows([0, 1, 2, 3], rows, "a", True) == [0, 2, 3, 1]


def test_syntax_errors_name_the_column():
    with pytest.raises(QuerySyntaxError, match="column 8"):
        parse_query("SELECT FROM t.csv")
