"""Load the ledger's current state into pandas frames, once, for every report section.

One bulk query per table keeps a 10,000-episode ledger fast; each run gets its
configuration keys (model, fleet, knobs, config) so sections can group by any of them.
Every frame carries ``run_id`` so restricting to runs is a filter on a handful of values.
Findings (the bulky part of a grade) are read only for the episodes a report shows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ledger import Ledger

GROUP_KEYS = ("config", "model", "fleet", "knobs")

_RUNS = (
    "SELECT r.id AS run_id, r.started_at, r.suite, r.simulated, r.code_version, r.seed,"
    " r.record, s.status AS run_status FROM runs r"
    " JOIN current_run_status s ON s.run_id = r.id"
)
_EPISODES = (
    "SELECT e.id AS episode_id, e.run_id, e.started_at, e.task, e.archetype, e.persona, e.seed,"
    " s.status, s.final_verdict,"
    " COALESCE(json_array_length(e.record, '$.invention_rejections'), 0) AS invention_rejections"
    " FROM episodes e"
    " JOIN current_episode_status s ON s.episode_id = e.id"
)
_TURNS = (
    "SELECT t.id AS turn_row, t.episode_id, e.run_id, t.turn, t.move, t.swarm_status,"
    " t.exit_code, t.elapsed_ms, t.record"
    " FROM current_turns t JOIN episodes e ON e.id = t.episode_id"
)
_GRADES = (
    "SELECT d.episode_id, e.run_id, d.turn, d.dimension, d.score, d.status, d.source"
    " FROM current_grades d JOIN episodes e ON e.id = d.episode_id"
)
_GRADE_SETS = (
    "SELECT g.episode_id, e.run_id, g.turn, g.verdict, g.tampered, g.grader"
    " FROM current_grade_sets g JOIN episodes e ON e.id = g.episode_id"
)
_ARTIFACTS = (
    "SELECT a.episode_id, e.run_id, a.turn, a.kind, a.path, a.sha256, a.size"
    " FROM artifacts a JOIN episodes e ON e.id = a.episode_id ORDER BY a.id"
)
_FINDINGS = "SELECT episode_id, turn, dimension, findings FROM current_grades WHERE episode_id IN"
_EXPERIMENTS = "SELECT id, name, recorded_at, decision, simulated, record FROM current_experiments"


@dataclass
class ReportData:
    """The current ledger state as frames (one row per run / episode / turn / grade row)."""

    #: Per run: current status, the GROUP_KEYS columns, label, brain and the parsed record.
    runs: pd.DataFrame
    #: Per episode: current status and verdict, ``passed`` and ``complete`` flags, the opening
    #: turn's verdict ``first_verdict`` (None when it was not graded) and ``turns_to_green``
    #: (the first turn graded pass; NaN when none was) and ``invention_rejections`` (how many
    #: invented tasks the self-test refused before the episode's own).
    episodes: pd.DataFrame
    #: Per current turn row: move, the swarm's claim, exit code, elapsed_ms, record JSON.
    turns: pd.DataFrame
    #: Per current (episode, turn, dimension): score 0..1, status, source; no findings.
    grades: pd.DataFrame
    #: Per graded turn: verdict, tampered flag and grader.
    grade_sets: pd.DataFrame
    #: Every stored artifact, in store order.
    artifacts: pd.DataFrame
    #: Current tweaker experiments; :meth:`restrict` keeps them all.
    experiments: pd.DataFrame
    #: Where :meth:`findings` reads from; None = no findings are available.
    ledger: Ledger | None = None

    def restrict(self, run_ids: Sequence[str]) -> ReportData:
        """The same data limited to ``run_ids`` (and their episodes)."""
        run_ids = list(run_ids)
        return ReportData(
            **{
                name: _only(getattr(self, name), run_ids)
                for name in ("runs", "episodes", "turns", "grades", "grade_sets", "artifacts")
            },
            experiments=self.experiments,
            ledger=self.ledger,
        )

    def findings(self, episode_ids: Sequence[str]) -> dict[tuple[str, int, str], str]:
        """(episode, turn, dimension) -> findings JSON, for the given episodes only."""
        if self.ledger is None or not episode_ids:
            return {}
        out: dict[tuple[str, int, str], str] = {}
        ids = list(episode_ids)
        for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            sql = f"{_FINDINGS} ({','.join('?' * len(chunk))})"
            for row in self.ledger.query(sql, chunk):
                out[(row["episode_id"], row["turn"], row["dimension"])] = row["findings"]
        return out

    def partition(self, simulated: bool) -> ReportData:
        """Only simulated or only real runs: the two are never compared with each other."""
        return self.restrict(list(self.runs[self.runs.simulated == simulated].run_id))


def _only(frame: pd.DataFrame, run_ids: list[str]) -> pd.DataFrame:
    return frame[frame.run_id.isin(run_ids)]


def _frame(ledger: Ledger, sql: str) -> pd.DataFrame:
    columns, rows = ledger.query_table(sql)
    return pd.DataFrame.from_records(rows, columns=columns)


def load(ledger: Ledger, run_ids: Sequence[str] | None = None) -> ReportData:
    """Read every current row of the ledger into frames (restricted to ``run_ids`` if given)."""
    tables = {
        name: _frame(ledger, sql)
        for name, sql in (
            ("runs", _RUNS),
            ("episodes", _EPISODES),
            ("turns", _TURNS),
            ("grades", _GRADES),
            ("grade_sets", _GRADE_SETS),
            ("artifacts", _ARTIFACTS),
            ("experiments", _EXPERIMENTS),
        )
    }
    tables["runs"] = _with_config_keys(tables["runs"])
    tables["episodes"]["passed"] = tables["episodes"].final_verdict == "pass"
    tables["episodes"]["complete"] = tables["episodes"].status == "finished"
    tables["episodes"] = _with_turn_figures(tables["episodes"], tables["grade_sets"])
    tables["runs"]["simulated"] = tables["runs"].simulated.astype(bool)
    tables["experiments"]["simulated"] = tables["experiments"].simulated.astype(bool)
    data = ReportData(**tables, ledger=ledger)
    return data.restrict(run_ids) if run_ids is not None else data


def _with_turn_figures(episodes: pd.DataFrame, grade_sets: pd.DataFrame) -> pd.DataFrame:
    """Add ``first_verdict`` and ``turns_to_green`` to each episode from its graded turns.

    Read from the grade sets, not the episode's closing status: an episode that ended on an
    infrastructure error keeps the verdicts of the turns it had graded.
    """
    episodes = episodes.copy()
    opening = grade_sets[grade_sets.turn == 1].drop_duplicates("episode_id", keep="last")
    first = dict(zip(opening.episode_id, opening.verdict, strict=True))
    green = grade_sets[grade_sets.verdict == "pass"].groupby("episode_id").turn.min()
    episodes["first_verdict"] = [first.get(e) for e in episodes.episode_id]
    episodes["turns_to_green"] = episodes.episode_id.map(green).astype(float)
    return episodes


def _with_config_keys(runs: pd.DataFrame) -> pd.DataFrame:
    runs = runs.copy()
    records = [json.loads(r) for r in runs.record]
    runs["model"] = [model_key(r) for r in records]
    runs["fleet"] = [fleet_key(r) for r in records]
    runs["knobs"] = [knobs_key(r) for r in records]
    runs["config"] = [f"{f} | {k}" for f, k in zip(runs.fleet, runs.knobs, strict=True)]
    runs["label"] = [r.get("label", "") for r in records]
    runs["brain"] = [(r.get("brain") or {}).get("url", "") for r in records]
    return runs.drop(columns=["record"]).assign(record=records)


def model_key(record: dict[str, Any]) -> str:
    """The fleet's models, sorted and joined: 'qwen-7b+qwen-14b'."""
    models = sorted({n.get("model") or n.get("url", "?") for n in record.get("fleet", [])})
    return "+".join(models) or "(no fleet)"


def fleet_key(record: dict[str, Any]) -> str:
    """Every node as model@url x weight, in fleet order."""
    nodes = record.get("fleet", [])
    parts = [f"{n.get('model') or '?'}@{n.get('url', '?')}x{n.get('weight', 1)}" for n in nodes]
    return ", ".join(parts) or "(no fleet)"


def knobs_key(record: dict[str, Any]) -> str:
    """Non-default knobs as k=v, sorted; 'defaults' when none."""
    knobs = record.get("knobs") or {}
    return " ".join(f"{k}={json.dumps(v)}" for k, v in sorted(knobs.items())) or "defaults"
