"""`gym regrade`, `gym report` and `gym regress`: grades again, the HTML report, the nightly check.

``gym regress`` exits 1 on a significant regression, 0 otherwise (2 also when the suite
could not be run, so an infrastructure failure is never mistaken for a regression). It
compares any two runs whose episodes pair on (task, seed): two suite runs, or two ad-hoc
runs with one seed; when nothing pairs it says so in one line (exit 2).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from gym.cli._ledger_access import GymDir, RunRefs, ledger_edge, open_ledger, resolve_runs, run_refs
from ledger import Ledger, LedgerError
from verifier import clean_line

if TYPE_CHECKING:
    from reports import Comparison, DimensionChange

_REPORT_HELP = "HTML file (default GYM_DIR/report.html)."
_REGRESS_OUT_HELP = "Report file (default GYM_DIR/regress-RUN.html)."


def regrade(
    run: Annotated[str, typer.Argument(help="Run id (or unique prefix, 'last').", metavar="RUN")],
    judge: Annotated[
        str | None,
        typer.Option(
            "--judge",
            help="Judge node URL (re-grades the three judge dimensions too).",
            metavar="URL",
        ),
    ] = None,
    catalog_dir: Annotated[
        Path | None, typer.Option("--catalog-dir", help="Task catalog.", metavar="DIR")
    ] = None,
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
    out: Annotated[Path | None, typer.Option("--out", help=_REPORT_HELP, metavar="FILE")] = None,
    runs: RunRefs = None,
    group_by: Annotated[
        str, typer.Option("--group-by", help="config, model, fleet or knobs.", metavar="KEY")
    ] = "config",
    timeline: Annotated[
        str | None,
        typer.Option("--timeline", help="EPISODE[:TURN] for the Gantt.", metavar="EPISODE[:TURN]"),
    ] = None,
    max_episodes: Annotated[
        int, typer.Option("--max-episodes", min=0, help="Episodes in drill-down.", metavar="N")
    ] = 300,
    bundle: Annotated[
        bool,
        typer.Option(
            "--bundle", help="Embed the artifacts (specs, logs, trees) so the file stands alone."
        ),
    ] = False,
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
            bundle=bundle,
        )
    typer.echo(
        f"wrote {summary.path} ({summary.runs} runs, {summary.episodes} episodes, "
        f"{summary.figures} figures, {summary.bytes / 1e6:.1f} MB)"
    )


def regress(
    baseline: Annotated[
        str,
        typer.Option("--baseline", help="Baseline run id, 'last' or 'last-green'.", metavar="RUN"),
    ],
    suite: Annotated[
        str | None,
        typer.Option(
            "--suite",
            help="Suite name or file: both runs must be of it ('last-green' picks one of it).",
            metavar="NAME|FILE",
        ),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="Compare with this finished run (any run whose episodes pair with the "
            "baseline's) instead of running the baseline's configuration again.",
            metavar="RUN",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help=_REGRESS_OUT_HELP, metavar="FILE")
    ] = None,
    alpha: Annotated[
        float,
        typer.Option("--alpha", min=0.0001, max=0.5, help="Family-wise alpha.", metavar="P"),
    ] = 0.05,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the comparison as one JSON object on stdout.", metavar=""
        ),
    ] = False,
    gym_dir: GymDir = None,
) -> None:
    """Compare a run with a baseline, episodes paired on (task, seed); exit 1 on a significant
    regression.

    Without --against the baseline's configuration runs again (same seed: same episodes).
    """
    from brain import BrainError
    from gym.errors import GymError
    from reports import ReportError, build_report, compare_runs, load

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
        title = f"regression check: suite {suite}" if suite else f"{cand_id} vs {base_id}"
        build_report(ledger, target, run_ids=[base_id, cand_id], comparison=comparison, title=title)
    if as_json:
        typer.echo(json.dumps(comparison_json(comparison, target), indent=2))
    else:
        _print_comparison(comparison, target)
    raise typer.Exit(1 if comparison.regressed else 0)


def _print_comparison(comparison: Comparison, target: Path) -> None:
    from reports import comparison_table, mde_sentence

    console = Console(highlight=False)
    if not console.is_terminal:  # cron logs and CI: wide enough for the whole table
        console = Console(highlight=False, width=140)
    console.print(comparison_table(comparison))
    typer.echo(mde_sentence(comparison))
    typer.echo(
        ("SIGNIFICANT REGRESSION" if comparison.regressed else "no significant regression")
        + f"; report: {target}"
    )


def comparison_json(comparison: Comparison, report_path: Path) -> dict[str, Any]:
    """``gym regress --json``: the comparison, one flat object per dimension (docs/scripting.md)."""
    c = comparison
    return {
        "baseline": c.baseline,
        "candidate": c.candidate,
        "pairs": c.n_pairs,
        "unpaired_baseline": c.unpaired_baseline,
        "unpaired_candidate": c.unpaired_candidate,
        "alpha": c.alpha,
        "tests": c.family_size,
        "mde_pass_rate": c.mde_pass,
        "regressed": c.regressed,
        "report": str(report_path),
        "dimensions": [_change_json(ch) for ch in c.changes],
    }


def _change_json(ch: DimensionChange) -> dict[str, Any]:
    boot = ch.score_test
    return {
        "dimension": ch.dimension,
        "pairs": ch.n_pairs,
        "baseline_mean": ch.base_mean,
        "candidate_mean": ch.cand_mean,
        "pass_to_fail": ch.pass_test.regressed,
        "fail_to_pass": ch.pass_test.improved,
        "mcnemar_p": ch.pass_test.p_value,
        "mcnemar_p_adjusted": ch.p_pass_adj,
        "score_delta": boot.mean_delta if boot else None,
        "score_delta_low": boot.low if boot else None,
        "score_delta_high": boot.high if boot else None,
        "bootstrap_p": boot.p_value if boot else None,
        "bootstrap_p_adjusted": ch.p_score_adj if boot else None,
        "mde_score": ch.mde_score,
        "result": "regressed" if ch.regressed else "improved" if ch.improved else "no change",
    }


def _suite_run(
    ledger: Ledger,
    ref: str,
    suite: str | None,
    *,
    simulated: bool | None = None,
    exclude: str | None = None,
) -> str:
    """Resolve ``ref`` to a run (of ``suite`` if given); 'last-green' picks one of the same kind."""
    run_id = ledger.resolve_run(ref, suite=suite, simulated=simulated, exclude=exclude)
    run = ledger.run(run_id)
    if suite is not None and run.suite != suite:
        raise LedgerError(f"run {run_id} is of suite {run.suite or '(none)'!r}, not {suite!r}")
    return run_id


def _run_suite(ledger: Ledger, baseline_id: str) -> str:
    """Run the baseline's configuration again, same seed and so the same episodes.

    The run's own summary goes to stderr: stdout holds the comparison.
    """
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
    return run_gym(config, results=Console(stderr=True))


def register(app: typer.Typer) -> None:
    """Attach `regrade`, `report` and `regress` to the gym app."""
    app.command("regrade")(regrade)
    app.command("report")(report)
    app.command("regress")(regress)
