"""The collector finds the swarm's worker transcript beside the turn's event log."""

from __future__ import annotations

import json

from gym.collector import collect
from gym.runner import SwarmRun


def _run(run_id: str) -> SwarmRun:
    report = json.dumps({"status": "done", "run_id": run_id, "tasks": []})
    return SwarmRun(("swarm",), 0, report + "\n", "", 1.0)


def test_the_transcript_of_the_turns_run_is_collected(tmp_path):
    swarm = tmp_path / ".swarm"
    swarm.mkdir()
    (swarm / "run-r2.jsonl").write_text('{"event": "run_started"}\n', encoding="utf-8")
    (swarm / "transcript-r1.jsonl").write_text("{}\n", encoding="utf-8")  # an earlier turn's
    (swarm / "transcript-r2.jsonl").write_text("{}\n", encoding="utf-8")
    assert collect(_run("r2"), tmp_path).transcript_path == swarm / "transcript-r2.jsonl"


def test_no_transcript_or_a_planted_link_is_none(tmp_path):
    swarm = tmp_path / ".swarm"
    swarm.mkdir()
    (swarm / "run-r1.jsonl").write_text('{"event": "run_started"}\n', encoding="utf-8")
    assert collect(_run("r1"), tmp_path).transcript_path is None
    (tmp_path / "secret").write_text("x", encoding="utf-8")
    (swarm / "transcript-r1.jsonl").symlink_to(tmp_path / "secret")
    assert collect(_run("r1"), tmp_path).transcript_path is None
