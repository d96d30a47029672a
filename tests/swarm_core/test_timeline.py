"""The per-phase timeline, built from a fixed fixture event log (no clock, no model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from swarm.errors import ReportError
from swarm.events import EventLog
from swarm.timeline import build_timeline, figures, phase, project, timeline_for

RUN = "fixture-run"


def _ev(second: float, event: str, **fields: object) -> dict[str, object]:
    """One record at ``second`` seconds after 12:00:00 (ms precision, as the log writes)."""
    whole, frac = divmod(round(second * 1000), 1000)
    ts = f"2026-01-01T12:{whole // 60:02d}:{whole % 60:02d}.{frac:03d}Z"
    return {"ts": ts, "run_id": RUN, "event": event, **fields}


def _call(end: float, node: str, elapsed: float, prompt: int = 10, completion: int = 5):
    return _ev(
        end,
        "model_call",
        node=node,
        elapsed_ms=elapsed * 1000,
        prompt_tokens=prompt,
        completion_tokens=completion,
        ok=True,
    )


def _attempt(start: float, end: float, task: str, device: str, status: str = "done"):
    key = {"task_id": task, "attempt": 1, "epoch": 1, "device": device}
    return [_ev(start, "task_dispatched", **key), _ev(end, "task_completed", status=status, **key)]


def fixture_events() -> list[dict[str, object]]:
    """Plan 0-10 s, contracts 10-20, build 20-60 (sink task 50-60), gates 60-70."""
    pool = [{"name": "a"}, {"name": "b"}, {"name": "c"}]
    events = [
        _ev(0, "run_started", pool=pool),
        _ev(0, "phase_started", phase="plan"),
        _call(10, "a", 10),
        _ev(10, "phase_finished", phase="plan", elapsed_ms=10000, ok=True),
        _ev(10, "phase_started", phase="contracts"),
        _call(20, "a", 10),
        _call(20, "b", 10),
        _call(20, "c", 10),
        _ev(20, "phase_finished", phase="contracts", elapsed_ms=10000, ok=True),
        _ev(20, "phase_started", phase="build"),
        _ev(20, "plan_loaded", tasks=[]),
        *_attempt(20, 40, "core", "a"),
        _call(40, "a", 20, 100, 50),
        *_attempt(20, 40, "util", "b"),
        _call(35, "b", 15, 100, 50),  # b's last 5 s are tools, not model
        *_attempt(40, 50, "cli", "c"),
        _call(50, "c", 10),
        *_attempt(50, 60, "integrate-verify", "a"),
        _call(55, "a", 5),
        _ev(60, "phase_finished", phase="build", elapsed_ms=40000, ok=True),
        _ev(60, "phase_started", phase="gates"),
        _ev(66, "smoke", status="pass", steps=[]),
        _ev(68, "review", status="pass", steps=[]),
        _ev(70, "sink", status="pass", steps=[]),
        _ev(70, "phase_finished", phase="gates", elapsed_ms=10000, ok=True),
    ]
    return events


def _spans(timeline, name):
    return [(p.start, p.end) for p in timeline.phases if p.name == name]


def test_phases_split_build_at_the_sink_task_and_move_the_sink_gate() -> None:
    timeline = build_timeline(fixture_events())
    assert timeline.wall_s == 70.0
    assert timeline.devices == ["a", "b", "c"]
    assert _spans(timeline, "plan") == [(0.0, 10.0)]
    assert _spans(timeline, "build") == [(20.0, 50.0)]
    assert _spans(timeline, "sink") == [(50.0, 60.0), (68.0, 70.0)]
    assert _spans(timeline, "gates") == [(60.0, 68.0)]
    assert [(g.name, g.start, g.end) for g in timeline.gates] == [
        ("smoke", 60.0, 66.0),
        ("review", 66.0, 68.0),
        ("sink", 68.0, 70.0),
    ]


def test_attempts_split_into_model_and_non_model_time() -> None:
    timeline = build_timeline(fixture_events())
    util = next(a for a in timeline.attempts if a.task_id == "util")
    assert (util.device, util.start, util.end) == ("b", 20.0, 40.0)
    assert (util.model_s, util.non_model_s, util.calls, util.tokens) == (15.0, 5.0, 1, 150)
    core = next(a for a in timeline.attempts if a.task_id == "core")
    assert (core.model_s, core.non_model_s) == (20.0, 0.0)


def test_figures_give_phase_shares_busy_and_serial_share() -> None:
    fig = figures(build_timeline(fixture_events()))
    assert fig.phase_share["plan"] == pytest.approx(10 / 70, abs=1e-4)
    assert fig.phase_s["sink"] == 12.0
    # build 20-50 s on three nodes: a 20 s, b 15 s, c 10 s busy → 45 / 90
    assert fig.busy_share_build == 0.5
    # at most one node in a call: 0-10, 35-70 → 45 s of 70
    assert fig.serial_share == pytest.approx(45 / 70, abs=1e-4)
    assert fig.model_calls == 8 and fig.tokens == 2 * 150 + 6 * 15


def test_projection_stretches_each_lanes_model_time_and_keeps_causes_in_order() -> None:
    timeline = build_timeline(fixture_events())
    projected = project(timeline, 10.0)
    assert projected.label == "projected" and projected.scale == 10.0
    assert _spans(projected, "plan") == [(0.0, 100.0)]
    assert _spans(projected, "build") == [(200.0, 500.0)]
    util = next(a for a in projected.attempts if a.task_id == "util")
    # b's 15 s call becomes 150 s; its 5 s of tools stay 5 s
    assert (util.start, util.end, util.model_s, util.non_model_s) == (200.0, 355.0, 150.0, 5.0)
    cli = next(a for a in projected.attempts if a.task_id == "cli")
    assert cli.start == 400.0  # dispatched when core finished, on a lane that was idle
    sink = next(a for a in projected.attempts if a.task_id == "integrate-verify")
    assert sink.start == 500.0 and sink.end == 555.0  # 5 s call → 50 s, 5 s of tools stay
    assert _spans(projected, "gates") == [(555.0, 563.0)]  # the sandbox's 8 s stay 8 s
    assert projected.wall_s == 565.0
    assert figures(projected).busy_share_build == 0.5


def test_projection_stretches_only_the_latency_the_model_reported() -> None:
    # a simulator's own compute inside a call is not model time: half of each call here
    halved = [
        {**e, "model_ms": e["elapsed_ms"] / 2} if e["event"] == "model_call" else e
        for e in fixture_events()
    ]
    timeline = build_timeline(halved)
    assert timeline.calls[0].model_s == 5.0
    projected = project(timeline, 10.0)
    util = next(a for a in projected.attempts if a.task_id == "util")
    assert util.model_s == 75.0 and util.non_model_s == 5.0
    assert projected.wall_s < project(build_timeline(fixture_events()), 10.0).wall_s


def test_a_log_without_phase_markers_still_has_plan_build_and_gates() -> None:
    old = [e for e in fixture_events() if not str(e["event"]).startswith("phase_")]
    timeline = build_timeline(old)
    assert _spans(timeline, "plan") == [(0.0, 20.0)]
    assert _spans(timeline, "build") == [(20.0, 50.0)]
    assert timeline.gates[0].start == 60.0


def test_only_the_first_run_of_a_log_is_read_and_an_empty_log_is_an_error() -> None:
    other = {
        **_ev(80, "task_dispatched", task_id="x", attempt=1, epoch=1, device="z"),
        "run_id": "other",
    }
    timeline = build_timeline([*fixture_events(), other])
    assert "z" not in timeline.devices
    with pytest.raises(ReportError):
        build_timeline([])


def test_the_phase_marker_writes_a_pair_and_flags_a_failed_step(tmp_path: Path) -> None:
    log = EventLog(None)
    with phase(log, "plan"):
        pass
    with pytest.raises(RuntimeError), phase(log, "build"):
        raise RuntimeError("boom")
    names = [(r["event"], r["phase"], r.get("ok")) for r in log.records or []]
    assert names == [
        ("phase_started", "plan", None),
        ("phase_finished", "plan", True),
        ("phase_started", "build", None),
        ("phase_finished", "build", False),
    ]


def test_timeline_for_reads_the_latest_log_of_a_workdir(tmp_path: Path) -> None:
    folder = tmp_path / ".swarm"
    folder.mkdir()
    lines = "\n".join(json.dumps(e) for e in fixture_events())
    (folder / "run-fixture.jsonl").write_text(lines + "\n", encoding="utf-8")
    assert timeline_for(tmp_path).to_dict()["figures"]["busy_share_build"] == 0.5
    with pytest.raises(ReportError):
        timeline_for(tmp_path / "empty")
