"""Fixtures: an empty ledger in a temp dir and a Grade builder."""

from __future__ import annotations

import pytest

from ledger import EpisodeRecord, Ledger, RunRecord
from verifier import DIMENSIONS, DimensionGrade, Finding, Grade, Source, Status, Verdict


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / ".gym") as opened:
        yield opened


@pytest.fixture
def episode(ledger):
    """(run_id, episode_id) of a started real run and episode."""
    run_id = ledger.start_run(RunRecord(simulated=False, suite="nightly"))
    return run_id, ledger.start_episode(EpisodeRecord(run_id=run_id, task="todo-cli", seed=3))


@pytest.fixture
def make_grade():
    """Build a seven-dimension Grade whose every dimension follows the verdict."""
    return _make_grade


def _make_grade(verdict: str = "pass", score: float = 1.0, message: str = "") -> Grade:
    status = Status.PASS if verdict == "pass" else Status.FAIL
    findings = [Finding(code="stub_body", message=message)] if message else []
    return Grade(
        task="todo-cli",
        verdict=Verdict(verdict),
        dimensions={
            name: DimensionGrade(
                score=score, status=status, findings=findings, source=Source.DETERMINISTIC
            )
            for name in DIMENSIONS
        },
    )
