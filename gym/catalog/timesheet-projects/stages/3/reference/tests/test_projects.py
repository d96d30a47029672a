import json
from decimal import Decimal

import pytest

from timesheet import store
from timesheet.entries import Entry, EntryError
from timesheet.projects import Project, new_project
from timesheet.summary import by_project, week_of


def test_amounts_are_hours_times_rate_and_unassigned_bills_nothing():
    projects = {"ACME": Project("ACME", "Acme", Decimal("80.00"))}
    entries = [Entry("2024-03-04", Decimal("1.25"), project="ACME"), Entry("2024-03-04", Decimal("2"))]
    assert by_project(entries, projects) == [("(none)", Decimal("2"), Decimal("0.00")),
                                             ("ACME", Decimal("1.25"), Decimal("100.00"))]


def test_iso_weeks_cross_the_year():
    assert week_of("2024-12-30") == "2025-W01"


def test_duplicate_codes_are_refused():
    projects = {"ACME": Project("ACME", "Acme", Decimal("1"))}
    with pytest.raises(EntryError, match="already exists"):
        new_project(projects, "ACME", "Again", "2")


def test_first_version_files_still_load(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"date": "2024-03-04", "hours": "1.50", "note": ""}]))
    sheet = store.load(path)
    assert sheet.entries == [Entry("2024-03-04", Decimal("1.50"))] and sheet.projects == {}
