"""Flat exports of the ledger's current state: csv, json or parquet (pandas).

``grades`` (the default) is the tidy table analysts want: one row per current grade row
with its episode's and run's descriptors alongside. Nested values (findings, swarm
reports, run records) are exported as JSON strings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from reports._data import ReportData
from reports._errors import ReportError

FORMATS = ("csv", "json", "parquet")
TABLES = ("grades", "episodes", "turns", "runs")
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


def export_frame(data: ReportData, table: str) -> pd.DataFrame:
    """The frame for one export table."""
    if table not in TABLES:
        raise ReportError(f"unknown export table {table!r}; choose {', '.join(TABLES)}")
    episodes = data.episodes.merge(data.runs[_RUN_COLUMNS], on="run_id")
    if table == "runs":
        frame = data.runs
    elif table == "episodes":
        frame = episodes
    elif table == "turns":
        frame = data.turns.merge(episodes[["episode_id", "task"]], on="episode_id")
    else:
        frame = (
            data.grades.drop(columns="run_id")
            .merge(episodes, on="episode_id")
            .merge(
                data.grade_sets[["episode_id", "turn", "verdict", "grader"]],
                on=["episode_id", "turn"],
                how="left",
            )
        )
        findings = data.findings(sorted(set(frame.episode_id)))
        frame["findings"] = [
            findings.get((e, t, d), "[]")
            for e, t, d in zip(frame.episode_id, frame.turn, frame.dimension, strict=True)
        ]
    return _flatten(frame.reset_index(drop=True))


def _flatten(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, dict | list)).any():
            frame[column] = frame[column].map(json.dumps)
    return frame


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
