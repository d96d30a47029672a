"""`gym tune` end to end: real orchestrator, real swarm subprocesses, simulated models."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from gym.catalog import CATALOG_DIR
from gym.generator import load_suite
from ledger import Ledger


def _smoke_catalog(tmp_path):
    """Only the smoke suite's tasks: the test does not depend on the rest of the catalog."""
    root = tmp_path / "catalog"
    for task in {e.task for e in load_suite("smoke").episodes}:
        shutil.copytree(CATALOG_DIR / task, root / task)
    # gym.toml in the working directory is read by `gym tune` like by `gym run`
    (tmp_path / "gym.toml").write_text(f'catalog_dir = "{root}"\n', encoding="utf-8")


@pytest.mark.slow
def test_gym_tune_runs_a_paired_experiment_and_records_it(tmp_path):
    gym_dir = tmp_path / ".gym"
    _smoke_catalog(tmp_path)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gym.cli import main; main()",
            "tune",
            "--suite",
            "smoke",
            "--knob-candidates",
            "retry.max_attempts",
            "--experiments",
            "1",
            "--no-judge",
            "--gym-dir",
            str(gym_dir),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "experiment #1: retry.max_attempts=3 (was 6), proposed by fallback" in proc.stdout
    assert "decision: " in proc.stdout
    with Ledger.open(gym_dir, create=False) as ledger:
        (experiment,) = ledger.experiments()
        arms = experiment.arms
        assert experiment.knob_deltas == {"retry.max_attempts": 3} and experiment.simulated
        a, b = ledger.episodes(arms["A"]), ledger.episodes(arms["B"])
        assert ledger.run(arms["B"]).knobs == {"retry.max_attempts": "3"}
    # the same three suite episodes, same seeds, in both arms: three pairs
    assert sorted((e.task, e.seed) for e in a) == sorted((e.task, e.seed) for e in b)
    assert experiment.statistics["pairs"] == 3
    assert experiment.decision in ("adopt", "reject", "inconclusive")
    adopted = experiment.decision == "adopt"
    assert (gym_dir / "tuned-knobs.toml").exists() == adopted
