"""The evidence behind each turn's grade, read from the artifact store.

Per turn: the produced code (highlighted, a line anchor per line), the diff from the
previous turn, the swarm's transcript, and which finding points at which line. Every
artifact is read through the ledger, which checks its sha256: a tampered or missing file
becomes a note on the page, never a silent gap.
"""

from __future__ import annotations

import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ledger import ArtifactError, ArtifactRef, Ledger
from reports.evidence._code import CodeFile, code_file, unchanged_file
from reports.evidence._diff import TurnDiff, tree_diff
from reports.evidence._transcript import Transcript, transcript
from reports.evidence._tree import TreeFile, read_tree


@dataclass
class TurnEvidence:
    """What one turn left behind, ready for the page."""

    code: list[CodeFile] = field(default_factory=list)
    #: None on the first stored tree (nothing earlier to compare with).
    diff: TurnDiff | None = None
    transcript: Transcript = field(default_factory=Transcript)
    #: Why some evidence is missing (a tampered artifact, no stored tree, ...).
    problems: list[str] = field(default_factory=list)

    def line_href(self, file: str | None, line: Any) -> str | None:
        """``#anchor`` of ``file`` (at ``line`` when it exists) in this turn's code view."""
        if not file:
            return None
        wanted = PurePosixPath(str(file)).as_posix().removeprefix("./")
        for code in self.code:
            if code.path == wanted and (code.html is not None or code.shown_in_turn):
                n = _line_number(line)
                return f"#{code.anchor}-{n}" if n and n <= code.lines else f"#{code.anchor}"
        return None


def _line_number(line: Any) -> int | None:
    try:
        n = int(line)
    except (TypeError, ValueError):
        return None
    return n if n >= 1 else None


def anchor_prefix(episode_id: str) -> str:
    """An element-id prefix for an episode, from safe characters only."""
    return "c-" + re.sub(r"[^A-Za-z0-9_-]", "_", episode_id)[:64]


def episode_evidence(
    ledger: Ledger, episode_id: str, artifacts: list[dict[str, Any]]
) -> dict[int, TurnEvidence]:
    """Turn number -> evidence, from the episode's artifact rows (as in ``ReportData``).

    A file is highlighted in the first turn that has its content; later turns that leave it
    unchanged list it with a link there, so the page grows with changes, not with turns.
    """
    by_turn = _refs_by_turn(episode_id, artifacts)
    out: dict[int, TurnEvidence] = {}
    previous: list[TreeFile] | None = None
    shown: dict[tuple[str, str | None], tuple[int, CodeFile]] = {}
    for turn in sorted(by_turn):
        evidence, tree = _turn(ledger, by_turn[turn])
        for n, f in enumerate(tree or []):
            if (f.path, f.text) in shown and f.text is not None:
                first_turn, first = shown[(f.path, f.text)]
                evidence.code.append(unchanged_file(first, first_turn))
                continue
            evidence.code.append(code_file(f, f"{anchor_prefix(episode_id)}-t{turn}-f{n}"))
            shown[(f.path, f.text)] = (turn, evidence.code[-1])
        if tree is not None and previous is not None:
            evidence.diff = tree_diff(previous, tree)
        previous = tree if tree is not None else previous
        out[turn] = evidence
    return out


def _refs_by_turn(
    episode_id: str, artifacts: list[dict[str, Any]]
) -> dict[int, dict[str, list[ArtifactRef]]]:
    by_turn: dict[int, dict[str, list[ArtifactRef]]] = {}
    for row in artifacts:
        if row.get("turn") is None or row["turn"] != row["turn"]:  # None or NaN: episode-wide
            continue
        ref = ArtifactRef(
            episode_id=episode_id,
            kind=row["kind"],
            turn=int(row["turn"]),
            path=row["path"],
            sha256=row["sha256"],
            size=int(row["size"]),
        )
        by_turn.setdefault(int(row["turn"]), {}).setdefault(ref.kind, []).append(ref)
    return by_turn


def _turn(
    ledger: Ledger, refs: dict[str, list[ArtifactRef]]
) -> tuple[TurnEvidence, list[TreeFile] | None]:
    evidence = TurnEvidence()
    tree = None
    trees = refs.get("tree", [])
    if trees:
        stored = _verified(ledger, trees[-1], evidence)
        tree = _read(stored, evidence) if stored else None
    else:
        evidence.problems.append("no produced tree stored for this turn (it was not graded)")
    events = [p for r in refs.get("events", []) if (p := _verified(ledger, r, evidence))]
    said = [p for r in refs.get("transcript", []) if (p := _verified(ledger, r, evidence))]
    evidence.transcript = transcript(events, said)
    return evidence, tree


def _verified(ledger: Ledger, ref: ArtifactRef, evidence: TurnEvidence) -> Path | None:
    try:
        return ledger.artifact_path(ref)
    except ArtifactError as exc:
        evidence.problems.append(str(exc))
        return None


def _read(stored: Path, evidence: TurnEvidence) -> list[TreeFile] | None:
    try:
        return read_tree(stored)
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:  # a truncated archive
        evidence.problems.append(f"the stored tree could not be read: {exc}")
        return None
