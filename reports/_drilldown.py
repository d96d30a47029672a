"""Episode drill-down: turns, moves, every dimension with its findings, artifact links.

Everything shown here may have come from a model (messages, findings, file names): it is
passed to the template as plain strings and escaped there, never marked safe.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from reports._leaderboard import dimension_order


@dataclass
class DimensionDetail:
    """One dimension of one turn."""

    name: str
    score: float
    status: str
    source: str
    findings: list[dict[str, Any]]


@dataclass
class TurnDetail:
    """One turn with its grade."""

    turn: int
    move: str
    message: str
    swarm_status: str
    exit_code: int | None
    elapsed_s: float
    verdict: str
    dimensions: list[DimensionDetail] = field(default_factory=list)


@dataclass
class ArtifactLink:
    """A link from the report to a stored artifact (relative to the report file)."""

    kind: str
    turn: int | None
    href: str
    sha256: str
    size: int


@dataclass
class EpisodeDetail:
    """One episode as the drill-down shows it."""

    episode_id: str
    run_id: str
    task: str
    archetype: str
    persona: str
    seed: int
    status: str
    verdict: str
    simulated: bool
    turns: list[TurnDetail] = field(default_factory=list)
    artifacts: list[ArtifactLink] = field(default_factory=list)


def episode_details(data: Any, gym_dir: Path, out_dir: Path, limit: int) -> list[EpisodeDetail]:
    """The ``limit`` most recent episodes in detail (newest first)."""
    runs = data.runs.set_index("run_id")
    eps = data.episodes.sort_values(["started_at", "episode_id"], ascending=False).head(limit)
    keep = set(eps.episode_id)
    turns = data.turns[data.turns.episode_id.isin(keep)]
    grades = data.grades[data.grades.episode_id.isin(keep)]
    sets = data.grade_sets[data.grade_sets.episode_id.isin(keep)]
    arts = data.artifacts[data.artifacts.episode_id.isin(keep)]
    by_ep = {k: g for k, g in grades.groupby("episode_id")}
    verdicts = {(r.episode_id, r.turn): r.verdict for r in sets.itertuples()}
    turns_by_ep = {k: g for k, g in turns.groupby("episode_id")}
    arts_by_ep = {k: g for k, g in arts.groupby("episode_id")}
    return [
        _episode(e, bool(runs.loc[e.run_id, "simulated"]), turns_by_ep.get(e.episode_id),
                 by_ep.get(e.episode_id), verdicts, arts_by_ep.get(e.episode_id), gym_dir, out_dir)
        for e in eps.itertuples()
    ]


def _episode(e: Any, simulated: bool, turns: pd.DataFrame | None, grades: pd.DataFrame | None,
             verdicts: dict[tuple[str, int], str], arts: pd.DataFrame | None, gym_dir: Path,
             out_dir: Path) -> EpisodeDetail:
    detail = EpisodeDetail(e.episode_id, e.run_id, e.task, e.archetype, e.persona, int(e.seed),
                           e.status, e.final_verdict or "—", simulated)
    for t in (turns.sort_values("turn").itertuples() if turns is not None else []):
        record = json.loads(t.record)
        turn = TurnDetail(int(t.turn), t.move, record.get("message", ""), t.swarm_status,
                          None if pd.isna(t.exit_code) else int(t.exit_code),
                          float(t.elapsed_ms) / 1000, verdicts.get((e.episode_id, t.turn), "—"))
        if grades is not None:
            turn.dimensions = _dimensions(grades[grades.turn == t.turn])
        detail.turns.append(turn)
    for a in (arts.itertuples() if arts is not None else []):
        href = os.path.relpath(gym_dir / a.path, out_dir).replace(os.sep, "/")
        turn_no = None if pd.isna(a.turn) else int(a.turn)
        detail.artifacts.append(ArtifactLink(a.kind, turn_no, href, a.sha256, int(a.size)))
    return detail


def _dimensions(rows: pd.DataFrame) -> list[DimensionDetail]:
    by_name = {r.dimension: r for r in rows.itertuples()}
    return [
        DimensionDetail(name, float(by_name[name].score), by_name[name].status,
                        by_name[name].source, json.loads(by_name[name].findings))
        for name in dimension_order(by_name)
    ]
