from datetime import datetime

import pytest

from cronx.fields import CronError, FIELDS, parse_field
from cronx.schedule import next_times, parse


def test_steps_ranges_lists_and_names():
    assert parse_field("*/15", FIELDS[0]) == {0, 15, 30, 45}
    assert parse_field("1-5/2,10", FIELDS[1]) == {1, 3, 5, 10}
    assert parse_field("mon-fri", FIELDS[4]) == {1, 2, 3, 4, 5}
    assert parse_field("7", FIELDS[4]) == {0}


def test_day_fields_are_or_ed_when_both_restricted():
    times = next_times(parse("0 9 13 * FRI"), datetime(2024, 9, 1), 3)
    assert [t.day for t in times] == [6, 13, 20]


def test_invalid_expressions():
    for text in ("* * *", "60 * * * *", "* * 0 * *", "5-1 * * * *", "*/0 * * * *", "0 0 31 2 *"):
        with pytest.raises(CronError):
            next_times(parse(text), datetime(2024, 1, 1), 1)


def test_leap_day_repeats_every_four_years():
    times = next_times(parse("0 0 29 2 *"), datetime(2024, 3, 1), 2)
    assert [t.year for t in times] == [2028, 2032]


def test_last_day_of_month_and_macros():
    times = next_times(parse("0 18 L * *"), datetime(2024, 1, 31, 19, 0), 2)
    assert [(t.month, t.day) for t in times] == [(2, 29), (3, 31)]
    assert parse("@daily") == parse("0 0 * * *")
