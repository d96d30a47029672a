"""The ``swarm`` command (contract 2): ``swarm run``, ``report``, ``examples`` and ``timeline``.

Errors are caught here, at the edge, and printed as one line: bad input, an unusable
fleet or a bad knob exits 2; otherwise the exit code follows the report's status
(0 done, 1 failed, 3 stuck, 130 interrupted — SIGTERM and SIGINT included).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="swarm", no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False
)


class OutputFormat(StrEnum):
    """How ``swarm run`` prints its final report."""

    TEXT = "text"
    JSON = "json"


@app.callback()
def _root() -> None:
    """Multi-agent coding swarm: plan, build in parallel, verify by running."""


def _fail(message: str, code: int = 2) -> typer.Exit:
    from verifier import clean_line

    typer.echo(f"swarm: {clean_line(message)}", err=True)
    return typer.Exit(code)


@app.command()
def run(
    spec: Annotated[str, typer.Option("--spec", help="Spec file, or - for stdin.")],
    workdir: Annotated[Path, typer.Option("--workdir", help="Directory to build in.")],
    fleet: Annotated[str, typer.Option("--fleet", help="Comma list of node URLs.")],
    knob: Annotated[list[str] | None, typer.Option("--knob", help="name=value (repeat).")] = None,
    knob_file: Annotated[Path | None, typer.Option("--knob-file", help="TOML knobs.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--output-format")] = OutputFormat.TEXT,
    log_file: Annotated[Path | None, typer.Option("--log-file", help="Readable log.")] = None,
    timeout_s: Annotated[float | None, typer.Option("--timeout-s", help="Wall limit.")] = None,
) -> None:
    """Plan SPEC into a task DAG and build it in WORKDIR across FLEET."""
    from brain import BrainError, parse_fleet_spec
    from swarm.errors import SwarmError
    from swarm.knobs import resolve_knobs
    from swarm.pipeline.mcp import parse_servers
    from swarm.pipeline.run import RunRequest, prepare_workdir, read_spec

    try:
        text = read_spec(spec, sys.stdin.read() if spec == "-" else None)
        knobs = resolve_knobs(knob_file, knob or [])
        parse_servers(knobs.get("mcp.servers"))
        if timeout_s is not None and timeout_s <= 0:
            raise _fail("--timeout-s must be positive")
        request = RunRequest(
            spec=text,
            workdir=prepare_workdir(workdir),
            nodes=parse_fleet_spec(fleet),
            knobs=knobs,
            timeout_s=timeout_s,
            log_file=log_file,
        )
        report = _run_interruptible(request)
    except (SwarmError, BrainError) as exc:
        raise _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    except asyncio.CancelledError:
        raise _fail("interrupted before the run started", 130) from None
    _print_report(report, output_format)
    _say_why(report)
    raise typer.Exit(report.status.exit_code)


def _say_why(report: object) -> None:
    """A run that did not finish says why on stderr, whatever the output format."""
    from swarm.report import RunReport
    from verifier import clean_line

    assert isinstance(report, RunReport)
    if report.reason:
        label = "infrastructure" if report.infra_reason else report.status.value
        typer.echo(f"swarm: run {label}: {clean_line(report.reason)}", err=True)


def _run_interruptible(request: object) -> object:
    """Run the pipeline; SIGTERM/SIGINT cancel it so it writes ``run_finished`` interrupted."""
    from swarm.pipeline.run import run_swarm

    async def main() -> object:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, task.cancel)
        try:
            return await run_swarm(request)  # type: ignore[arg-type]
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)

    return asyncio.run(main())


def _print_report(report: object, output_format: OutputFormat) -> None:
    from swarm.report import RunReport

    assert isinstance(report, RunReport)
    if output_format is OutputFormat.JSON:
        typer.echo(report.model_dump_json(indent=2))
        return
    typer.echo(
        f"run {report.run_id}: {report.status.value} "
        f"({report.done} done, {report.failed} failed, {report.elapsed_ms / 1000:.1f}s)"
    )
    for task in report.tasks:
        device = task.device or "-"
        note = f"  error: {task.error}" if task.error else ""
        typer.echo(
            f"  {task.task_id:<28} {task.status.value:<9} {device:<18} "
            f"attempts={task.attempts} tools={task.tool_calls}{note}"
        )
    for name, gate in report.gates.items():
        status = gate.get("status") if isinstance(gate, dict) else gate
        typer.echo(f"  gate {name}: {status}")


@app.command()
def report(
    from_events: Annotated[Path, typer.Option("--from-events", help="A run's JSONL log.")],
    output_format: Annotated[OutputFormat, typer.Option("--output-format")] = OutputFormat.JSON,
) -> None:
    """Rebuild a run's final report from its event log alone."""
    from swarm.errors import SwarmError
    from swarm.report import rebuild_report

    try:
        rebuilt = rebuild_report(from_events)
    except SwarmError as exc:
        raise _fail(str(exc)) from None
    _print_report(rebuilt, output_format)


@app.command()
def examples(
    spec: Annotated[str, typer.Option("--spec", help="Spec file, or - for stdin.")],
    workdir: Annotated[Path, typer.Option("--workdir", help="The built tree to run them in.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    fleet: Annotated[
        str | None, typer.Option("--fleet", help="Node URLs for what the parsers cannot read.")
    ] = None,
    timeout_s: Annotated[float, typer.Option("--timeout-s", help="Per example.")] = 20.0,
) -> None:
    """Run the spec's examples in WORKDIR and compare their output: pass, fail or inconclusive."""
    from brain import BrainError
    from swarm.errors import SwarmError
    from swarm.pipeline.examples import ExamplesRequest, render_outcome, run_request

    try:
        request = ExamplesRequest.parse(spec, workdir, fleet, timeout_s)
        outcome = asyncio.run(run_request(request))
    except (SwarmError, BrainError) as exc:
        raise _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    typer.echo(render_outcome(outcome, as_json=as_json))
    raise typer.Exit(1 if outcome.status == "fail" else 0)


@app.command()
def timeline(
    workdir: Annotated[Path, typer.Argument(help="A run's workdir, or one event log file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Where the latest run's wall time went: phases, gates, each device's attempts and calls."""
    import json

    from swarm.errors import SwarmError
    from swarm.timeline import render_text, timeline_for

    try:
        built = timeline_for(workdir)
    except SwarmError as exc:
        raise _fail(str(exc)) from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise _fail(f"event log of {workdir} is malformed: {exc}") from None
    typer.echo(json.dumps(built.to_dict(), indent=1) if as_json else render_text(built))


@app.command()
def knobs() -> None:
    """List every knob with its default and documentation."""
    from swarm.knobs import all_knobs

    for name, declared in all_knobs().items():
        mark = " (tunable)" if declared.tunable else ""
        typer.echo(f"{name} = {declared.default!r}{mark}\n    {declared.doc}")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
