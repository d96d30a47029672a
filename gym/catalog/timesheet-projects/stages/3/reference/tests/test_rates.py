from decimal import Decimal

from timesheet.entries import Entry
from timesheet.projects import Project
from timesheet.summary import by_project


def test_each_entry_is_billed_at_the_rate_in_force_on_its_date():
    project = Project("ACME", "Acme", Decimal("80.00")).with_change("2024-03-11", Decimal("90.00"))
    entries = [Entry("2024-03-10", Decimal("1"), project="ACME"), Entry("2024-03-11", Decimal("1"), project="ACME")]
    assert by_project(entries, {"ACME": project}) == [("ACME", Decimal("2"), Decimal("170.00"))]
    assert project.latest_rate() == Decimal("90.00")


def test_a_second_change_on_the_same_day_replaces_the_first():
    project = Project("A", "A", Decimal("1")).with_change("2024-01-01", Decimal("2")).with_change("2024-01-01", Decimal("3"))
    assert project.changes == (("2024-01-01", Decimal("3")),)
