"""`gym regress` without --against: reruns the suite with the baseline's config (slow, e2e)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from gym.cli import app
from ledger import Ledger


@pytest.mark.slow
def test_regress_reruns_the_suite_with_the_baseline_seeds_and_compares(tmp_path):
    from gym.config import GymConfig
    from gym.orchestrator import run_gym

    gym_dir = tmp_path / ".gym"
    baseline = run_gym(GymConfig(suite="smoke", max_turns=1, gym_dir=gym_dir))
    result = CliRunner().invoke(
        app, ["regress", "--suite", "smoke", "--baseline", baseline, "--gym-dir", str(gym_dir)]
    )
    assert result.exit_code in (0, 1), result.output
    with Ledger.open(gym_dir) as ledger:
        runs = ledger.runs(suite="smoke")
        assert [r.id for r in runs][0] == baseline and len(runs) == 2
        candidate = runs[1]
        assert candidate.config == runs[0].config | {"gym_dir": str(gym_dir)}
        pairs = {(e.task, e.seed) for e in ledger.episodes(candidate.id)}
        assert pairs == {(e.task, e.seed) for e in ledger.episodes(baseline)}
    assert f"{candidate.id} vs baseline {baseline}: 3 pairs" in result.output
    assert (gym_dir / f"regress-{candidate.id}.html").is_file()
