"""`gym ledger show|export`: the append-only history, read and exported.

``gym ledger show --json`` prints one JSON object on stdout whose shape is documented in
docs/scripting.md (ids, counts and plain values; untrusted text is left as the ledger holds
it, JSON escapes it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gym.cli._ledger_access import GymDir, RunRefs, ledger_edge, open_ledger, resolve_runs, run_refs
from ledger import EpisodeView, Ledger, NotFoundError, RunView
from verifier import Verdict, clean_line

ledger_app = typer.Typer(help="Inspect and export the append-only ledger.", no_args_is_help=True)


def _plain_text(value: object) -> Text:
    """Untrusted text for the terminal: no markup, no control sequences."""
    return Text(clean_line(value, limit=None))


@ledger_app.command("show")
def show(
    ref: Annotated[
        str | None,
        typer.Argument(
            help="Run id (unique prefix, 'last'), or episode id.", metavar="RUN|EPISODE"
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print one JSON object on stdout (docs/scripting.md).", metavar=""
        ),
    ] = False,
    gym_dir: GymDir = None,
) -> None:
    """List runs, or show one run's episodes, or one episode's turns and grades."""
    with ledger_edge("ledger show"), open_ledger(gym_dir) as ledger:
        if as_json:
            typer.echo(json.dumps(_show_json(ledger, ref), indent=2, default=str))
            return
        console = Console(highlight=False)
        if ref is None:
            console.print(_runs_table(ledger, ledger.runs()))
            return
        try:
            run_id = ledger.resolve_run(ref)
        except NotFoundError:
            _show_episode(console, ledger, ref)
            return
        _show_run(console, ledger, ledger.run(run_id))


def _show_json(ledger: Ledger, ref: str | None) -> dict[str, Any]:
    """``{"runs": [...]}``, ``{"run": {...}, "episodes": [...]}`` or ``{"episode": ...}``."""
    if ref is None:
        return {"ledger": str(ledger.path), "runs": [_run_json(ledger, r) for r in ledger.runs()]}
    try:
        run_id = ledger.resolve_run(ref)
    except NotFoundError:
        return _episode_json(ledger, ref)
    return {
        "run": _run_json(ledger, ledger.run(run_id)),
        "episodes": [_episode_row(e) for e in ledger.episodes(run_id)],
    }


def _run_json(ledger: Ledger, run: RunView) -> dict[str, Any]:
    eps = ledger.episodes(run.id)
    return {
        "run_id": run.id,
        "started_at": run.started_at.isoformat(),
        "suite": run.suite or None,
        "kind": "sim" if run.simulated else "real",
        "status": run.status.value,
        "seed": run.seed,
        "episodes": len(eps),
        "passed": sum(1 for e in eps if e.final_verdict == Verdict.PASS),
        "models": sorted({n.model or n.url for n in run.fleet}),
        "knobs": dict(run.knobs),
        "code_version": run.code_version or None,
    }


def _episode_row(e: EpisodeView) -> dict[str, Any]:
    return {
        "episode_id": e.id,
        "task": e.task,
        "archetype": e.archetype,
        "persona": e.persona,
        "seed": e.seed,
        "status": e.status.value,
        "verdict": e.final_verdict.value if e.final_verdict else None,
    }


def _episode_json(ledger: Ledger, episode_id: str) -> dict[str, Any]:
    try:
        episode = ledger.episode(episode_id)
    except NotFoundError:
        raise NotFoundError(f"no run or episode {episode_id!r} in {ledger.path}") from None
    grades = [
        {
            "turn": g.turn,
            "dimension": g.dimension,
            "score": g.score,
            "status": g.status.value,
            "findings": [f"{f.code}: {f.message}" for f in g.findings],
        }
        for g in ledger.grades(episode.id)
    ]
    turns = [
        {
            "turn": t.turn,
            "move": t.move,
            "stage": t.stage,
            "exit_code": t.exit_code,
            "prompt_tokens": t.prompt_tokens,
            "completion_tokens": t.completion_tokens,
        }
        for t in ledger.turns(episode.id)
    ]
    return {
        "episode": {**_episode_row(episode), "run_id": episode.run_id},
        "turns": turns,
        "grades": grades,
    }


def _runs_table(ledger: Ledger, runs: list[RunView]) -> Table:
    table = Table(title=f"runs in {ledger.path}")
    table.add_column("run", no_wrap=True)
    for column in ("started", "suite", "kind", "status", "episodes", "passed", "fleet", "knobs"):
        table.add_column(column, overflow="fold")
    for run in runs:
        eps = ledger.episodes(run.id)
        passed = sum(1 for e in eps if e.final_verdict == Verdict.PASS)
        models = "+".join(sorted({n.model or n.url for n in run.fleet})) or "—"
        knobs = " ".join(f"{k}={v}" for k, v in sorted(run.knobs.items())) or "—"
        table.add_row(
            run.id,
            f"{run.started_at:%m-%d %H:%M}",
            _plain_text(run.suite or "—"),
            "sim" if run.simulated else "real",
            run.status.value,
            str(len(eps)),
            str(passed),
            _plain_text(models),
            _plain_text(knobs),
        )
    return table


def _show_run(console: Console, ledger: Ledger, run: RunView) -> None:
    console.print(
        _plain_text(
            f"run {run.id} · {run.status.value} · {'SIMULATED' if run.simulated else 'real'} · "
            f"suite {run.suite or '—'} · seed {run.seed} · code {run.code_version or '?'}"
        )
    )
    for node in run.fleet:
        console.print(
            _plain_text(f"  node {node.name}: {node.url} model={node.model} x{node.weight}")
        )
    if run.knobs:
        console.print(_plain_text("  knobs: " + " ".join(f"{k}={v}" for k, v in run.knobs.items())))
    table = Table(title="episodes")
    table.add_column("episode", no_wrap=True)
    for column in ("task", "archetype", "persona", "seed", "status", "verdict"):
        table.add_column(column, overflow="fold")
    for e in ledger.episodes(run.id):
        table.add_row(
            e.id,
            _plain_text(e.task),
            _plain_text(e.archetype),
            _plain_text(e.persona),
            str(e.seed),
            e.status.value,
            e.final_verdict.value if e.final_verdict else "—",
        )
    console.print(table)


def _show_episode(console: Console, ledger: Ledger, episode_id: str) -> None:
    try:
        episode = ledger.episode(episode_id)
    except NotFoundError:
        raise NotFoundError(f"no run or episode {episode_id!r} in {ledger.path}") from None
    console.print(
        _plain_text(
            f"episode {episode.id} of run {episode.run_id} · task {episode.task} · "
            f"{episode.status.value} · verdict "
            f"{episode.final_verdict.value if episode.final_verdict else '—'}"
        )
    )
    table = Table(title="grades (current)")
    for column in ("turn", "dimension", "score", "status", "findings"):
        table.add_column(column, overflow="fold")
    for g in ledger.grades(episode.id):
        findings = "; ".join(f"{f.code}: {f.message}" for f in g.findings)
        table.add_row(
            str(g.turn), g.dimension, f"{g.score:.2f}", g.status.value, _plain_text(findings or "—")
        )
    console.print(table)
    for a in ledger.artifacts(episode.id):
        console.print(
            _plain_text(f"  artifact {a.kind} turn={a.turn}: {a.path} sha256={a.sha256[:12]}")
        )


@ledger_app.command("export")
def export(
    fmt: Annotated[
        str, typer.Option("--format", help="csv, json or parquet.", metavar="FORMAT")
    ] = "csv",
    table: Annotated[
        str, typer.Option("--table", help="grades, episodes, turns or runs.", metavar="TABLE")
    ] = "grades",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output file (stdout for csv/json).", metavar="FILE"),
    ] = None,
    runs: RunRefs = None,
    gym_dir: GymDir = None,
) -> None:
    """Export the ledger's current state as a flat table (pandas)."""
    from reports import ReportError, export_frame, load, write_export

    with ledger_edge("ledger export", ReportError), open_ledger(gym_dir) as ledger:
        run_ids = resolve_runs(ledger, run_refs(runs))
        write_export(export_frame(load(ledger, run_ids), table), fmt, out)


def register(app: typer.Typer) -> None:
    """Attach `ledger show|export` to the gym app."""
    app.add_typer(ledger_app, name="ledger")
