"""End to end: two simulated runs differing by one knob; the report shows the evidence."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from gym.cli import app

pytestmark = pytest.mark.slow


def _gym(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_two_runs_one_knob_apart_report_bars_difference_code_diff_and_transcript(tmp_path):
    gym_dir = str(tmp_path / ".gym")
    common = ["run", "--episodes", "2", "--max-turns", "2", "--seed", "3", "--gym-dir", gym_dir]
    _gym(*common)
    _gym(*common, "--knob", "scheduler.policy=fanout")
    out = tmp_path / "report.html"
    _gym("report", "--gym-dir", gym_dir, "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Δ vs best" in html
    spec = re.search(r'data-target="pass-by-config">(.*?)</script>', html, re.S).group(1)
    traces = json.loads(spec)["data"]
    labels = [str(v) for t in traces for v in (t["y"] if t.get("orientation") == "h" else t["x"])]
    assert len(labels) == 2 and len(set(labels)) == 2, labels
    assert 'class="evidence code-view"' in html and '<div class="code">' in html
    assert 'class="evidence diff-view"' in html
    story = re.findall(r"Swarm transcript · (\d+) messages, (\d+) events", html)
    assert story and any(int(m) > 0 and int(e) > 0 for m, e in story), story
