"""Flat exports of the ledger's current state: csv, json or parquet (pandas).

``grades`` (the default) is the tidy table analysts want: one row per current grade row
with its episode's and run's descriptors alongside. Every column is a plain value (text,
number, boolean or empty): no column is a JSON document, and no two columns share a name
with a suffix (``dimension_status``, ``episode_status`` and ``run_status`` say whose status
it is). The columns of each table are listed in docs/exports.md; that list is the schema.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from reports._data import ReportData
from reports._errors import ReportError

FORMATS = ("csv", "json", "parquet")
TABLES = ("grades", "episodes", "turns", "runs")
#: The run's descriptors every episode, turn and grade row carries.
_RUN_COLUMNS = [
    "run_id",
    "suite",
    "simulated",
    "code_version",
    "model",
    "fleet",
    "knobs",
    "run_status",
]
#: Plain fields of a turn's ledger record, exported as columns (the swarm's report is not).
_TURN_FIELDS = {
    "stage": None,
    "prompt_tokens": 0,
    "completion_tokens": 0,
    "swarm_run_id": "",
    "infra_error": "",
    "message": "",
}


def export_frame(data: ReportData, table: str) -> pd.DataFrame:
    """The frame for one export table (columns as docs/exports.md lists them)."""
    if table not in TABLES:
        raise ReportError(f"unknown export table {table!r}; choose {', '.join(TABLES)}")
    episodes = data.episodes.rename(columns={"status": "episode_status"}).merge(
        data.runs[_RUN_COLUMNS], on="run_id"
    )
    if table == "runs":
        frame = data.runs.drop(columns=["record"], errors="ignore")
    elif table == "episodes":
        frame = episodes
    elif table == "turns":
        frame = _turns(data).merge(episodes[["episode_id", "task"]], on="episode_id")
    else:
        frame = _grades(data, episodes)
    return _flatten(frame.reset_index(drop=True))


def _turns(data: ReportData) -> pd.DataFrame:
    turns = data.turns.copy()
    records = [_record(r) for r in turns.get("record", pd.Series([None] * len(turns)))]
    for name, default in _TURN_FIELDS.items():
        turns[name] = [r.get(name, default) for r in records]
    return turns.drop(columns=["record"], errors="ignore")


def _record(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(value) if isinstance(value, str | bytes) else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _grades(data: ReportData, episodes: pd.DataFrame) -> pd.DataFrame:
    frame = (
        data.grades.drop(columns="run_id")
        .rename(columns={"status": "dimension_status"})
        .merge(episodes, on="episode_id")
        .merge(
            data.grade_sets[["episode_id", "turn", "verdict", "grader"]].rename(
                columns={"verdict": "turn_verdict"}
            ),
            on=["episode_id", "turn"],
            how="left",
        )
    )
    found = data.findings(sorted(set(frame.episode_id)))
    lists = [
        _findings(found.get((e, t, d)))
        for e, t, d in zip(frame.episode_id, frame.turn, frame.dimension, strict=True)
    ]
    frame["findings_count"] = [len(items) for items in lists]
    frame["findings"] = [" | ".join(items) for items in lists]
    return frame


def _findings(raw: str | None) -> list[str]:
    """A grade row's findings as ``code: message`` lines (one line each, no JSON)."""
    try:
        items = json.loads(raw) if raw else []
    except ValueError:
        return []
    lines = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            where = (
                f" ({item['file']}:{item['line']})" if item.get("file") and item.get("line") else ""
            )
            lines.append(
                f"{item.get('code', '')}: {item.get('message', '')}{where}".replace("\n", " ")
            )
    return lines


def _flatten(frame: pd.DataFrame) -> pd.DataFrame:
    """A last guard: a nested value left in any column becomes plain text, never JSON."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, dict | list)).any():
            frame[column] = frame[column].map(_plain)
    return frame


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def write_export(frame: pd.DataFrame, fmt: str, out: Path | None) -> None:
    """Write ``frame`` as ``fmt`` to ``out`` (stdout for csv/json when None)."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown export format {fmt!r}; choose {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None:
            raise ReportError("parquet is binary: give --out FILE")
        try:
            frame.to_parquet(out, index=False)
        except ImportError as exc:
            raise ReportError(f"parquet export needs pyarrow ({exc})") from None
        return
    target = out if out is not None else sys.stdout
    if fmt == "csv":
        frame.to_csv(target, index=False)
    else:
        frame.to_json(target, orient="records", date_format="iso", indent=1)
        if out is None:
            sys.stdout.write("\n")
