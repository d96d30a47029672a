"""`gym ledger show|export`: the append-only history, read and exported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gym.cli._ledger_access import GymDir, RunRefs, ledger_edge, open_ledger, resolve_runs, run_refs
from ledger import Ledger, NotFoundError, RunView
from verifier import clean_line

ledger_app = typer.Typer(help="Inspect and export the append-only ledger.", no_args_is_help=True)


def _plain_text(value: object) -> Text:
    """Untrusted text for the terminal: no markup, no control sequences."""
    return Text(clean_line(value, limit=None))


@ledger_app.command("show")
def show(
    ref: Annotated[
        str | None, typer.Argument(help="Run id (unique prefix, 'last'), or episode id.")
    ] = None,
    gym_dir: GymDir = None,
) -> None:
    """List runs, or show one run's episodes, or one episode's turns and grades."""
    with ledger_edge("ledger show"), open_ledger(gym_dir) as ledger:
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


def _runs_table(ledger: Ledger, runs: list[RunView]) -> Table:
    table = Table(title=f"runs in {ledger.path}")
    table.add_column("run", no_wrap=True)
    for column in ("started", "suite", "kind", "status", "episodes", "passed", "fleet"):
        table.add_column(column, overflow="fold")
    for run in runs:
        eps = ledger.episodes(run.id)
        passed = sum(1 for e in eps if e.final_verdict and e.final_verdict.value == "pass")
        models = "+".join(sorted({n.model or n.url for n in run.fleet})) or "—"
        table.add_row(
            run.id,
            f"{run.started_at:%m-%d %H:%M}",
            _plain_text(run.suite or "—"),
            "sim" if run.simulated else "real",
            run.status.value,
            str(len(eps)),
            str(passed),
            _plain_text(models),
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
    fmt: Annotated[str, typer.Option("--format", help="csv, json or parquet.")] = "csv",
    table: Annotated[
        str, typer.Option("--table", help="grades, episodes, turns or runs.")
    ] = "grades",
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file (stdout for csv/json).")
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
