"""`gym run` with a real tiny model as the fleet and as the brain (user turns and judge).

The task comes from the catalog (``--no-invent``) so the swarm is measured: a tiny brain's
inventions are rejected by their self-test, which ends an episode as infrastructure.

The episode is graded, or recorded as infrastructure with its reason; the run exits 0,
prints no traceback, and no dimension passes on a tree where nothing was built.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from real_support import knob_args

from ledger import EpisodeStatus, Ledger

#: Wall limit of the whole `gym run` in this tier (seconds).
GYM_TIMEOUT_S = 900
#: Dimensions a tree with nothing built cannot pass.
EMPTINESS_BLIND = {"diagnostics", "cluster", "requirements", "code_quality", "bugs"}


def test_gym_run_with_a_real_fleet_and_brain_grades_honestly(tmp_path: Path, smollm2) -> None:
    gym_dir = tmp_path / "gym"
    command = [
        sys.executable, "-c", "from gym.cli import main; main()", "run",
        "--episodes", "1", "--parallel", "1", "--max-turns", "1",
        "--archetype", "minimal-spec", "--turn-timeout-s", "360", "--no-invent",
        "--fleet", smollm2.url, "--brain", smollm2.url,
        "--gym-dir", str(gym_dir), *knob_args(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=GYM_TIMEOUT_S)

    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    with Ledger.open(gym_dir) as ledger:
        (run,) = ledger.runs()
        assert not run.simulated and all(not n.simulated for n in run.fleet)
        (episode,) = ledger.episodes(run.id)
        turns = ledger.turns(episode.id)
        grades = {g.dimension: g for g in ledger.grades(episode.id)}
    if episode.status is EpisodeStatus.ERROR:  # infrastructure: it must say why
        assert [t.infra_error for t in turns if t.infra_error], "infrastructure, no reason"
        return
    assert episode.status is EpisodeStatus.FINISHED and grades, episode.status
    if not any(_wrote(t.report) for t in turns):
        passed = {n for n, g in grades.items() if n in EMPTINESS_BLIND and g.status.value == "pass"}
        assert not passed, f"passed on an empty tree: {passed}"


def _wrote(report: dict) -> bool:
    return any(task.get("files_written") for task in report.get("tasks", []))
