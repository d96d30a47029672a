from jpath.engine import run_query
from jpath.output import render
from jpath.query import parse_query


def test_paths_are_normalized_with_escaped_quotes():
    matches = run_query(parse_query("$..*"), {"it's": [True]})
    assert render(matches, "paths") == "$['it\\'s']\n$['it\\'s'][0]\n"


def test_count_and_first():
    matches = run_query(parse_query("$[*]"), [1, 2, 3])
    assert render(matches, "count") == "3\n"
    assert render(matches, "first") == "1\n"
