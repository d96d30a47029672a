"""The data file: ``{"projects": [...], "entries": [...]}``, written atomically.

Files from the first version hold a bare list of entries; they load with no projects and
are rewritten in the new form on the next change.
"""

import json
import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from timesheet.entries import Entry, EntryError
from timesheet.projects import Project

DATA_FILE = Path("timesheet.json")


@dataclass
class Sheet:
    """Projects by code and entries in the order logged."""

    projects: dict[str, Project] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)


def load(path: Path = DATA_FILE) -> Sheet:
    """The sheet in ``path``; empty when the file does not exist."""
    if not path.exists():
        return Sheet()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, list):
            data = {"projects": [], "entries": data}
        projects = {p["code"]: Project(p["code"], p["name"], Decimal(p["rate"]),
                                       tuple((c["from"], Decimal(c["rate"])) for c in p.get("changes", [])))
                    for p in data["projects"]}
        entries = [Entry(e["date"], Decimal(e["hours"]), e.get("note", ""), e.get("project", ""))
                   for e in data["entries"]]
    except (ValueError, KeyError, TypeError, InvalidOperation):
        raise EntryError(f"{path} is damaged") from None
    return Sheet(projects, entries)


def save(sheet: Sheet, path: Path = DATA_FILE) -> None:
    """Write via a temporary file and a rename."""
    data = {
        "projects": [{"code": p.code, "name": p.name, "rate": str(p.rate),
                      "changes": [{"from": start, "rate": str(rate)} for start, rate in p.changes]}
                     for p in sheet.projects.values()],
        "entries": [{"date": e.date, "hours": str(e.hours), "note": e.note, "project": e.project}
                    for e in sheet.entries],
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
