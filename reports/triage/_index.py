"""The triage's evidence, read from the ledger in a few bulk queries instead of per episode.

At 10,000 episodes a query (and a pydantic view per row) per episode cost the report most
of its build time; here one query each reads the episodes, the graded findings and the
artifact references of all the triaged runs, and the findings stay raw JSON until a code
one of the classes reads is seen.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ledger import ArtifactRef, EpisodeStatus, Ledger

#: Run ids per ``IN (...)`` (well under SQLite's bound-parameter limit).
_CHUNK = 500


@dataclass(frozen=True)
class RawFinding:
    """The fields of a stored finding the triage reads (the ledger stored a verifier Finding)."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None

    @classmethod
    def of(cls, item: dict[str, Any]) -> RawFinding:
        """From one stored finding's JSON object."""
        return cls(
            code=str(item.get("code", "")),
            message=str(item.get("message", "")),
            file=item.get("file") or None,
            line=item.get("line"),
        )


@dataclass
class EpisodeEvidence:
    """One episode's graded findings (as stored, turn order) and artifact references."""

    run_id: str
    episode_id: str
    #: (turn, findings JSON text) per dimension row, in ``turn, id`` order.
    findings: list[tuple[int, str]] = field(default_factory=list)
    #: Turn -> the latest stored artifact of that kind and turn.
    events: dict[int | None, ArtifactRef] = field(default_factory=dict)
    trees: dict[int | None, ArtifactRef] = field(default_factory=dict)

    def raw_findings(self, codes: frozenset[str]) -> Iterator[tuple[int, RawFinding]]:
        """Each stored finding whose code is one of ``codes``, with its turn, in order."""
        for turn, text in self.findings:
            if text == "[]":
                continue
            for item in json.loads(text):
                if isinstance(item, dict) and item.get("code") in codes:
                    yield turn, RawFinding.of(item)


def finished_evidence(ledger: Ledger, run_ids: Sequence[str]) -> list[EpisodeEvidence]:
    """The finished episodes of these runs, run by run in the given order, each in start order."""
    by_run: dict[str, list[EpisodeEvidence]] = defaultdict(list)
    for chunk in _chunks(list(dict.fromkeys(run_ids))):
        marks = ",".join("?" * len(chunk))
        _, rows = ledger.query_table(
            "SELECT e.id, e.run_id FROM episodes e"
            " JOIN current_episode_status s ON s.episode_id = e.id"
            f" WHERE e.run_id IN ({marks}) AND s.status = ? ORDER BY e.started_at, e.rowid",
            [*chunk, EpisodeStatus.FINISHED.value],
        )
        for episode_id, run_id in rows:
            by_run[run_id].append(EpisodeEvidence(run_id, episode_id))
    episodes = [ep for run_id in run_ids for ep in by_run.get(run_id, [])]
    _fill(ledger, {ep.episode_id: ep for ep in episodes}, "e.run_id", list(by_run))
    return episodes


def episode_evidence(ledger: Ledger, run_id: str, episode_id: str) -> EpisodeEvidence:
    """One episode's evidence, whatever its status."""
    ep = EpisodeEvidence(run_id, episode_id)
    _fill(ledger, {episode_id: ep}, "e.id", [episode_id])
    return ep


def _fill(ledger: Ledger, wanted: dict[str, EpisodeEvidence], column: str, keys: list[str]) -> None:
    """Add findings and artifact references to ``wanted`` (rows selected by ``column``)."""
    for chunk in _chunks(keys):
        where = f"{column} IN ({','.join('?' * len(chunk))})"
        _, rows = ledger.query_table(
            "SELECT d.episode_id, d.turn, d.findings FROM current_grades d"
            f" JOIN episodes e ON e.id = d.episode_id WHERE {where} ORDER BY d.turn, d.id",
            chunk,
        )
        for episode_id, turn, text in rows:
            if episode_id in wanted:
                wanted[episode_id].findings.append((turn, text))
        _, rows = ledger.query_table(
            "SELECT a.id, a.episode_id, a.kind, a.turn, a.path, a.sha256, a.size FROM artifacts a"
            f" JOIN episodes e ON e.id = a.episode_id WHERE {where}"
            " AND a.kind IN ('events', 'tree') ORDER BY a.id",
            chunk,
        )
        for row in rows:
            _add_artifact(wanted, row)


def _add_artifact(wanted: dict[str, EpisodeEvidence], row: tuple[Any, ...]) -> None:
    ep = wanted.get(row[1])
    if ep is None:
        return
    ref = ArtifactRef(
        id=row[0], episode_id=row[1], kind=row[2], turn=row[3], path=row[4], sha256=row[5],
        size=row[6],
    )  # fmt: skip
    # a later artifact of the same kind and turn replaces an earlier one, as before
    (ep.events if ref.kind == "events" else ep.trees)[ref.turn] = ref


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
