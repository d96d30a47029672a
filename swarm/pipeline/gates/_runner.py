"""The post-build gate sequence: smoke, the AST reviewer, then the sink's examples.

The integrate-verify sink is a DAG task run by the scheduler; before it runs it is
handed every judge verdict and reviewer finding of the run and the spec's examples
(``sink_briefing``). After the scheduler, each gate runs; a red gate re-dispatches the
owners of its findings once, then runs again, and its final status is what the report's
``gates`` shows. The sink gate is the examples run and compared in code (``_sink.py``),
not the sink task's own status, which is kept beside it as ``task_status``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from swarm.events import EventLog
from swarm.knobs import Knobs, register_knob
from swarm.pipeline.gates._entry import entry_package
from swarm.pipeline.gates._repair import repair_round, route
from swarm.pipeline.gates._result import GateResult, GateStatus
from swarm.pipeline.gates._review import ReviewGate
from swarm.pipeline.gates._sink import SinkGate
from swarm.pipeline.gates._smoke import SmokeGate
from swarm.protocols import Device, Dispatcher
from swarm.report import RunStatus, TaskStatus

if TYPE_CHECKING:
    from swarm.pipeline.examples import Example

register_knob(
    "gates.smoke",
    bool,
    True,
    "Run the smoke gate (pytest collect, pytest, `python -m pkg --help`).",
    tunable=True,
)
register_knob(
    "gates.review",
    bool,
    True,
    "Run the model-free AST reviewer (stubs, unwired and shadowing modules).",
    tunable=True,
)
register_knob(
    "gates.repair",
    bool,
    True,
    "Give each red gate exactly one corrective re-dispatch of the owning workers.",
    tunable=True,
)
register_knob(
    "gates.sink_findings",
    bool,
    True,
    "Hand the integrate-verify sink every judge verdict and reviewer finding.",
    tunable=True,
)
register_knob(
    "gates.examples",
    bool,
    True,
    "The sink gate runs the spec's examples and compares them in code (off: the sink "
    "task's own status, a model's claim).",
    tunable=True,
)
register_knob(
    "gates.example_timeout_s",
    float,
    20.0,
    "Timeout of one spec example run by the sink gate (seconds).",
    bounds=(1.0, 600.0),
)
register_knob(
    "gates.timeout_s", float, 120.0, "Timeout of one gate oracle (seconds).", bounds=(1.0, 3600.0)
)
register_knob(
    "gates.python",
    str,
    "python",
    "Interpreter the gates run in the sandbox (`python` is the swarm's own).",
)

SINK_ID = "integrate-verify"


class GateRunner:
    """Owns the gates of one run: the pre-build snapshot, the sink briefing, the sequence."""

    def __init__(
        self,
        workdir: Path,
        spec: str,
        knobs: Knobs,
        events: EventLog,
        examples: Sequence[Example] = (),
    ) -> None:
        self.workdir = workdir
        self.spec = spec
        self.knobs = knobs
        self.events = events
        self.package = entry_package(spec, workdir)
        self.review = ReviewGate(workdir, self.package)
        self.sink = SinkGate(workdir, examples, timeout_s=knobs.get("gates.example_timeout_s"))
        self.judge_notes: list[str] = []
        events.subscribe(self._on_event)

    def _on_event(self, record: dict[str, Any]) -> None:
        if record.get("event") == "judge_verdict" and record.get("verdict") not in (None, "ok"):
            self.judge_notes.append(
                f"{record.get('task_id')}: judge {record.get('verdict')} "
                f"({record.get('reason') or record.get('action') or ''})".rstrip()
            )

    def snapshot(self) -> None:
        """Take the reviewer's pre-build snapshot (call before the scheduler starts)."""
        if self.knobs.get("gates.review"):
            self.review.snapshot()

    def sink_briefing(self) -> str:
        """Findings for the sink: reviewer findings so far plus every judge verdict."""
        if not self.knobs.get("gates.sink_findings"):
            return ""
        lines = (
            [f.as_instruction() for f in self.review.new_findings()]
            if self.knobs.get("gates.review")
            else []
        )
        lines += self.judge_notes
        lines += [self.sink.prereview_briefing()] if self.sink.prereview else []
        if self.knobs.get("gates.examples") and self.sink.briefing():
            lines.append(self.sink.briefing())
        return "\n".join(lines)

    async def run(
        self, outcome: Any, dispatcher: Dispatcher, context: Any, devices: Sequence[Device]
    ) -> dict[str, Any]:
        """Run every enabled gate (repairing once when the schedule finished); the report's
        ``gates`` section."""
        if outcome.status is RunStatus.INTERRUPTED:
            return {}
        repair = self.knobs.get("gates.repair") and outcome.status is RunStatus.DONE
        results: dict[str, GateResult] = {}
        for gate in self._gates():
            results[gate.name] = await self._run_gate(
                gate, repair, outcome, dispatcher, context, devices
            )
        if results.get("review") and results["review"].repaired and "smoke" in results:
            results["smoke"] = await self._recheck(self._gates()[0], results["smoke"])
        gates: dict[str, Any] = {name: r.as_dict() for name, r in results.items()}
        gates["sink"] = await self._sink_gate(repair, outcome, dispatcher, context, devices)
        return gates

    async def _sink_gate(
        self,
        repair: bool,
        outcome: Any,
        dispatcher: Dispatcher,
        context: Any,
        devices: Sequence[Device],
    ) -> dict[str, Any]:
        """The examples' verdict (repaired once on a mismatch), beside the sink task's status."""
        task = self._sink_status(outcome)
        if not self.knobs.get("gates.examples"):
            return task
        result = await self._run_gate(self.sink, repair, outcome, dispatcher, context, devices)
        return {
            **result.as_dict(),
            "task_status": task.get("task_status"),
            "error": task.get("error"),
            "examples": [r.as_dict() for r in self.sink.results],
        }

    def _gates(self) -> list[Any]:
        gates: list[Any] = []
        if self.knobs.get("gates.smoke"):
            gates.append(
                SmokeGate(
                    self.workdir,
                    self.package,
                    python=self.knobs.get("gates.python"),
                    timeout_s=self.knobs.get("gates.timeout_s"),
                )
            )
        if self.knobs.get("gates.review"):
            gates.append(self.review)
        return gates

    async def _run_gate(
        self,
        gate: Any,
        repair: bool,
        outcome: Any,
        dispatcher: Dispatcher,
        context: Any,
        devices: Sequence[Device],
    ) -> GateResult:
        result = await gate.check()
        self._emit(result)
        if result.status is not GateStatus.FAIL or not repair:
            return result
        routed = route(result.findings, context.owners(), SINK_ID)
        attempts = {t.task_id: t.attempts for t in outcome.tasks}
        repairs = await repair_round(
            gate.name,
            routed,
            tasks=context.tasks,
            attempts=attempts,
            review_findings=context.review_findings,
            dispatcher=dispatcher,
            devices=devices,
            events=self.events,
        )
        after = await self._recheck(gate, result)
        after.repairs = repairs
        return after

    async def _recheck(self, gate: Any, before: GateResult) -> GateResult:
        after = await gate.check()
        after.repaired = True
        after.before = before.before or before.status.value
        after.repairs = dict(before.repairs)
        self._emit(after)
        return after

    def _emit(self, result: GateResult) -> None:
        self.events.emit(
            result.name,
            status=result.status.value,
            repaired=result.repaired,
            findings=[f.as_instruction()[:500] for f in result.findings],
            steps=result.steps,
        )

    def _sink_status(self, outcome: Any) -> dict[str, Any]:
        sink = next((t for t in outcome.tasks if t.task_id == SINK_ID), None)
        if sink is None:
            return {"status": GateStatus.SKIPPED.value, "reason": "no sink task"}
        ok = sink.status is TaskStatus.DONE
        return {
            "status": "pass" if ok else "fail",
            "task_status": sink.status.value,
            "error": sink.error,
        }
