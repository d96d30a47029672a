"""Fixtures: a tiny catalog whose task the fake swarm (``fake_swarm.py``) can solve."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gym.config import GymConfig

FAKE_SWARM = Path(__file__).with_name("fake_swarm.py")

GREET_TOML = """
id = "greet"
title = "Greeting CLI"
archetype = "heavy-spec"
difficulty = 1
entry = "python -m greet"
spec = "Build `greet`, run as `python -m greet NAME`, printing `Hello, NAME`."
hidden = ["With no NAME it greets the world."]

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

[[stages]]
n = 2
move = "feature"
text = "Add `--shout` which prints the greeting in upper case."

[[stages.checks]]
name = "shouts"
kind = "command"
cmd = "python -m greet --shout Bob"
expect_stdout = { equals = "HELLO, BOB\\n" }
"""

REFERENCE_MAIN = 'import sys\nprint("Hello, " + (sys.argv[1] if len(sys.argv) > 1 else "world"))\n'


@pytest.fixture
def greet_catalog(tmp_path: Path) -> Path:
    """A catalog holding one task, ``greet``, with a reference solution for stage 1."""
    root = tmp_path / "catalog"
    task = root / "greet"
    (task / "reference" / "greet").mkdir(parents=True)
    (task / "task.toml").write_text(GREET_TOML)
    (task / "reference" / "greet" / "__init__.py").write_text("")
    (task / "reference" / "greet" / "__main__.py").write_text(REFERENCE_MAIN)
    return root


@pytest.fixture
def fake_config(tmp_path: Path, greet_catalog: Path) -> GymConfig:
    """A run on the greet catalog with the fake swarm and the in-process sim brain."""
    return GymConfig(
        episodes=3,
        parallel=2,
        max_turns=2,
        catalog_dir=greet_catalog,
        gym_dir=tmp_path / "gymdir",
        swarm_cmd=f"{sys.executable} {FAKE_SWARM}",
        fleet="sim:competent?seed=1",
        brain="sim:competent?seed=0&time_scale=0",
        turn_timeout_s=30,
    )
