"""The ``swarm run`` pipeline: spec → plan → contracts → schedule → gates → report.

Each step writes its events as it happens, so a killed run still leaves its story.
The report's status is honest: ``done`` only when the scheduler finished, no task
failed, the ``integrate-verify`` sink passed and no gate is red.

Errors at this edge::

    SwarmError (swarm.errors)      exit 2: bad input, unusable fleet, bad knob
    └── BadInput                   an empty/unreadable spec, a workdir that is a file
    PlanningFailed (swarm.pipeline.planner) exit 1: no usable plan (recorded as a failed run)
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import traceback
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brain import NodeSpec, Transport, mark_simulated
from swarm.dag import Dag
from swarm.errors import FleetError, ReportError, SwarmError
from swarm.events import EventLog
from swarm.fleet import devices_from_nodes
from swarm.knobs import Knobs, register_knob
from swarm.pipeline._fleet_io import (
    MeteredTransport,
    UsageMeter,
    build_transports,
    close_all,
    probe_fleet,
)
from swarm.pipeline._overlap import apply_overlap
from swarm.pipeline._scouts import scout
from swarm.pipeline.clarify import (
    AskFloor,
    ask_floor,
    ask_user,
    forced_drafts,
    needs_more_drafts,
)
from swarm.pipeline.contracts import ContractWriter, FrozenContracts
from swarm.pipeline.examples import extract_examples
from swarm.pipeline.gates import GateRunner
from swarm.pipeline.mcp import McpHub, parse_servers
from swarm.pipeline.planner import SINK_ID, Planner, PlanningFailed, PlanOutcome
from swarm.pipeline.review import FindingsSink, ReviewSideWork, build_side_work
from swarm.pipeline.worker import Worker, WorkerContext, WorkerSettings, transcript_path
from swarm.report import RunReport, RunStatus, TaskStatus, UsageReport, rebuild_report
from swarm.scheduler import Scheduler, SchedulerOutcome
from swarm.timeline import phase

register_knob(
    "run.probe_timeout_s",
    float,
    30.0,
    "How long each node may take to answer the start-up probe (seconds).",
    bounds=(0.1, 600.0),
)
register_knob(
    "run.node_idle_timeout_s",
    float,
    900.0,
    "A streamed answer silent this long is a stalled node (0 disables).",
    bounds=(0.0, 86_400.0),
)
register_knob(
    "run.node_timeout_s",
    float,
    1800.0,
    "Hard timeout of one model call (seconds).",
    bounds=(1.0, 86_400.0),
)
register_knob(
    "run.max_tokens",
    int,
    8192,
    "Most tokens one model answer may hold (planning, workers, gates); a call asking for "
    "fewer keeps its own bound.",
    bounds=(16, 131_072),
)
register_knob(
    "run.judge",
    bool,
    True,
    "Run the deterministic judge over live workers (over-reading, looping...).",
    tunable=True,
)


class BadInput(SwarmError):
    """The run cannot start as asked (exit 2); ``str(err)`` is one line."""


@dataclass
class RunRequest:
    """Everything ``swarm run`` was given, already parsed."""

    spec: str
    workdir: Path
    nodes: list[NodeSpec]
    knobs: Knobs
    timeout_s: float | None = None
    log_file: Path | None = None


def read_spec(source: str, stdin_text: str | None = None) -> str:
    """The spec text from a file or ``-`` (stdin); BadInput when unreadable or empty."""
    if source == "-":
        text = stdin_text or ""
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise BadInput(f"cannot read spec {source}: {reason}") from None
    if not text.strip():
        raise BadInput(f"spec {source} is empty: give the project description to build")
    return text


def prepare_workdir(path: Path) -> Path:
    """Create the workdir if needed; BadInput when it is a file or cannot be created."""
    if path.exists() and not path.is_dir():
        raise BadInput(f"workdir {path} is a file, not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"cannot create workdir {path}: {exc.strerror}") from None
    return path.resolve()


async def run_swarm(request: RunRequest) -> RunReport:
    """Open the fleet, run the pipeline, close the fleet; FleetError if no node answers."""
    knobs = request.knobs
    transports = build_transports(
        request.nodes,
        idle_timeout_s=knobs.get("run.node_idle_timeout_s"),
        timeout_s=knobs.get("run.node_timeout_s"),
    )
    try:
        down = await probe_fleet(transports, knobs.get("run.probe_timeout_s"))
        nodes = [mark_simulated(n, transports[n.name]) for n in request.nodes if n.name not in down]
        if not nodes:
            reasons = "; ".join(f"{name}: {why}" for name, why in down.items())
            raise FleetError(f"no node of the fleet answered the probe ({reasons})")
        with EventLog.for_run(request.workdir) as events, _text_log(events, request.log_file):
            return await Pipeline(request, nodes, transports, events).execute(down)
    finally:
        await close_all(transports)


@contextlib.contextmanager
def _text_log(events: EventLog, path: Path | None) -> Iterator[None]:
    """Mirror events as readable lines into ``--log-file`` when one is given."""
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:

        def write(record: dict[str, Any]) -> None:
            skip = ("ts", "seq", "run_id", "event")
            fields = " ".join(f"{k}={v}" for k, v in record.items() if k not in skip)
            handle.write(f"{record['ts']} {record['event']} {fields}"[:2000] + "\n")
            handle.flush()

        unsubscribe = events.subscribe(write)
        try:
            yield
        finally:
            unsubscribe()


class Pipeline:
    """One run over a probed fleet: the steps in order, then an honest report."""

    def __init__(
        self,
        request: RunRequest,
        nodes: list[NodeSpec],
        transports: dict[str, Transport],
        events: EventLog,
    ) -> None:
        self.request = request
        self.knobs = request.knobs
        self.nodes = nodes
        self.transports = {n.name: transports[n.name] for n in nodes}
        self.events = events
        self.meter = UsageMeter()
        cap = self.knobs.get("run.max_tokens")
        self.metered = [
            MeteredTransport(
                self.transports[n.name],
                self.meter,
                events,
                max_tokens=cap,
                calls=events,
                node=n.name,
            )
            for n in nodes
        ]
        # Workers' tokens are the scheduler's to count; this meter only counts their answers.
        self.worker_meter = UsageMeter()
        self.worker_transports: dict[str, Transport] = {
            name: MeteredTransport(t, self.worker_meter, max_tokens=cap, calls=events, node=name)
            for name, t in self.transports.items()
        }
        self.devices = devices_from_nodes(nodes)
        self.outcome: SchedulerOutcome | None = None
        self.plan: PlanOutcome | None = None
        self.briefing = ""
        """The scouts' findings block ('' when scouts are off or found nothing)."""
        self.floor: AskFloor | None = None
        self.gates: dict[str, Any] = {}

    async def execute(self, down: dict[str, str]) -> RunReport:
        """Run every step; timeouts, cancellation and planning failures end the run honestly."""
        started = time.monotonic()
        self.events.emit(
            "run_started",
            pool=[self._pool_entry(n) for n in self.nodes],
            unreachable=down,
            knobs=self.knobs.as_dict(),
            spec_chars=len(self.request.spec),
        )
        status, reason, infra = RunStatus.FAILED, None, False
        try:
            async with asyncio.timeout(self.request.timeout_s):
                await self._steps()
            status, reason = self._honest_status()
            infra = status is not RunStatus.DONE and self.worker_meter.answers == 0
        except TimeoutError:
            reason = f"timeout: the run exceeded --timeout-s {self.request.timeout_s:g}"
        except asyncio.CancelledError:
            status, reason = RunStatus.INTERRUPTED, "interrupted (signal)"
            current = asyncio.current_task()
            if current is not None:
                current.uncancel()  # handled here: the report and run_finished still get written
        except PlanningFailed as exc:
            reason, infra = f"PlanningFailed: {exc}", True
        except SwarmError as exc:
            reason = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - recorded in the log and the report, not hidden
            reason = f"internal error: {type(exc).__name__}: {exc}"
            self._write_crash(traceback.format_exc())
        if infra and reason:
            reason = f"no model answered a worker: {reason}" if self.outcome else reason
        return self._finish(status, reason, infra, (time.monotonic() - started) * 1000)

    def _write_crash(self, text: str) -> None:
        """Keep the traceback of an internal error next to the event log."""
        crash = self.request.workdir / ".swarm" / f"crash-{self.events.run_id}.txt"
        crash.write_text(text, encoding="utf-8")

    def _pool_entry(self, node: NodeSpec) -> dict[str, Any]:
        return {
            "name": node.name,
            "url": node.url,
            "model": node.model,
            "weight": node.weight,
            "speed": node.speed,
            "simulated": node.simulated,
        }

    async def _steps(self) -> None:
        with phase(self.events, "scout"):
            self.briefing = await self._scout()
        self.plan = await self._plan()
        frozen = await self._details_and_contracts(self.plan)
        context = WorkerContext(
            workdir=self.request.workdir,
            spec=self.request.spec,
            tasks={t.id: t for t in self.plan.tasks},
            details=self.plan.details,
            frozen_interfaces=frozen.render(),
            clarifications=self.plan.clarifications,
            scout_findings=self.briefing,
            transcript=transcript_path(self.events.path) if self.events.path else None,
        )
        async with self._mcp() as hub:
            worker = Worker(
                self.worker_transports,
                context,
                WorkerSettings.from_knobs(self.knobs),
                mcp_tools=hub.callers if hub else None,
                mcp_specs=hub.specs if hub else None,
                context_tokens={n.name: n.ctx for n in self.nodes},
            )
            gates = GateRunner(
                self.request.workdir,
                self.request.spec,
                self.knobs,
                self.events,
                examples=frozen.examples,
            )
            gates.snapshot()
            if self.knobs.get("build.frozen_overlap"):  # after the snapshot: stubs are new files
                self.plan.tasks = apply_overlap(
                    self.request.workdir, self.plan.tasks, frozen.stubs, self.events
                )
            context.sink_briefing = gates.sink_briefing
            with phase(self.events, "build"):
                self.outcome = await self._schedule(worker, gates.sink)
            with phase(self.events, "gates"):
                self.gates = await gates.run(self.outcome, worker, context, self.devices)

    async def _scout(self) -> str:
        """Read-only research before planning (``scouts.enabled``): the findings block."""
        return await scout(
            self.metered,
            [n.name for n in self.nodes],
            self.knobs,
            self.events,
            spec=self.request.spec,
            workdir=self.request.workdir,
            files=existing_files(self.request.workdir),
        )

    async def _plan(self) -> PlanOutcome:
        workers = sum(d.weight for d in self.devices)
        planner = self._planner(self.knobs, workers)
        floor = self.floor = ask_floor(self.knobs, [n.model for n in self.nodes])
        existing = existing_files(self.request.workdir)
        with phase(self.events, "plan"):
            plan = await planner.plan(self.request.spec, existing)
            if needs_more_drafts(floor, plan.confidence, plan.self_consistency, plan.fallback):
                # one draft gives no agreement signal: low confidence re-plans best-of-N
                drafts = forced_drafts(self.knobs)
                self.events.emit(
                    "best_of_n_forced",
                    drafts=drafts,
                    floor=floor.floor,
                    plan_confidence=round(plan.confidence, 4),
                )
                knobs = self.knobs.with_overrides({"planner.drafts": drafts})
                plan = await self._planner(knobs, workers).plan(self.request.spec, existing)
        if not plan.fallback and plan.confidence < floor.floor:
            plan.clarifications = await ask_user(
                self.request.workdir,
                plan.questions,
                plan.confidence,
                timeout_s=self.knobs.get("planner.clarify_timeout_s"),
                poll_s=self.knobs.get("planner.clarify_poll_s"),
                events=self.events,
                floor=floor,
            )
        self.detailer = planner  # details run beside the contracts (_details_and_contracts)
        return plan

    async def _details_and_contracts(self, plan: PlanOutcome) -> FrozenContracts:
        """Details and contracts both need only the plan: overlapped (planner.detail_overlap)."""

        async def details() -> None:
            with phase(self.events, "detail"):
                plan.details = await self.detailer.detail(self.request.spec, plan.tasks)

        async def contracts() -> FrozenContracts:
            with phase(self.events, "contracts"):
                return await self._contracts(plan)

        if not self.knobs.get("planner.detail_overlap"):
            await details()
            return await contracts()
        frozen, _ = await asyncio.gather(contracts(), details())
        return frozen

    def _planner(self, knobs: Knobs, workers: int) -> Planner:
        return Planner(self.metered, knobs, self.events, workers=workers, briefing=self.briefing)

    async def _contracts(self, plan: PlanOutcome) -> FrozenContracts:
        """Freeze the interfaces and, beside them, the spec's examples (both before building)."""
        examples = extract_examples(
            self.request.spec,
            self.metered,
            self.events,
            use_model=self.knobs.get("examples.model"),
            attempts=self.knobs.get("planner.call_attempts"),
            timeout_s=self.knobs.get("examples.model_timeout_s"),
        )
        if not self.knobs.get("contracts.enabled"):
            return FrozenContracts(examples=await examples)
        writer = ContractWriter(
            self.metered,
            self.events,
            freeze_cli=self.knobs.get("contracts.freeze_cli"),
            attempts=self.knobs.get("planner.call_attempts"),
            briefing=self.briefing,
        )
        frozen, found = await asyncio.gather(writer.freeze(self.request.spec, plan.tasks), examples)
        frozen.examples = found
        return frozen

    @contextlib.asynccontextmanager
    async def _mcp(self) -> AsyncIterator[McpHub | None]:
        servers = parse_servers(self.knobs.get("mcp.servers"))
        if not servers:
            yield None
            return
        async with McpHub(servers, call_timeout_s=self.knobs.get("mcp.call_timeout_s")) as hub:
            self.events.emit(
                "mcp_ready", servers=[s.name for s in servers], tools=[s.name for s in hub.specs]
            )
            yield hub

    def _side_work(self, sink: FindingsSink | None) -> ReviewSideWork | None:
        """The LLM judge and idle-node pre-review, on free slots (``swarm.pipeline.review``)."""
        assert self.plan is not None
        return build_side_work(
            self.knobs,
            {n.name: t for n, t in zip(self.nodes, self.metered, strict=True)},
            spec=self.request.spec,
            workdir=self.request.workdir,
            tasks={t.id: t for t in self.plan.tasks},
            events=self.events,
            sink=sink,
        )

    async def _schedule(self, worker: Worker, sink: FindingsSink | None = None) -> SchedulerOutcome:
        assert self.plan is not None
        dag = Dag(self.plan.tasks, confidence=round(self.plan.confidence, 4))
        extra = {**self.plan.plan_loaded_fields(), "detailed": sorted(self.plan.details)}
        if self.floor is not None:
            extra["ask_floor"] = self.floor.as_dict()
        scheduler = Scheduler(
            dag,
            self.devices,
            worker,
            events=_PlanAnnotated(self.events, extra),
            knobs=self.knobs,
            judge=None if self.knobs.get("run.judge") else False,
            workdir=self.request.workdir,
            side_work=self._side_work(sink),
        )
        return await scheduler.run()

    def _honest_status(self) -> tuple[RunStatus, str | None]:
        assert self.outcome is not None
        return honest_status(self.outcome, self.gates)

    def _finish(
        self, status: RunStatus, reason: str | None, infra: bool, elapsed_ms: float
    ) -> RunReport:
        usage = UsageReport(
            prompt_tokens=self.meter.usage.prompt_tokens,
            completion_tokens=self.meter.usage.completion_tokens,
        )
        report = self._report(status, usage, elapsed_ms).model_copy(
            update={
                "reason": reason,
                "infra_reason": reason if infra else None,
                "plan_fallback": bool(self.plan and self.plan.fallback),
            }
        )
        self.events.emit(
            "run_finished",
            status=status.value,
            reason=reason,
            infra_reason=report.infra_reason,
            done=report.done,
            failed=report.failed,
            gates=self.gates,
            usage=report.usage.model_dump(),
            knobs=report.knobs,
            elapsed_ms=round(elapsed_ms, 1),
        )
        return report

    def _report(self, status: RunStatus, usage: UsageReport, elapsed_ms: float) -> RunReport:
        knobs = self.knobs.as_dict()
        if self.outcome is not None:
            return self.outcome.report(
                self.events.run_id,
                gates=self.gates,
                knobs=knobs,
                extra_usage=usage,
                status=status,
                elapsed_ms=elapsed_ms,
            )
        partial = self._replayed()
        if partial is None:
            return RunReport(
                run_id=self.events.run_id,
                status=status,
                gates=self.gates,
                usage=usage,
                knobs=knobs,
                elapsed_ms=elapsed_ms,
            )
        usage = UsageReport(
            prompt_tokens=usage.prompt_tokens + partial.usage.prompt_tokens,
            completion_tokens=usage.completion_tokens + partial.usage.completion_tokens,
        )
        return partial.model_copy(
            update={
                "run_id": self.events.run_id,
                "status": status,
                "gates": self.gates,
                "usage": usage,
                "knobs": knobs,
                "elapsed_ms": elapsed_ms,
            }
        )

    def _replayed(self) -> RunReport | None:
        """What the event log knows so far (a run stopped before the scheduler returned)."""
        if self.events.path is None:
            return None
        try:
            return rebuild_report(self.events.path)
        except (ReportError, ImportError):
            return None


