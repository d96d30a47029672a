"""Render per-student results as text, CSV or JSON."""

import csv
import io
import json

from grades.letters import letter_for


def rows(results: dict[str, float]) -> list[tuple[str, float, str]]:
    """(student, percentage rounded to 1 decimal, letter)."""
    return [(student, round(value, 1), letter_for(value)) for student, value in results.items()]


def as_text(results: dict[str, float]) -> str:
    """``NAME: 87.5% B`` lines."""
    return "".join(f"{s}: {results[s]:.1f}% {letter}\n" for s, _, letter in rows(results))


def as_csv(results: dict[str, float]) -> str:
    """Header ``student,percent,letter``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", "percent", "letter"])
    writer.writerows((s, f"{results[s]:.1f}", letter) for s, _, letter in rows(results))
    return out.getvalue()


def as_json(results: dict[str, float]) -> str:
    """A list of ``{"student", "percent", "letter"}``."""
    data = [{"student": s, "percent": p, "letter": letter} for s, p, letter in rows(results)]
    return json.dumps(data, indent=2) + "\n"


FORMATS = {"text": as_text, "csv": as_csv, "json": as_json}
