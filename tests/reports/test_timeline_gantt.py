"""The per-turn Gantt: drawn from a stored timeline JSON, escaped, hooked into the drill-down."""

from __future__ import annotations

import json
import re

from reports import build_report
from reports.timeline import TimelineData, gantt_figure, gantt_id, load_timeline

HOSTILE = "</script><script>alert(1)</script>"

FIXTURE = {
    "run_id": "r1",
    "wall_s": 70.0,
    "devices": ["a", "b"],
    "label": "projected",
    "phases": [
        {"name": "plan", "start": 0, "end": 10, "status": "ok"},
        {"name": "build", "start": 10, "end": 50, "status": "ok"},
        {"name": "sink", "start": 50, "end": 60, "status": "ok"},
        {"name": "gates", "start": 60, "end": 70, "status": "ok"},
    ],
    "gates": [{"name": "smoke", "start": 60, "end": 70, "status": "pass"}],
    "attempts": [
        {
            "device": "a",
            "task_id": "core",
            "attempt": 1,
            "start": 10,
            "end": 30,
            "status": "done",
            "model_s": 15,
            "non_model_s": 5,
            "calls": 2,
            "tokens": 300,
        },
        {
            "device": "b",
            "task_id": HOSTILE,
            "attempt": 1,
            "start": 10,
            "end": 50,
            "status": "retry",
            "model_s": 40,
            "non_model_s": 0,
            "calls": 1,
            "tokens": 90,
        },
    ],
    "calls": [
        {"device": "a", "start": 10, "end": 25, "prompt_tokens": 200, "completion_tokens": 100}
    ],
    "figures": {"busy_share_build": 0.9},
    "something_new": True,
}


def _traces(spec: str) -> list[dict]:
    return json.loads(spec)["data"]


def test_the_gantt_has_phase_gate_and_device_lanes_and_escapes_labels() -> None:
    figure = gantt_figure(gantt_id("ep-1", 2), TimelineData.model_validate(FIXTURE))
    assert figure.id == "gantt-ep1-2"
    assert "projected" in figure.title
    assert "<" not in figure.spec and ">" not in figure.spec
    traces = _traces(figure.spec)
    lanes = {y for t in traces for y in t["y"]}
    assert lanes == {"phases", "gates", "a", "b"}
    names = [t["name"] for t in traces]
    assert {"plan", "build", "sink", "gates", "attempt done", "attempt retry", "model call"} <= set(
        names
    )
    core = next(t for t in traces if t["name"] == "attempt done")
    assert core["base"] == [10] and core["x"] == [20] and "model 15.0s" in core["hovertext"][0]


def test_a_file_that_is_not_a_timeline_is_none(tmp_path) -> None:
    path = tmp_path / "t.json"
    path.write_text("not json")
    assert load_timeline(path) is None
    path.write_text(json.dumps({"attempts": [{"device": 1}]}))
    assert load_timeline(path) is None
    path.write_text(json.dumps(FIXTURE))
    assert load_timeline(path).attempts[0].task_id == "core"


def test_the_drill_down_shows_a_turns_stored_timeline(ledger, run_with, tmp_path) -> None:
    run_id = run_with(ledger, [True, False])
    episode = ledger.episodes(run_id)[0]
    stored = tmp_path / "turn-1-timeline.json"
    stored.write_text(json.dumps(FIXTURE))
    ledger.store_artifact(episode.id, stored, "timeline", turn=1)
    html = build_report(ledger, tmp_path / "r.html").path.read_text()
    wanted = gantt_id(episode.id, 1)
    assert f'<div class="fig" id="{wanted}"' in html
    assert f'data-target="{wanted}"' in html
    assert len(re.findall(r'id="gantt-', html)) == 1
    assert HOSTILE not in html
