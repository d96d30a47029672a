"""Episode drill-down: turns, moves, grades with findings, and the evidence behind them.

Everything shown here may have come from a model (messages, findings, file names, produced
code, transcripts): it is passed to the template as plain strings and escaped there; the
only HTML built outside the template is pygments' highlighting, which escapes the source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ledger import ArtifactError, ArtifactRef, Ledger
from reports._leaderboard import dimension_order
from reports.evidence import (
    ArtifactPlacement,
    TurnEvidence,
    code_css,
    data_href,
    episode_evidence,
    placement,
    relative_href,
)
from reports.timeline import turn_gantts

#: Episodes (newest first) whose code, diffs and transcripts are put in the page.
EVIDENCE_MAX_EPISODES = 25


@dataclass
class FindingView:
    """One finding, with a link into the turn's code view when it names a file we show."""

    severity: str
    code: str
    file: str
    line: str
    message: str
    href: str | None = None


@dataclass
class DimensionDetail:
    """One dimension of one turn."""

    name: str
    score: float
    status: str
    source: str
    findings: list[FindingView]


@dataclass
class TurnDetail:
    """One turn with its grade, its cost and (for recent episodes) its evidence."""

    turn: int
    move: str
    message: str
    swarm_status: str
    exit_code: int | None
    elapsed_s: float
    verdict: str
    dimensions: list[DimensionDetail] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: The swarm's reported cost in USD; None when it reported none (local models).
    cost_usd: float | None = None
    evidence: TurnEvidence | None = None
    #: The turn's per-device Gantt timeline (reports.timeline), when one was stored.
    gantt: Any = None


@dataclass
class ArtifactLink:
    """A link from the report to a stored artifact (relative, or a bundled data: URI)."""

    kind: str
    turn: int | None
    href: str | None
    sha256: str
    size: int
    name: str = ""
    #: Why there is no link ('' when there is one).
    note: str = ""


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
    #: Dimensions graded other than pass in some turn (the page's dimension filter).
    flagged_dimensions: list[str] = field(default_factory=list)


@dataclass
class Filters:
    """The values each drill-down filter offers, sorted."""

    tasks: list[str]
    personas: list[str]
    archetypes: list[str]
    verdicts: list[str]
    dimensions: list[str]


def episode_context(
    data: Any,
    ledger: Ledger,
    out_dir: Path,
    limit: int,
    *,
    bundle: bool = False,
    served: bool = False,
    evidence_limit: int = EVIDENCE_MAX_EPISODES,
) -> dict[str, Any]:
    """The template variables of the drill-down: episodes, filters, artifact placement, CSS."""
    where = placement(ledger.gym_dir, out_dir, bundle=bundle, served=served)
    episodes = episode_details(data, ledger, out_dir, limit, where, evidence_limit)
    return {
        "episodes": episodes,
        "episode_filters": _filters(episodes),
        "artifact_placement": where,
        "evidence_limit": min(evidence_limit, len(episodes)),
        "code_css": code_css(),
    }


def episode_details(
    data: Any,
    ledger: Ledger,
    out_dir: Path,
    limit: int,
    where: ArtifactPlacement | None = None,
    evidence_limit: int = EVIDENCE_MAX_EPISODES,
) -> list[EpisodeDetail]:
    """The ``limit`` most recent episodes in detail (newest first)."""
    where = where or placement(ledger.gym_dir, out_dir, bundle=False, served=False)
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
    for n, e in enumerate(eps.to_dict("records")):
        eid = e["episode_id"]
        evidence = episode_evidence(ledger, eid, arts.get(eid, [])) if n < evidence_limit else {}
        detail = EpisodeDetail(
            eid,
            e["run_id"],
            e["task"],
            e["archetype"],
            e["persona"],
            int(e["seed"]),
            e["status"],
            e["final_verdict"] or "—",
            bool(simulated[e["run_id"]]),
        )
        detail.turns = _turns(turns.get(eid, []), grades.get(eid, []), verdicts, findings, evidence)
        gantts = turn_gantts(ledger, eid, arts.get(eid, [])) if n < evidence_limit else {}
        for turn in detail.turns:
            turn.gantt = gantts.get(turn.turn)
        detail.artifacts = [_link(a, ledger, out_dir, where) for a in arts.get(eid, [])]
        detail.flagged_dimensions = sorted(
            {d.name for t in detail.turns for d in t.dimensions if d.status != "pass"}
        )
        details.append(detail)
    return details


