"""Cluster view: per-node work from swarm reports; a Gantt timeline from a stored event log."""

from __future__ import annotations

import json

import pandas as pd

from reports._cluster import node_work, read_timeline


def _turns(*reports):
    return pd.DataFrame({"record": [json.dumps({"report": r}) for r in reports]})


def test_node_work_sums_per_device_and_counts_stalls_and_judge_kills():
    report = {
        "per_device": {
            "a": {"dispatched": 2, "tool_calls": 10, "retries": 1, "busy_ms": 1500},
            "b": {"dispatched": 1, "tool_calls": 3, "retries": 0, "busy_ms": 500},
        },
        "tasks": [
            {
                "attempt_history": [
                    {"device": "a", "outcome": "no_progress"},
                    {"device": "b", "outcome": "judge:stalled"},
                    {"device": "b", "outcome": "ok"},
                ]
            }
        ],
    }
    work = {w.node: w for w in node_work(_turns(report, report))}
    assert (work["a"].dispatched, work["a"].tool_calls, work["a"].busy_ms) == (4, 20, 3000)
    assert (work["a"].stalls, work["a"].judge_kills, work["a"].turns) == (2, 0, 2)
    assert (work["b"].stalls, work["b"].judge_kills) == (0, 2)


def test_timeline_pairs_dispatch_with_completion_and_keeps_unfinished_tasks(tmp_path):
    log = tmp_path / "run.jsonl"
    events = [
        {"ts": "2026-01-01T00:00:00+00:00", "seq": 1, "event": "run_started"},
        {
            "ts": "2026-01-01T00:00:01+00:00",
            "seq": 2,
            "event": "task_dispatched",
            "task_id": "api",
            "device": "mac1",
        },
        {
            "ts": "2026-01-01T00:00:02+00:00",
            "seq": 3,
            "event": "task_dispatched",
            "task_id": "cli",
            "device": "mac2",
        },
        {"ts": "2026-01-01T00:00:05+00:00", "seq": 4, "event": "task_retry", "task_id": "api"},
        {
            "ts": "2026-01-01T00:00:06+00:00",
            "seq": 5,
            "event": "task_dispatched",
            "task_id": "api",
            "device": "mac2",
        },
        {"ts": "2026-01-01T00:00:09+00:00", "seq": 6, "event": "task_completed", "task_id": "api"},
    ]
    log.write_text("\n".join(json.dumps(e) for e in events) + "\nnot json\n")
    timeline = read_timeline(log, "ep", 1)
    bars = sorted((b.task_id, b.device, b.start_s, b.end_s, b.outcome) for b in timeline.bars)
    assert bars == [
        ("api", "mac1", 1.0, 5.0, "retry"),
        ("api", "mac2", 6.0, 9.0, "done"),
        ("cli", "mac2", 2.0, 9.0, "unfinished"),
    ]


def test_an_empty_event_log_gives_a_reason_not_a_crash(tmp_path):
    log = tmp_path / "run.jsonl"
    log.write_text("garbage\n")
    timeline = read_timeline(log, "ep", 2)
    assert timeline.bars == [] and "no readable events" in timeline.problem
