"""`gym tasks list`, `gym tasks check [ID...]` and `gym verify WORKDIR --task TASK`.

`gym verify` grades a produced workdir on the seven dimensions and exits 0 when the verdict
is pass, 1 when it is not, 2 on bad usage. The AI judge runs only when ``--judge URL`` is
given (there is no key offline); ``--judge sim:competent`` uses the simulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Annotated

import typer

import verifier
from brain import BrainError, Transport, transport_for
from gym.catalog import CATALOG_DIR
from gym.cli._edge import fail
from verifier import (
    Grade,
    Task,
    TaskError,
    VerifierError,
    clean_line,
    latest_event_log,
    read_report,
)

CatalogOpt = Annotated[
    Path | None, typer.Option(help="Catalog directory (default: built-in).", metavar="DIR")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.", metavar="")]
EVENTS_HELP = "The swarm's JSONL event log (default: newest WORKDIR/.swarm/run-*.jsonl)."
JUDGE_HELP = "Judge brain URL, e.g. sim:competent or anthropic:MODEL (default: no judge)."

tasks_app = typer.Typer(
    help="The task catalog: list tasks, self-test them against controls.", no_args_is_help=True
)


def _load_catalog(catalog: Path | None) -> tuple[list[Task], list[str]]:
    root = catalog or CATALOG_DIR
    if not root.is_dir():
        raise fail("gym", FileNotFoundError(f"catalog {root} is not a directory"))
    errors: list[str] = []
    return verifier.discover_tasks(root, errors=errors), errors


@tasks_app.command("list")
def list_tasks(
    catalog: CatalogOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the catalog's tasks with archetype, difficulty, stages and controls."""
    tasks, errors = _load_catalog(catalog)
    rows = [
        {
            "id": t.id,
            "title": t.title,
            "archetype": t.archetype.value,
            "difficulty": t.difficulty,
            "stages": t.max_stage,
            "controls": sorted(t.controls),
        }
        for t in tasks
    ]
    if as_json:
        typer.echo(json.dumps({"tasks": rows, "errors": errors}, indent=2))
    else:
        for r in rows:  # task text is untrusted: no escape sequence reaches the terminal
            typer.echo(
                f"{clean_line(r['id'], 60):<24} {r['archetype']:<18} d{r['difficulty']}  "
                f"stages {r['stages']}  controls {len(r['controls'])}  "
                + clean_line(r["title"], 200)
            )
        for line in errors:
            typer.echo(f"invalid: {clean_line(line, 500)}", err=True)
    raise typer.Exit(1 if errors else 0)


def _select(tasks: list[Task], ids: list[str]) -> list[Task]:
    by_id = {t.id: t for t in tasks}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise fail(
            "gym",
            KeyError(
                f"unknown task id(s): {', '.join(unknown)}; known: {', '.join(sorted(by_id))}"
            ),
        )
    return [by_id[i] for i in ids] if ids else tasks


def _print_self_test(result: verifier.SelfTestResult) -> None:
    typer.echo(f"{'ok  ' if result.ok else 'FAIL'} {result.task}")
    for tree in result.trees:
        mark = "ok  " if tree.ok else "FAIL"
        dims = " ".join(f"{n}={s}" for n, s in tree.statuses.items())
        line = f"  {mark} {tree.tree:<28} stage {tree.stage}  expect {tree.expect:<22} {dims}"
        typer.echo(line + (f"\n       {clean_line(tree.reason, 400)}" if tree.reason else ""))