def existing_files(workdir: Path) -> list[str]:
    """Project files already in the workdir (hidden folders and caches left out)."""
    found = []
    for path in sorted(workdir.rglob("*")):
        rel = path.relative_to(workdir)
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            found.append(rel.as_posix())
    return found


def honest_status(outcome: SchedulerOutcome, gates: dict[str, Any]) -> tuple[RunStatus, str | None]:
    """``done`` only if the scheduler finished, nothing failed, the sink passed, no red gate."""
    if outcome.status is not RunStatus.DONE:
        return outcome.status, f"scheduler ended {outcome.status.value}"
    sink = next((t for t in outcome.tasks if t.task_id == SINK_ID), None)
    if sink is None or sink.status is not TaskStatus.DONE:
        return RunStatus.FAILED, "the integrate-verify sink did not pass"
    failed = [t.task_id for t in outcome.tasks if t.status is TaskStatus.FAILED]
    if failed:
        return RunStatus.FAILED, f"failed tasks: {', '.join(failed)}"
    red = [
        name
        for name, gate in gates.items()
        if isinstance(gate, dict) and gate.get("status") == "fail"
    ]
    if red:
        return RunStatus.FAILED, f"red gates: {', '.join(red)}"
    return RunStatus.DONE, None


class _PlanAnnotated:
    """The event log as the scheduler sees it, adding the planner's scores to ``plan_loaded``.

    The scheduler writes ``plan_loaded`` when it starts; the draft scores and plan
    confidence it cannot know ride along here so the event tells the whole planning story.
    """

    def __init__(self, events: EventLog, extra: dict[str, Any]) -> None:
        self._events = events
        self._extra = extra
        self.run_id = events.run_id
        self.path = events.path

    def emit(self, event: str, **fields: Any) -> None:
        """Forward one event; ``plan_loaded`` gets the planner's fields."""
        if event == "plan_loaded":
            fields = {**fields, **self._extra}
        self._events.emit(event, **fields)
