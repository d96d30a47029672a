"""`.ci/run` runs the README's test command verbatim (the two commands stay true)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_command(heading: str) -> str:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(heading)
    return next(line for line in lines[start:] if line.startswith("python3 -m venv"))


def test_ci_extracts_exactly_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    awk = script.split("test_cmd=$(", 1)[1].split(")\n", 1)[0]
    extracted = subprocess.run(
        ["bash", "-c", awk], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert extracted == _readme_command("**Run the tests**:")
    assert "pytest" in extracted


def test_readme_first_command_runs_the_main_job() -> None:
    heading = "**Run the main job** (installs, then runs 20 simulated episodes offline):"
    assert _readme_command(heading).endswith("gym run --episodes 20")
