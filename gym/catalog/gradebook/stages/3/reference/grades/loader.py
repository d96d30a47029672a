"""Read score rows from a CSV file with columns student,assignment,score,max[,category]."""

import csv
from dataclasses import dataclass
from pathlib import Path


class GradesError(Exception):
    """Input that cannot be graded; printed as one line by the CLI."""


@dataclass(frozen=True)
class Score:
    """One graded assignment of one student."""

    student: str
    assignment: str
    score: float
    max: float
    category: str = ""


def _score(line: int, row: dict) -> Score:
    try:
        score, maximum = float(row["score"]), float(row["max"])
    except (TypeError, ValueError):
        raise GradesError(f"line {line}: score and max must be numbers") from None
    if maximum <= 0 or not 0 <= score <= maximum:
        raise GradesError(f"line {line}: score must be between 0 and max, max above 0")
    category = (row.get("category") or "").strip().lower()
    return Score(row["student"].strip(), row["assignment"].strip(), score, maximum, category)


def load_scores(path: Path) -> list[Score]:
    """Every row of the file, validated."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise GradesError(f"cannot read {path}: {exc.strerror}") from None
    missing = {"student", "assignment", "score", "max"} - set(rows[0] if rows else {})
    if rows and missing:
        raise GradesError(f"missing column(s): {', '.join(sorted(missing))}")
    return [_score(i, row) for i, row in enumerate(rows, start=2)]
