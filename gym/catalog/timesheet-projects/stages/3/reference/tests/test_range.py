from decimal import Decimal

import pytest

from timesheet.__main__ import in_range
from timesheet.entries import Entry, EntryError

ENTRIES = [Entry("2024-03-01", Decimal("1")), Entry("2024-03-05", Decimal("2")), Entry("2024-03-09", Decimal("3"))]


def test_bounds_are_inclusive_and_optional():
    assert [e.date for e in in_range(ENTRIES, "2024-03-05", None)] == ["2024-03-05", "2024-03-09"]
    assert [e.date for e in in_range(ENTRIES, None, "2024-03-05")] == ["2024-03-01", "2024-03-05"]


def test_reversed_range_is_an_error():
    with pytest.raises(EntryError):
        in_range(ENTRIES, "2024-03-09", "2024-03-01")
