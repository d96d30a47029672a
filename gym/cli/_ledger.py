"""`gym ledger show|export`, `gym regrade`, `gym report` and `gym regress`.

Every command reads the ledger in ``--gym-dir`` (default: gym.toml's ``gym_dir``, else
``./.gym``) and never creates one. Bad input — a missing or corrupt ledger, an unknown
run id, a ledger from a newer schema — is one line on stderr and exit 2. ``gym regress``
exits 1 on a significant regression, 0 otherwise (2 also when the suite could not be run,
so an infrastructure failure is never mistaken for a regression).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from gym.cli._edge import fail
from ledger import Ledger, LedgerError, NotFoundError, RunView

ledger_app = typer.Typer(help="Inspect and export the append-only ledger.", no_args_is_help=True)

_GYM_DIR_HELP = "Gym directory holding ledger.sqlite (default: gym.toml's gym_dir, else ./.gym)."
GymDir = Annotated[Path | None, typer.Option("--gym-dir", help=_GYM_DIR_HELP)]
RunRefs = Annotated[
    list[str] | None, typer.Option("--runs", help="Only these runs (repeat or comma list).")
]
_REPORT_HELP = "HTML file (default GYM_DIR/report.html)."
_REGRESS_OUT_HELP = "Report file (default GYM_DIR/regress-RUN.html)."
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(value: object) -> Text:
    """Untrusted text for the terminal: no markup, no control sequences."""
    return Text(_CONTROL.sub("?", str(value)))


@contextmanager
def _edge(command: str, *expected: type[Exception]) -> Iterator[None]:
    """Turn ledger, config and the ``expected`` errors into one line on stderr and exit 2."""
    from gym.errors import GymConfigError

    try:
        yield
    except (LedgerError, GymConfigError, *expected) as exc:
        raise fail(f"gym {command}", exc) from None


def _gym_dir(option: Path | None) -> Path:
    if option is not None:
        return option
    from gym.config import load_config

    return load_config({}).config.gym_dir


def _open(option: Path | None) -> Ledger:
    return Ledger.open(_gym_dir(option), create=False)


def _split(values: list[str] | None) -> list[str] | None:
    """``--runs a --runs b,c`` -> [a, b, c]."""
    if not values:
        return None
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


# ---- gym ledger show -----------------------------------------------------------------------


@ledger_app.command("show")
def show(
    ref: Annotated[
        str | None, typer.Argument(help="Run id (unique prefix, 'last'), or episode id.")
    ] = None,
    gym_dir: GymDir = None,
) -> None:
    """List runs, or show one run's episodes, or one episode's turns and grades."""
    with _edge("ledger show"), _open(gym_dir) as ledger:
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
            _plain(run.suite or "—"),
            "sim" if run.simulated else "real",
            run.status.value,
            str(len(eps)),
            str(passed),
            _plain(models),
        )
    return table


def _show_run(console: Console, ledger: Ledger, run: RunView) -> None:
    console.print(
        _plain(
            f"run {run.id} · {run.status.value} · {'SIMULATED' if run.simulated else 'real'} · "
            f"suite {run.suite or '—'} · seed {run.seed} · code {run.code_version or '?'}"
        )
    )
    for node in run.fleet:
        console.print(_plain(f"  node {node.name}: {node.url} model={node.model} x{node.weight}"))
    if run.knobs:
        console.print(_plain("  knobs: " + " ".join(f"{k}={v}" for k, v in run.knobs.items())))
    table = Table(title="episodes")
    table.add_column("episode", no_wrap=True)
    for column in ("task", "archetype", "persona", "seed", "status", "verdict"):
        table.add_column(column, overflow="fold")
    for e in ledger.episodes(run.id):
        table.add_row(
            e.id,
            _plain(e.task),
            _plain(e.archetype),
            _plain(e.persona),
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
        _plain(
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
            str(g.turn), g.dimension, f"{g.score:.2f}", g.status.value, _plain(findings or "—")
        )
    console.print(table)
    for a in ledger.artifacts(episode.id):
        console.print(_plain(f"  artifact {a.kind} turn={a.turn}: {a.path} sha256={a.sha256[:12]}"))


# ---- gym ledger export ---------------------------------------------------------------------


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
    from reports import ReportError, load
    from reports._export import export_frame, write_export

    with _edge("ledger export", ReportError), _open(gym_dir) as ledger:
        run_ids = _resolve_all(ledger, _split(runs))
        write_export(export_frame(load(ledger, run_ids), table), fmt, out)


def _resolve_all(ledger: Ledger, refs: list[str] | None) -> list[str] | None:
    return None if refs is None else [ledger.resolve_run(r) for r in refs]


# ---- gym regrade ---------------------------------------------------------------------------


def regrade(
    run: Annotated[str, typer.Argument(help="Run id (or unique prefix, 'last').")],
    judge: Annotated[
        str | None,
        typer.Option("--judge", help="Judge node URL (re-grades the three judge dimensions too)."),
    ] = None,
    catalog_dir: Annotated[Path | None, typer.Option("--catalog-dir", help="Task catalog.")] = None,
    gym_dir: GymDir = None,
) -> None:
    """Re-run the verifier on a run's stored trees and append the new grades."""
    from brain import BrainError
    from ledger import regrade_run
    from verifier import TaskError, VerifierError

    with _edge("regrade", BrainError, TaskError, VerifierError), _open(gym_dir) as ledger:
        run_id = ledger.resolve_run(run)
        transport = _judge_transport(judge)
        summary = regrade_run(
            ledger,
            run_id,
            catalog_dir=catalog_dir or _catalog(),
            judge=transport,
            grader=f"regrade:{judge or 'deterministic'}",
        )
    typer.echo(
        f"regraded {summary.regraded} turns of run {run_id} "
        f"({summary.changed} verdicts changed, {len(summary.skipped)} skipped)"
    )
    for reason in summary.skipped:
        typer.echo(f"  skipped {_CONTROL.sub('?', reason)}", err=True)


