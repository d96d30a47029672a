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
    eps = data.episodes.sort_values(["started_at", "episode_id"], ascending=False).head(limit)
    keep = set(eps.episode_id)
    simulated = dict(zip(data.runs.run_id, data.runs.simulated, strict=True))
    turns = _by_episode(data.turns, keep)
    grades = _by_episode(data.grades, keep)
    arts = _by_episode(data.artifacts, keep)
    verdicts = {
        (r["episode_id"], r["turn"]): r["verdict"]
        for rows in _by_episode(data.grade_sets, keep).values()
        for r in rows
    }
    findings = data.findings(sorted(keep))
    details = []
    for e in eps.to_dict("records"):
        detail = EpisodeDetail(
            e["episode_id"],
            e["run_id"],
            e["task"],
            e["archetype"],
            e["persona"],
            int(e["seed"]),
            e["status"],
            e["final_verdict"] or "—",
            bool(simulated[e["run_id"]]),
        )
        detail.turns = _turns(
            turns.get(e["episode_id"], []), grades.get(e["episode_id"], []), verdicts, findings
        )
        detail.artifacts = [_link(a, gym_dir, out_dir) for a in arts.get(e["episode_id"], [])]
        details.append(detail)
    return details


def _by_episode(frame: pd.DataFrame, keep: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of ``frame`` for the kept episodes as plain dicts, grouped by episode id."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in frame[frame.episode_id.isin(keep)].to_dict("records"):
        grouped.setdefault(row["episode_id"], []).append(row)
    return grouped


def _turns(
    turns: list[dict[str, Any]],
    grades: list[dict[str, Any]],
    verdicts: dict[tuple[str, int], str],
    findings: dict[tuple[str, int, str], str],
) -> list[TurnDetail]:
    out = []
    for t in sorted(turns, key=lambda r: r["turn"]):
        record = json.loads(t["record"])
        exit_code = t["exit_code"]
        out.append(
            TurnDetail(
                int(t["turn"]),
                t["move"],
                record.get("message", ""),
                t["swarm_status"],
                None if exit_code is None or pd.isna(exit_code) else int(exit_code),
                float(t["elapsed_ms"]) / 1000,
                verdicts.get((t["episode_id"], t["turn"]), "—"),
                _dimensions([g for g in grades if g["turn"] == t["turn"]], findings),
            )
        )
    return out


def _link(a: dict[str, Any], gym_dir: Path, out_dir: Path) -> ArtifactLink:
    href = os.path.relpath(gym_dir / a["path"], out_dir).replace(os.sep, "/")
    turn = None if a["turn"] is None or pd.isna(a["turn"]) else int(a["turn"])
    return ArtifactLink(a["kind"], turn, href, a["sha256"], int(a["size"]))


def _dimensions(
    rows: list[dict[str, Any]], findings: dict[tuple[str, int, str], str]
) -> list[DimensionDetail]:
    by_name = {r["dimension"]: r for r in rows}
    out = []
    for name in dimension_order(by_name):
        row = by_name[name]
        raw = findings.get((row["episode_id"], row["turn"], name), "[]")
        out.append(
            DimensionDetail(
                name, float(row["score"]), row["status"], row["source"], json.loads(raw)
            )
        )
    return out