def _filters(episodes: list[EpisodeDetail]) -> Filters:
    def values(attr: str) -> list[str]:
        return sorted({str(getattr(e, attr)) for e in episodes})

    dims = {d.name for e in episodes for t in e.turns for d in t.dimensions}
    return Filters(
        values("task"),
        values("persona"),
        values("archetype"),
        values("verdict"),
        dimension_order(dims),
    )


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
    evidence: dict[int, TurnEvidence],
) -> list[TurnDetail]:
    out = []
    for t in sorted(turns, key=lambda r: r["turn"]):
        record = json.loads(t["record"])
        exit_code = t["exit_code"]
        shown = evidence.get(int(t["turn"]))
        detail = TurnDetail(
            int(t["turn"]),
            t["move"],
            record.get("message", ""),
            t["swarm_status"],
            None if exit_code is None or pd.isna(exit_code) else int(exit_code),
            float(t["elapsed_ms"]) / 1000,
            verdicts.get((t["episode_id"], t["turn"]), "—"),
            _dimensions([g for g in grades if g["turn"] == t["turn"]], findings, shown),
            int(record.get("prompt_tokens") or 0),
            int(record.get("completion_tokens") or 0),
            _cost(record),
            shown,
        )
        out.append(detail)
    return out


def _cost(record: dict[str, Any]) -> float | None:
    """The cost the swarm reported for the turn, if any (local models report none)."""
    usage = (record.get("report") or {}).get("usage") or {}
    value = usage.get("cost_usd")
    return float(value) if isinstance(value, int | float) else None


def _link(
    a: dict[str, Any], ledger: Ledger, out_dir: Path, where: ArtifactPlacement
) -> ArtifactLink:
    turn = None if a["turn"] is None or pd.isna(a["turn"]) else int(a["turn"])
    name = Path(a["path"]).name
    link = ArtifactLink(a["kind"], turn, None, a["sha256"], int(a["size"]), name)
    if where.mode == "linked":
        link.href = relative_href(ledger.gym_dir, out_dir, a["path"])
        return link
    ref = ArtifactRef(
        episode_id=a["episode_id"],
        kind=a["kind"],
        turn=turn,
        path=a["path"],
        sha256=a["sha256"],
        size=int(a["size"]),
    )
    try:
        link.href = data_href(ledger.artifact_path(ref), where)
    except ArtifactError as exc:
        link.note = str(exc)
        return link
    link.note = "" if link.href else "not bundled: too big for the page"
    return link


def _dimensions(
    rows: list[dict[str, Any]],
    findings: dict[tuple[str, int, str], str],
    evidence: TurnEvidence | None,
) -> list[DimensionDetail]:
    by_name = {r["dimension"]: r for r in rows}
    out = []
    for name in dimension_order(by_name):
        row = by_name[name]
        raw = json.loads(findings.get((row["episode_id"], row["turn"], name), "[]"))
        views = [_finding(f, evidence) for f in raw if isinstance(f, dict)]
        out.append(DimensionDetail(name, float(row["score"]), row["status"], row["source"], views))
    return out


def _finding(f: dict[str, Any], evidence: TurnEvidence | None) -> FindingView:
    file, line = f.get("file"), f.get("line")
    return FindingView(
        str(f.get("severity", "")),
        str(f.get("code", "")),
        str(file or ""),
        "" if line in (None, "") else str(line),
        str(f.get("message", "")),
        evidence.line_href(file, line) if evidence else None,
    )
