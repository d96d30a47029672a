"""Helpers of the reliability suite: a tiny catalog, the fake swarm, `gym run` as a process,
a look at the ledger, and a census of the processes a run leaves behind.

The suite pins what happens under faults and abuse (docs/reliability.md lists each one);
everything here is offline and bounded in time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from gym.config import GymConfig
from ledger import EpisodeStatus, Ledger, RunStatus

FAKE_SWARM = Path(__file__).parents[1] / "gym" / "fake_swarm.py"
COMPLETE = (EpisodeStatus.FINISHED, EpisodeStatus.ERROR)

GREET_TOML = """
id = "greet"
title = "Greeting CLI"
archetype = "heavy-spec"
difficulty = 1
entry = "python -m greet"
spec = "Build `greet`, run as `python -m greet NAME`, printing `Hello, NAME`."

[[checks]]
name = "greets_bob"
kind = "command"
cmd = "python -m greet Bob"
expect_stdout = { equals = "Hello, Bob\\n" }

[[checks]]
name = "greets_world"
kind = "command"
hidden = true
cmd = "python -m greet"
expect_stdout = { equals = "Hello, world\\n" }
"""

REFERENCE_MAIN = 'import sys\nprint("Hello, " + (sys.argv[1] if len(sys.argv) > 1 else "world"))\n'


def write_greet_catalog(root: Path) -> Path:
    """A catalog of one task, ``greet``, with its reference solution (the simulator reads it)."""
    task = root / "greet"
    (task / "reference" / "greet").mkdir(parents=True)
    (task / "task.toml").write_text(GREET_TOML)
    (task / "reference" / "greet" / "__init__.py").write_text("")
    (task / "reference" / "greet" / "__main__.py").write_text(REFERENCE_MAIN)
    return root


def fake_config_for(tmp_path: Path, greet_catalog: Path) -> GymConfig:
    """A run on the greet catalog with the fake swarm (tests/gym/fake_swarm.py) and sim brain."""
    return GymConfig(
        episodes=4,
        parallel=2,
        max_turns=1,
        catalog_dir=greet_catalog,
        gym_dir=tmp_path / "gymdir",
        swarm_cmd=f"{sys.executable} {FAKE_SWARM}",
        fleet="sim:competent?seed=1",
        brain="sim:competent?seed=0&time_scale=0",
        turn_timeout_s=60,
    )


def gym_argv(config: GymConfig, *extra: str) -> list[str]:
    """``gym run`` for ``config`` as a separate process (so signals and locks are real)."""
    return [
        sys.executable,
        "-c",
        "from gym.cli import main; main()",
        "run",
        *("--episodes", str(config.episodes), "--parallel", str(config.parallel)),
        *("--max-turns", str(config.max_turns), "--catalog-dir", str(config.catalog_dir)),
        *("--gym-dir", str(config.gym_dir), "--swarm-cmd", config.swarm_cmd or ""),
        *("--fleet", config.fleet, "--brain", config.brain),
        *extra,
    ]


def swarm_env(mode: str = "ok", delay_s: float = 0.0) -> dict[str, str]:
    """The fake swarm's behaviour for a run started as a process."""
    return {**os.environ, "FAKE_SWARM_MODE": mode, "FAKE_SWARM_DELAY_S": str(delay_s)}


def default_signals() -> None:
    """A child with the default SIGINT/SIGHUP handlers (a background job may inherit SIG_IGN)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def start_gym(config: GymConfig, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    """Start ``gym run`` in the background with stderr captured."""
    return subprocess.Popen(
        gym_argv(config, *extra),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_signals,
    )


def last_run(gym_dir: Path) -> tuple[str, int]:
    """(id of the latest run, its complete episodes); ('', 0) before the ledger exists."""
    if not (gym_dir / "ledger.sqlite").exists():
        return "", 0
    with Ledger.open(gym_dir) as ledger:
        runs = ledger.runs()
        if not runs:
            return "", 0
        return runs[-1].id, sum(e.status in COMPLETE for e in ledger.episodes(runs[-1].id))


def wait_for_complete(gym_dir: Path, at_least: int, timeout_s: float = 60) -> str:
    """Poll the ledger until the latest run has ``at_least`` complete episodes; its id."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run_id, done = last_run(gym_dir)
        if done >= at_least:
            return run_id
        time.sleep(0.1)
    raise AssertionError(f"fewer than {at_least} episodes completed in {timeout_s}s")


def wait_for_file(pattern: str, root: Path, timeout_s: float = 30) -> Path:
    """The first file under ``root`` matching ``pattern``, waiting for it to appear."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = sorted(root.glob(pattern))
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no {pattern} under {root} within {timeout_s}s")


def assert_each_episode_once(gym_dir: Path, run_id: str, expected: int) -> None:
    """No episode lost, none completed twice, none left started, the run finished."""
    with Ledger.open(gym_dir) as ledger:
        episodes = ledger.episodes(run_id)
        complete = Counter(e.seed for e in episodes if e.status in COMPLETE)
        assert len(complete) == expected, "an episode was lost"
        assert set(complete.values()) == {1}, "an episode was completed twice"
        assert not [e for e in episodes if e.status == EpisodeStatus.STARTED]
        assert ledger.run(run_id).status == RunStatus.FINISHED


def integrity_ok(gym_dir: Path) -> bool:
    """``PRAGMA integrity_check`` of the ledger answers ok."""
    with Ledger.open(gym_dir, create=False) as ledger:
        return [tuple(r) for r in ledger.query("PRAGMA integrity_check")] == [("ok",)]


def group_alive(pgid: int) -> bool:
    """True while any live (non-zombie) process belongs to process group ``pgid``."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            rest = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(rest[2]) == pgid and rest[0] != "Z":
            return True
    return False


def processes_mentioning(text: str) -> list[int]:
    """Pids of live processes whose command line contains ``text`` (a test's tmp_path)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except (OSError, ValueError):
            continue
    return [p for p in found if p != os.getpid()]


def no_traceback(stderr: str) -> bool:
    """The CLI answered in clean lines (the edge rule: never a traceback)."""
    return "Traceback" not in stderr and 'File "' not in stderr
