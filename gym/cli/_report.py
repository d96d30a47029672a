"""`gym regrade`, `gym report` and `gym regress`: grades again, the HTML report, the nightly check.

``gym regress`` exits 1 on a significant regression, 0 otherwise (2 also when the suite
could not be run, so an infrastructure failure is never mistaken for a regression).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gym.cli._ledger_access import GymDir, RunRefs, ledger_edge, open_ledger, resolve_runs, run_refs
from ledger import Ledger, LedgerError
from verifier import clean_line

_REPORT_HELP = "HTML file (default GYM_DIR/report.html)."
_REGRESS_OUT_HELP = "Report file (default GYM_DIR/regress-RUN.html)."


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

    with (
        ledger_edge("regrade", BrainError, TaskError, VerifierError),
        open_ledger(gym_dir) as ledger,
    ):
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
        typer.echo(f"  skipped {clean_line(reason, limit=None)}", err=True)


def _judge_transport(url: str | None) -> object:
    if url is None:
        return None
    from brain import transport_for

    return transport_for(url)


def _catalog() -> Path:
    from gym.catalog import CATALOG_DIR
    from gym.config import load_config

    return load_config({}).config.catalog_dir or CATALOG_DIR


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

    with ledger_edge("report", ReportError), open_ledger(gym_dir) as ledger:
        target = out or ledger.gym_dir / "report.html"
        summary = build_report(
            ledger,
            target,
            run_ids=resolve_runs(ledger, run_refs(runs)),
            group_by=group_by,
            timeline=timeline,
            max_episodes=max_episodes,
        )
    typer.echo(
        f"wrote {summary.path} ({summary.runs} runs, {summary.episodes} episodes, "
        f"{summary.figures} figures, {summary.bytes / 1e6:.1f} MB)"
    )


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
    from reports import (
        ReportError,
        build_report,
        compare_runs,
        comparison_table,
        load,
        mde_sentence,
    )

    with ledger_edge("regress", ReportError, BrainError, GymError), open_ledger(gym_dir) as ledger:
        if out is not None and out.is_dir():  # before the suite runs, not after
            raise ReportError(f"--out {out} is a directory; give a file name")
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
    """Attach `regrade`, `report` and `regress` to the gym app."""
    app.command("regrade")(regrade)
    app.command("report")(report)
    app.command("regress")(regress)
