"""Write arm runs into a real ledger through its public API, episode by episode.

The decision and pairing tests need runs with *known* outcomes; these helpers record
them exactly as the gym's orchestrator would (run, episodes, final grades, statuses).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger import EpisodeRecord, EpisodeStatus, Ledger, RunRecord, RunStatus
from verifier import DETERMINISTIC_DIMENSIONS, DimensionGrade, Grade, Source, Status, Verdict


@dataclass(frozen=True)
class Ep:
    """One episode: its (task, seed) key, whether it passed, its dimension scores."""

    task: str
    seed: int
    passed: bool
    scores: dict[str, float] = field(default_factory=dict)


def _grade(ep: Ep) -> Grade:
    dims = {}
    for dim in DETERMINISTIC_DIMENSIONS:
        score = ep.scores.get(dim, 1.0 if ep.passed else 0.0)
        status = Status.PASS if score >= 0.999 else Status.FAIL
        dims[dim] = DimensionGrade(score=score, status=status, source=Source.DETERMINISTIC)
    verdict = Verdict.PASS if ep.passed else Verdict.FAIL
    return Grade(task=ep.task, verdict=verdict, dimensions=dims)


def write_arm(
    ledger: Ledger, episodes: list[Ep], *, knobs: dict | None = None, simulated: bool = True
) -> str:
    """Record one finished run with these episodes; returns its run id."""
    run_id = ledger.start_run(RunRecord(suite="t", simulated=simulated, knobs=knobs or {}))
    for ep in episodes:
        episode_id = ledger.start_episode(EpisodeRecord(run_id=run_id, task=ep.task, seed=ep.seed))
        grade = _grade(ep)
        ledger.record_grade(episode_id, 1, grade)
        ledger.finish_episode(episode_id, EpisodeStatus.FINISHED, grade.verdict)
    ledger.finish_run(run_id, RunStatus.FINISHED)
    return run_id


def episodes(passes: list[bool], *, task: str = "wordfreq") -> list[Ep]:
    """Episodes keyed (task, 100 + i) with the given pass/fail outcomes."""
    return [Ep(task, 100 + i, p) for i, p in enumerate(passes)]
