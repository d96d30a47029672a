"""The HTTP path end to end: the brain on the Anthropic protocol, the fleet on the OpenAI one.

Both are served by `gym sim serve` in its own process, so the real transports, SDKs and the
real swarm CLI are exercised end to end. The server says it is the simulator, so the run is
labelled simulated although no URL starts with ``sim:``; a real model is driven by the
``real`` tier (tests/real).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from gym.config import GymConfig
from gym.orchestrator._run import run_gym
from ledger import EpisodeStatus, Ledger


@pytest.fixture
def sim_serve(greet_catalog: Path) -> Iterator[str]:
    """Start `gym sim serve` on a free port; yield its base URL."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from gym.cli import main; main()",
            "sim",
            "serve",
            "--port",
            "0",
            "--time-scale",
            "0",
            "--catalog-dir",
            str(greet_catalog),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        found = re.search(r"Anthropic at (http://127\.0\.0\.1:\d+)", line)
        assert found, f"gym sim serve said: {line!r}"
        yield found.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:The model:DeprecationWarning")
def test_http_transports_run_against_gym_sim_serve_and_are_labelled_simulated(
    tmp_path, greet_catalog, sim_serve
) -> None:
    config = GymConfig(
        episodes=1,
        parallel=1,
        max_turns=1,
        # from scratch: a continue-existing start would ask for stage 2 at once
        archetype="heavy-spec",
        catalog_dir=greet_catalog,
        gym_dir=tmp_path / "gymdir",
        turn_timeout_s=120,
        brain=f"anthropic:claude-sonnet-4-5?base_url={sim_serve}",
        fleet=f"{sim_serve}/v1?model=qwen3-coder-30b&name=mac1",
    )
    out = tmp_path / "out.txt"
    with out.open("w") as fh:
        run_id = run_gym(config, console=Console(file=fh, width=150))
    assert "SIMULATED" in out.read_text()  # found by the probe: no URL is a sim: one
    with Ledger.open(config.gym_dir) as ledger:
        run = ledger.run(run_id)
        assert run.simulated and run.brain.url.startswith("anthropic:")
        assert run.brain.simulated and all(n.simulated for n in run.fleet)
        (episode,) = ledger.episodes(run_id)
        assert not episode.generated and episode.task.startswith("greet")  # a catalog task
        assert episode.status == EpisodeStatus.FINISHED, out.read_text()
        (turn,) = ledger.turns(episode.id)
        assert turn.exit_code == 0 and turn.report["tasks"]
        assert {t["device"] for t in turn.report["tasks"]} == {"mac1"}
        grades = {g.dimension: g.status.value for g in ledger.grades(episode.id)}
        assert grades["checks"] == "pass" and "requirements" in grades