def _judge_transport(url: str | None) -> object:
    if url is None:
        return None
    from brain import transport_for

    return transport_for(url)


def _catalog() -> Path:
    from importlib.resources import files

    from gym.config import load_config

    configured = load_config({}).config.catalog_dir
    return configured or Path(str(files("gym.catalog")))


# ---- gym report ----------------------------------------------------------------------------


def report(
    out: Annotated[Path | None, typer.Option("--out", help=_REPORT_HELP)] = None,
    runs: RunRefs = None,
    group_by: Annotated[
        str, typer.Option("--group-by", help="config, model, fleet or knobs.")
    ] = "config",
    timeline: Annotated[
        str | None, typer.Option("--timeline", help="EPISODE[:TURN] for the Gantt.")
    ] = None,
    max_episodes: Annotated[
        int, typer.Option("--max-episodes", min=0, help="Episodes in drill-down.")
    ] = 300,
    gym_dir: GymDir = None,
) -> None:
    """Write the self-contained HTML report (leaderboard, trends, honesty, cluster, episodes)."""
    from reports import ReportError, build_report

    with _edge("report", ReportError), _open(gym_dir) as ledger:
        target = out or ledger.gym_dir / "report.html"
        summary = build_report(
            ledger,
            target,
            run_ids=_resolve_all(ledger, _split(runs)),
            group_by=group_by,
            timeline=timeline,
            max_episodes=max_episodes,
        )
    typer.echo(
        f"wrote {summary.path} ({summary.runs} runs, {summary.episodes} episodes, "
        f"{summary.figures} figures, {summary.bytes / 1e6:.1f} MB)"
    )


# ---- gym regress ---------------------------------------------------------------------------


def regress(
    suite: Annotated[str, typer.Option("--suite", help="Suite name (gym/suites/NAME.toml).")],
    baseline: Annotated[str, typer.Option("--baseline", help="Baseline run id or 'last-green'.")],
    against: Annotated[
        str | None,
        typer.Option(
            "--against", help="Compare with this finished run instead of running the suite."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help=_REGRESS_OUT_HELP)] = None,
    alpha: Annotated[
        float, typer.Option("--alpha", min=0.0001, max=0.5, help="Family-wise alpha.")
    ] = 0.05,
    gym_dir: GymDir = None,
) -> None:
    """Compare a run of the suite with a baseline; exit 1 on a significant regression."""
    from brain import BrainError
    from gym.errors import GymError
    from reports import ReportError, build_report, compare_runs, load
    from reports._table import comparison_table, mde_sentence

    with _edge("regress", ReportError, BrainError, GymError), _open(gym_dir) as ledger:
        if against:
            cand_id = _suite_run(ledger, against, suite)
            cand = ledger.run(cand_id)
            base_id = _suite_run(ledger, baseline, suite, simulated=cand.simulated, exclude=cand_id)
        else:
            base_id = _suite_run(ledger, baseline, suite)
            cand_id = _run_suite(ledger, base_id)
        comparison = compare_runs(load(ledger, [base_id, cand_id]), base_id, cand_id, alpha=alpha)
        target = out or ledger.gym_dir / f"regress-{cand_id}.html"
        build_report(
            ledger,
            target,
            run_ids=[base_id, cand_id],
            comparison=comparison,
            title=f"regression check: suite {suite}",
        )
    console = Console(highlight=False)
    if not console.is_terminal:  # cron logs and CI: wide enough for the whole table
        console = Console(highlight=False, width=140)
    console.print(comparison_table(comparison))
    typer.echo(mde_sentence(comparison))
    typer.echo(
        ("SIGNIFICANT REGRESSION" if comparison.regressed else "no significant regression")
        + f"; report: {target}"
    )
    raise typer.Exit(1 if comparison.regressed else 0)


def _suite_run(
    ledger: Ledger,
    ref: str,
    suite: str,
    *,
    simulated: bool | None = None,
    exclude: str | None = None,
) -> str:
    """Resolve ``ref`` to a run of ``suite``; 'last-green' picks one of the same kind."""
    run_id = ledger.resolve_run(ref, suite=suite, simulated=simulated, exclude=exclude)
    run = ledger.run(run_id)
    if run.suite != suite:
        raise LedgerError(f"run {run_id} is of suite {run.suite or '(none)'!r}, not {suite!r}")
    return run_id


def _run_suite(ledger: Ledger, baseline_id: str) -> str:
    """Run the baseline's suite again with its seeds and configuration (gym's orchestrator)."""
    from gym.config import GymConfig
    from gym.errors import GymConfigError
    from gym.orchestrator import run_gym

    base = ledger.run(baseline_id)
    if not base.config:
        raise GymConfigError(f"baseline run {baseline_id} has no stored config; use --against")
    try:
        config = GymConfig.model_validate({**base.config, "gym_dir": str(ledger.gym_dir)})
    except ValueError as exc:
        raise GymConfigError(
            f"baseline run {baseline_id}: stored config is unusable: {str(exc).splitlines()[0]}"
        ) from None
    return run_gym(config)


def register(app: typer.Typer) -> None:
    """Attach `ledger show|export`, `regrade`, `report` and `regress` to the gym app."""
    app.add_typer(ledger_app, name="ledger")
    app.command("regrade")(regrade)
    app.command("report")(report)
    app.command("regress")(regress)
