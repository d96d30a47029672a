"""A run says why it ended: in the JSON report (``reason``, ``infra_reason``) and on stderr.

Pinned over real HTTP against the simulator's server, scripted: a server that refuses every
request shape is infrastructure, never the model's failure; a model that answers but cannot
plan still gets built (the one-task fallback) and the report says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from swarmrun_support import catalog_task, read_log
from typer.testing import CliRunner

from brain import ChatResponse
from brain.sim import Fault, FaultKind, SimPolicy, SimReply
from brain.sim.server import SimServer
from swarm.pipeline.cli import app


def _swarm_run(tmp_path: Path, url: str, spec: str) -> tuple[int, dict, str]:
    (tmp_path / "spec.md").write_text(spec)
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--spec",
            str(tmp_path / "spec.md"),
            "--workdir",
            str(tmp_path / "w"),
            "--fleet",
            url,
            "--output-format",
            "json",
            "--knob",
            "run.node_timeout_s=20",
        ],
    )
    return result.exit_code, json.loads(result.stdout), result.stderr


class _RefuseEverything:
    def reply(self, request, model):
        refusal = Fault(FaultKind.HTTP_ERROR, 400, "request not supported by this server")
        return SimReply(ChatResponse(), refusal)


def test_a_server_refusing_every_request_is_infrastructure_with_its_reason(tmp_path) -> None:
    with SimServer(_RefuseEverything()) as server:
        code, report, stderr = _swarm_run(tmp_path, server.openai_base_url, "Build a greeter.")

    assert code == 1 and report["status"] == "failed"
    assert "no model answered" in report["reason"]
    assert report["infra_reason"] == report["reason"]
    assert stderr.startswith("swarm: run infrastructure: ") and len(stderr.splitlines()) == 1
    assert "request not supported" in stderr


class _CannotPlan:
    """A model that narrates instead of planning, and builds like the competent simulator."""

    def __init__(self, inner: SimPolicy) -> None:
        self.inner = inner

    def reply(self, request, model):
        if request.response_schema_name == "PlanDraft":
            return SimReply(ChatResponse(text="Sure! First I would think about the modules..."))
        return self.inner.reply(request, model)


def test_a_model_that_cannot_plan_still_builds_on_the_fallback_plan(tmp_path) -> None:
    from brain.sim import make_policy

    task = catalog_task("csv-stats")
    with SimServer(_CannotPlan(make_policy("competent", seed=1, time_scale=0.0))) as server:
        code, report, stderr = _swarm_run(tmp_path, server.openai_base_url, task.spec)

    assert report["plan_fallback"] is True and report["infra_reason"] is None
    assert [t["task_id"] for t in report["tasks"]] == ["integrate-verify", "whole-spec"]
    events = [e["event"] for e in read_log(tmp_path / "w")]
    assert "plan_fallback" in events and "plan_loaded" in events
    assert code == (0 if report["status"] == "done" else 1), stderr
