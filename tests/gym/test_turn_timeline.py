"""The collector's per-turn timeline: computed from the turn's events, absent when undrawable."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gym.collector import collect, existing_event_logs, turn_timeline, write_timeline
from gym.runner import SwarmCall, run_swarm

FAKE = Path(__file__).with_name("fake_swarm.py")


def _events() -> list[dict[str, object]]:
    base = {"run_id": "r"}
    return [
        {**base, "ts": "2026-01-01T00:00:00.000Z", "event": "run_started", "pool": [{"name": "n"}]},
        {
            **base,
            "ts": "2026-01-01T00:00:01.000Z",
            "event": "task_dispatched",
            "task_id": "t",
            "attempt": 1,
            "epoch": 1,
            "device": "n",
        },
        {
            **base,
            "ts": "2026-01-01T00:00:03.000Z",
            "event": "model_call",
            "node": "n",
            "elapsed_ms": 1500,
            "prompt_tokens": 4,
            "completion_tokens": 2,
        },
        {
            **base,
            "ts": "2026-01-01T00:00:04.000Z",
            "event": "task_completed",
            "task_id": "t",
            "attempt": 1,
            "epoch": 1,
            "device": "n",
            "status": "done",
        },
    ]


def test_the_timeline_of_a_turns_events_is_json_data(tmp_path: Path) -> None:
    timeline = turn_timeline(_events())
    assert timeline is not None
    (attempt,) = timeline["attempts"]
    assert (attempt["task_id"], attempt["model_s"], attempt["non_model_s"]) == ("t", 1.5, 1.5)
    path = write_timeline(timeline, tmp_path / "turn-1-timeline.json")
    assert path is not None and json.loads(path.read_text())["devices"] == ["n"]
    assert write_timeline(None, tmp_path / "none.json") is None
    assert not (tmp_path / "none.json").exists()


def test_an_undrawable_or_hostile_log_gives_no_timeline_not_an_error() -> None:
    assert turn_timeline([]) is None
    assert turn_timeline(_events()[:1]) is None  # nothing was dispatched
    broken = _events()
    broken[1] = {**broken[1], "ts": "yesterday"}
    assert turn_timeline(broken) is None
    odd = _events()
    odd[2] = {**odd[2], "elapsed_ms": "slow"}
    assert turn_timeline(odd) is None


async def test_collect_fills_the_turns_timeline(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    workdir = tmp_path / "w"
    workdir.mkdir()
    spec = tmp_path / "spec.md"
    spec.write_text("build greet")
    call = SwarmCall(
        spec_file=spec,
        workdir=workdir,
        fleet="sim:competent",
        timeout_s=30,
        swarm_cmd=f"{sys.executable} {FAKE}",
    )
    before = existing_event_logs(workdir)
    evidence = collect(await run_swarm(call), workdir, since_events=before)
    assert evidence.timeline is not None
    assert [a["task_id"] for a in evidence.timeline["attempts"]] == ["greet"]
