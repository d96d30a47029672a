"""Choosing the executor at the CLI (fast tier: no Ray is started here)."""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from gym.cli import app


def _run(tmp_path: Path, *args: str):
    gym_dir = tmp_path / "gymdir"
    argv = ["run", "--gym-dir", str(gym_dir), "--episodes", "1", "--max-turns", "1", *args]
    return CliRunner().invoke(app, argv), gym_dir


def test_ray_without_the_extra_is_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # what a venv without the extra looks like
    monkeypatch.delitem(sys.modules, "gym.orchestrator._ray_executor", raising=False)
    result, gym_dir = _run(tmp_path, "--executor", "ray")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "pip install 'swarm-gym[ray]'" in lines[0], result.output
    assert not gym_dir.exists()  # refused before anything is written


def test_an_unknown_executor_is_one_line_and_exit_2(tmp_path):
    result, gym_dir = _run(tmp_path, "--executor", "dask")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "executor" in lines[0], result.output
    assert not gym_dir.exists()


def test_kept_apps_are_refused_on_ray(tmp_path):
    """Workers cannot read or write the driver's kept/: refused, not silently ignored."""
    result, gym_dir = _run(tmp_path, "--executor", "ray", "--from-kept")
    assert result.exit_code == 2, result.output
    assert "--from-kept needs --executor local" in result.output
    assert not gym_dir.exists()
