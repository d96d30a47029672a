"""`gym tune`: paired A/B experiments over the tweaker's safe knobs.

``--from-run RUN|last`` tests the proposals a run's cluster reds make (each naming its
trigger) on that run's own config; ``--propose k=v`` tests one proposal by hand, refused
whole when any knob in it is structural (those go through `gym ab`).

Prints each experiment's table and decision as it finishes; the adopted knob set is
written to a knob file (never applied by itself). Bad input is one line and exit 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from rich.text import Text

from brain import BrainError
from gym.cli._edge import (
    ConfigOption,
    FleetOption,
    GymDirOption,
    JudgeOption,
    MaxTurnsOption,
    ParallelOption,
)
from gym.cli._edge import fail as _fail
from gym.cli._edge import opt as _opt
from gym.config import CONFIG_FILE, load_config
from gym.errors import GymConfigError, GymError
from ledger import LedgerError


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def _table(exp: Any) -> Table:
    """One experiment's paired statistics (every cell is computed, never model text)."""
    table = Table()
    for column in ("measure", "A", "B", "B-A", "p", "p (Holm)"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    result = exp.comparison
    if result is None:
        return table
    for e in result.endpoints:
        table.add_row(
            e.name, _fmt(e.mean_a), _fmt(e.mean_b), _fmt(e.delta), _fmt(e.p_value), _fmt(e.p_adj)
        )
    for g in result.guards:
        score = g.score_test
        table.add_row(
            f"{g.dimension} score",
            _fmt(g.base_mean),
            _fmt(g.cand_mean),
            _fmt(score.mean_delta if score else None),
            _fmt(score.p_value if score else None),
            _fmt(g.p_score_adj),
        )
    table.caption = Text(
        f"{result.n_pairs} paired episode(s), {result.unpaired} unpaired; "
        "exact McNemar on pass/fail, paired bootstrap on scores"
    )
    return table


def _wide_console() -> Console:
    """The console tuning prints to; in logs and CI wide enough to keep each row on one line."""
    console = Console()
    if not console.is_terminal:
        console.width = 120
    return console


@contextmanager
def _tweaker_edge(command: str) -> Iterator[None]:
    """Turn what a tuning command expects to go wrong into one line and its exit status."""
    try:
        yield
    except (GymConfigError, BrainError, LedgerError, ValidationError) as exc:
        raise _fail(command, exc, 2) from None
    except GymError as exc:
        raise _fail(command, exc, exc.exit_code) from None


def _printer(console: Console) -> Any:
    def show(exp: Any) -> None:
        was = ", ".join(str(d.old) for d in exp.proposal.deltas)
        console.print(
            Text(
                f"experiment #{exp.index + 1}: {exp.proposal.arg()} (was {was}), "
                f"proposed by {exp.proposal.source}"
            )
        )
        if exp.proposal.trigger:
            console.print(Text(f"  trigger: {exp.proposal.trigger}"))
        console.print(_table(exp))
        if exp.proposal.source == "brain" and exp.proposal.rationale:
            console.print(Text(f"  rationale: {exp.proposal.rationale}"))
        if exp.proposal.refused:
            console.print(Text(f"  ({exp.proposal.refused})"))
        console.print(Text(f"  decision: {exp.decision.outcome.upper()} — {exp.decision.reason}"))
        console.print(
            Text(f"  arms: A {exp.run_a}, B {exp.run_b}; ledger experiment {exp.experiment_id}")
        )

    return show


def tune(
    from_run: Annotated[
        str | None, _opt("Test a run's proposals on that run's config (RUN or 'last').")
    ] = None,
    propose: Annotated[
        list[str] | None, _opt("Test this change, name=value (repeatable: one proposal).")
    ] = None,
    suite: Annotated[str | None, _opt("Suite both arms play (fixed tasks and seeds).")] = None,
    knob_candidates: Annotated[str | None, _opt("Comma list of knobs it may move.")] = None,
    episodes_per_arm: Annotated[int | None, _opt("Sampled episodes per arm (no suite).")] = None,
    experiments: Annotated[int, _opt("Experiments at most (default 3).")] = 3,
    brain: Annotated[str | None, _opt("Harness brain URL (proposes the changes).")] = None,
    fleet: FleetOption = None,
    knob: Annotated[list[str] | None, _opt("Baseline knob name=value (repeatable).")] = None,
    seed: Annotated[int | None, _opt("Seed of sampling, fallback order, bootstrap.")] = None,
    max_turns: MaxTurnsOption = None,
    parallel: ParallelOption = None,
    judge: JudgeOption = None,
    gym_dir: GymDirOption = None,
    out: Annotated[
        Path | None, _opt("Adopted knob file (default GYM_DIR/tuned-knobs.toml).")
    ] = None,
    config_file: ConfigOption = None,
) -> None:
    """Tune swarm knobs by paired A/B runs; write the adopted set to a knob file."""
    from gym.tweaker import TuneOptions
    from gym.tweaker import tune as run_tune

    flags = {
        "suite": suite,
        "brain": brain,
        "fleet": fleet,
        "knobs": knob or None,
        "seed": seed,
        "max_turns": max_turns,
        "parallel": parallel,
        "judge": judge,
        "gym_dir": gym_dir,
    }
    console = _wide_console()
    with _tweaker_edge("gym tune"):
        base = load_config(flags, toml_path=config_file).config
        proposals = None
        if from_run is not None:
            base, proposals = _from_run(base, from_run, console)
        if propose:
            from gym.tweaker import checked_proposal

            proposals = [checked_proposal(base, propose)]
        options = TuneOptions(
            candidates=knob_candidates.split(",") if knob_candidates else None,
            experiments=experiments if proposals is None else min(experiments, len(proposals)),
            episodes_per_arm=episodes_per_arm,
            out=out,
            proposals=proposals,
        )
        result = run_tune(base, options, on_experiment=_printer(console))
    _conclusion(console, result)


def _from_run(base: Any, ref: str, console: Console) -> tuple[Any, list[Any]]:
    """The run's own config (this command's ledger) and the proposals its cluster reds make."""
    from gym.tweaker import propose_for_run
    from ledger import Ledger

    with Ledger.open(base.gym_dir, create=False) as ledger:
        run_id = ledger.resolve_run(ref)
        found = propose_for_run(ledger, run_id)
    for trigger in found.triggers:
        console.print(Text(f"trigger {trigger.label()}"))
    if not found.proposals:
        why = "no cluster red" if not found.triggers else "no safe knob change answers its reds"
        raise GymConfigError(f"run {run_id}: {why}; nothing to tune")
    return found.config, found.proposals


def _conclusion(console: Console, result: Any) -> None:
    if not result.experiments:
        console.print("no experiment ran: every change in scope was already tried")
    for exp in result.experiments:
        console.print(
            Text(f"recorded: ledger experiment {exp.experiment_id}: {exp.decision.outcome}")
        )
    if result.knob_file is None:
        console.print("nothing adopted; no knob file written")
        return
    console.print(
        Text(
            f"adopted knobs written to {result.knob_file} (not applied); use "
            f"`swarm run --knob-file {result.knob_file}` or copy [knobs] into "
            f"{CONFIG_FILE}"
        )
    )


def register(app: typer.Typer) -> None:
    """Attach `gym tune` to the gym app."""
    app.command("tune")(tune)
