"""`swarm run` on a catalog spec with a real tiny model as the whole fleet, and beside sims.

The model will not build the task: what is pinned is that the run gets past planning (its
own plan or the one-task fallback), ends with a reason in its JSON report, prints no
traceback, and keeps real and simulated nodes apart.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from real_support import events, knob_args

from gym.catalog import CATALOG_DIR
from verifier import load_task

#: Contract 2's exit code per final status.
EXIT_CODES = {"done": 0, "failed": 1, "stuck": 3}
#: Wall limit of one `swarm run` in this tier (seconds).
RUN_TIMEOUT_S = 420


def _swarm_run(tmp_path: Path, fleet: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    task = load_task(CATALOG_DIR / "wordfreq")
    (tmp_path / "spec.md").write_text(task.spec)
    command = [
        sys.executable, "-m", "swarm", "run",
        "--spec", str(tmp_path / "spec.md"),
        "--workdir", str(tmp_path / "w"),
        "--fleet", fleet,
        "--output-format", "json",
        "--timeout-s", str(RUN_TIMEOUT_S - 60),
        *knob_args(),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, check=False
    )
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    return done, json.loads(done.stdout)


def test_swarm_run_gets_past_planning_and_says_why_it_ended(tmp_path, smollm2) -> None:
    done, report = _swarm_run(tmp_path, f"{smollm2.url}?name=tiny")

    names = [e["event"] for e in events(tmp_path / "w")]
    assert "plan_loaded" in names, names
    assert done.returncode == EXIT_CODES[report["status"]]
    if report["status"] != "done":
        assert report["reason"], report
        assert done.stderr.startswith("swarm: run "), done.stderr
    (started,) = [e for e in events(tmp_path / "w") if e["event"] == "run_started"]
    assert [n["simulated"] for n in started["pool"]] == [False]
    rungs = {e["via"] for e in events(tmp_path / "w") if e["event"] == "structured_output"}
    assert rungs == {"json_object"}, rungs
    # Arguments a model broke are refused, never repaired into an empty file.
    empty = [e for e in events(tmp_path / "w") if e["event"] == "file_written" and not e["bytes"]]
    assert empty == [], empty


def test_a_mixed_fleet_keeps_the_real_node_real_and_the_sims_simulated(tmp_path, smollm2) -> None:
    fleet = f"{smollm2.url}?name=tiny,sim:competent?seed=1&time_scale=0&name=sim1"
    done, report = _swarm_run(tmp_path, fleet)

    (started,) = [e for e in events(tmp_path / "w") if e["event"] == "run_started"]
    assert {n["name"]: n["simulated"] for n in started["pool"]} == {"tiny": False, "sim1": True}
    assert set(report["per_device"]) == {"tiny", "sim1"}
    assert done.returncode == EXIT_CODES[report["status"]]
    assert report["status"] == "done" or report["reason"]
