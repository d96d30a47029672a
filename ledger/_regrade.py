"""Re-grade a run from its stored artifacts, without re-running the swarm.

For each turn the produced tree is unpacked from the artifact store (verified by sha256)
into a scratch directory and graded again with ``verifier.grade_workdir`` together with
the turn's stored swarm report and event log; the new Grade is appended and supersedes
the old one. The gym stores the tree of every graded turn (and the episode's final tree,
recorded with no turn number, which stands for the last turn when older ledgers lack a
per-turn one); a turn whose tree was not stored is reported as skipped, never guessed at.
The task is the episode's stored ``task`` artifact (an invented task: ``task.toml`` and its
reference) or the catalog's. Anything unreadable is a skip with its reason, never a crash.
"""

from __future__ import annotations

import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger._errors import LedgerError
from ledger._ledger import Ledger
from ledger._records import ArtifactRef, EpisodeStatus, EpisodeView, TurnView


@dataclass
class RegradeSummary:
    """What a regrade did."""

    run_id: str
    grader: str
    regraded: int = 0
    changed: int = 0
    skipped: list[str] = field(default_factory=list)


def regrade_run(
    ledger: Ledger,
    run_id: str,
    *,
    catalog_dir: Path | None = None,
    judge: Any = None,
    grader: str = "regrade",
) -> RegradeSummary:
    """Re-grade every stored turn of ``run_id``; append grades (and new episode verdicts)."""
    from verifier import TaskError, VerifierError  # the verifier is only needed here

    ledger.run(run_id)
    summary = RegradeSummary(run_id, grader)
    unreadable = (TaskError, LedgerError, OSError, tarfile.TarError)
    for episode in ledger.episodes(run_id):
        with tempfile.TemporaryDirectory(prefix="gym-regrade-") as tmp:
            try:
                task = _task_for(ledger, episode, catalog_dir, Path(tmp))
            except unreadable as exc:
                summary.skipped.append(f"{episode.id}: {exc}")
                continue
            _regrade_episode(
                ledger,
                episode,
                task,
                judge,
                Path(tmp),
                summary,
                (*unreadable, VerifierError),
            )
    return summary


def _regrade_episode(
    ledger: Ledger,
    episode: EpisodeView,
    task: Any,
    judge: Any,
    tmp: Path,
    summary: RegradeSummary,
    errors: tuple[type[Exception], ...],
) -> None:
    turns = ledger.turns(episode.id)
    old = {g.turn: g.verdict for g in ledger.grade_sets(episode.id)}
    last_verdict = None
    for turn in turns:
        if turn.infra_error:  # never graded: the infrastructure failed, not the swarm
            summary.skipped.append(f"{episode.id} turn {turn.turn}: infrastructure failure")
            continue
        tree = _tree_for(ledger, episode.id, turn, is_last=turn is turns[-1])
        if tree is None:
            summary.skipped.append(f"{episode.id} turn {turn.turn}: no stored tree")
            continue
        try:
            grade = _grade_turn(ledger, episode.id, turn, tree, task, judge, tmp)
        except errors as exc:
            summary.skipped.append(f"{episode.id} turn {turn.turn}: {exc}")
            continue
        if judge is None:
            grade = _keep_judge_dimensions(ledger, episode.id, turn.turn, grade)
        ledger.record_grade(episode.id, turn.turn, grade, grader=summary.grader)
        summary.regraded += 1
        summary.changed += int(old.get(turn.turn) != grade.verdict)
        last_verdict = grade.verdict if turn is turns[-1] else last_verdict
    if last_verdict is not None and episode.status == EpisodeStatus.FINISHED:
        ledger.finish_episode(episode.id, EpisodeStatus.FINISHED, last_verdict)


def _grade_turn(
    ledger: Ledger,
    episode_id: str,
    turn: TurnView,
    tree: ArtifactRef,
    task: Any,
    judge: Any,
    tmp: Path,
) -> Any:
    from verifier import grade_workdir

    workdir = ledger.extract_tree(tree, tmp / f"turn-{turn.turn}")
    events = _one(ledger.artifacts(episode_id, kind="events"), turn.turn)
    return grade_workdir(
        workdir,
        task,
        stage=turn.stage,
        report=turn.report or None,
        events_path=ledger.artifact_path(events) if events else None,
        judge=judge,
    )


def _keep_judge_dimensions(ledger: Ledger, episode_id: str, turn: int, grade: Any) -> Any:
    """Without a judge, carry the previous judge dimensions over and recompute the verdict.

    The judge dimensions can only lower a verdict; dropping them on a deterministic-only
    regrade would silently raise it.
    """
    from verifier import DimensionGrade, verdict_for

    dims = dict(grade.dimensions)
    for old in ledger.grades(episode_id):
        if old.turn == turn and old.source.value == "judge" and old.dimension not in dims:
            dims[old.dimension] = DimensionGrade(
                score=old.score, status=old.status, findings=old.findings, source=old.source
            )
    return grade.model_copy(update={"dimensions": dims, "verdict": verdict_for(dims)})


def _one(refs: list[ArtifactRef], turn: int | None) -> ArtifactRef | None:
    matching = [r for r in refs if r.turn == turn]
    return matching[-1] if matching else None


def _tree_for(
    ledger: Ledger, episode_id: str, turn: TurnView, *, is_last: bool
) -> ArtifactRef | None:
    trees = ledger.artifacts(episode_id, kind="tree")
    # The episode's final tree is stored without a turn number: it is the last turn's product.
    return _one(trees, turn.turn) or (_one(trees, None) if is_last else None)


def _task_for(ledger: Ledger, episode: EpisodeView, catalog_dir: Path | None, tmp: Path) -> Any:
    """The episode's task: its stored task artifact (generated tasks) or the catalog's."""
    from verifier import TaskError, load_task

    stored = _one(ledger.artifacts(episode.id, kind="task"), None)
    if stored is not None:
        return load_task(ledger.extract_tree(stored, tmp / "task"))
    if (
        catalog_dir is None
        or not episode.task
        or not (Path(catalog_dir) / episode.task / "task.toml").is_file()
    ):
        raise TaskError(
            f"task {episode.task!r} is neither stored with the episode nor in "
            f"the catalog {catalog_dir}"
        )
    return load_task(Path(catalog_dir) / episode.task)