@tasks_app.command("check")
def check_tasks(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Task ids (default: all).", metavar="ID")
    ] = None,
    catalog: CatalogOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Self-test tasks: references must pass, each broken control must fail its dimension."""
    tasks, errors = _load_catalog(catalog)
    if not as_json:  # invalid task files first; each task's lines as soon as it is checked
        for line in errors:
            typer.echo(f"FAIL {clean_line(line, 500)}", err=True)
    results = []
    for task in _select(tasks, ids or []):
        try:
            results.append(verifier.self_test(task))
        except VerifierError as exc:
            errors.append(str(exc))
            if not as_json:
                typer.echo(f"FAIL {clean_line(str(exc), 500)}", err=True)
            continue
        if not as_json:
            _print_self_test(results[-1])
    if as_json:
        dumped = [r.model_dump(mode="json") for r in results]
        typer.echo(json.dumps({"results": dumped, "errors": errors}, indent=2))
    raise typer.Exit(0 if results and all(r.ok for r in results) and not errors else 1)


# ---------------------------------------------------------------- verify


def _resolve_task(spec: str, catalog: Path | None) -> Task:
    path = Path(spec)
    if not path.exists() and (catalog or CATALOG_DIR).joinpath(spec).is_dir():
        path = (catalog or CATALOG_DIR) / spec
    return verifier.load_task(path)


def _print_grade(grade: Grade) -> None:
    typer.echo(
        f"{grade.task} stage {grade.stage}: {grade.verdict.value.upper()}"
        f"  (isolation {grade.isolation}{', TAMPERED' if grade.tampered else ''})"
    )
    for name, dim in grade.dimensions.items():
        typer.echo(f"  {name:<13} {dim.status.value:<13} {dim.score:.2f}  {dim.source.value}")
        for finding in dim.findings[:8]:
            where = (
                f" [{finding.file}{f':{finding.line}' if finding.line else ''}]"
                if finding.file
                else ""
            )
            typer.echo(
                f"      {finding.severity.value:<4} {finding.code}{clean_line(where, 120)}: "
                f"{clean_line(finding.message, 240)}"
            )
        if len(dim.findings) > 8:
            typer.echo(f"      … {len(dim.findings) - 8} more")


def _close(judge: Transport | None) -> None:
    if judge is None:
        return
    # The judge's client may belong to the verifier's finished event loop; closing it from a
    # fresh loop can only fail with "loop is closed", which leaves nothing to release.
    with contextlib.suppress(RuntimeError):
        asyncio.run(judge.aclose())


def verify(
    workdir: Annotated[
        Path, typer.Argument(help="The produced app's directory.", metavar="WORKDIR")
    ],
    task: Annotated[
        str, typer.Option("--task", help="Task directory, or a catalog task id.", metavar="DIR|ID")
    ],
    stage: Annotated[
        int, typer.Option(help="Stage to grade at (1 = the opening spec).", metavar="N")
    ] = 1,
    report: Annotated[
        Path | None,
        typer.Option(help="The swarm's report JSON (what `swarm run` prints).", metavar="FILE"),
    ] = None,
    events: Annotated[Path | None, typer.Option(help=EVENTS_HELP, metavar="FILE")] = None,
    no_judge: Annotated[
        bool, typer.Option("--no-judge", help="Skip the AI judge.", metavar="")
    ] = False,
    judge: Annotated[str | None, typer.Option(help=JUDGE_HELP, metavar="URL")] = None,
    catalog: Annotated[
        Path | None, typer.Option(help="Catalog for a task given by id.", metavar="DIR")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the grade as JSON.", metavar="")
    ] = False,
) -> None:
    """Grade WORKDIR on seven dimensions; exit 0 pass, 1 not pass, 2 bad usage."""
    transport: Transport | None = None
    try:
        loaded = _resolve_task(task, catalog)
        report_data = read_report(report) if report is not None else None
        events_path = events if events is not None else latest_event_log(workdir)
        if judge and not no_judge:
            transport = transport_for(judge)
        grade = verifier.grade_workdir(
            workdir,
            loaded,
            stage=stage,
            report=report_data,
            events_path=events_path,
            judge=transport,
        )
    except (TaskError, VerifierError, BrainError) as exc:
        raise fail("gym", exc) from None
    finally:
        _close(transport)
    if as_json:
        typer.echo(json.dumps(grade.model_dump(mode="json"), indent=2))
    else:
        _print_grade(grade)
    raise typer.Exit(0 if grade.verdict is verifier.Verdict.PASS else 1)


def register(app: typer.Typer) -> None:
    """Attach `gym tasks ...` and `gym verify` to the gym app."""
    app.add_typer(tasks_app, name="tasks")
    app.command("verify")(verify)
