"""Entry rules every version must keep."""

from decimal import Decimal

import pytest

from timesheet.entries import EntryError, parse_date, parse_hours
from timesheet.summary import hours_by_date
from timesheet.entries import Entry


def test_hours_are_quarter_steps_up_to_a_day():
    assert parse_hours("7.5") == Decimal("7.50")
    for bad in ("0", "25", "1.1", "x"):
        with pytest.raises(EntryError):
            parse_hours(bad)


def test_dates_must_be_iso():
    assert parse_date("2024-03-04") == "2024-03-04"
    with pytest.raises(EntryError):
        parse_date("04/03/2024")


def test_hours_add_up_per_date():
    entries = [Entry("2024-03-05", Decimal("2")), Entry("2024-03-04", Decimal("1.5")), Entry("2024-03-05", Decimal("0.25"))]
    assert hours_by_date(entries) == [("2024-03-04", Decimal("1.5")), ("2024-03-05", Decimal("2.25"))]
