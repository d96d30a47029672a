"""`gym run` and `gym config show`.

Every flag but ``--resume``, ``--fail-under``, ``--json`` and ``--config`` mirrors a
:class:`gym.config.GymConfig` field; a flag that is not given leaves the value from
``gym.toml`` or the default. Bad input is one line on stderr and exit 2, before anything
is written. Results (the summary table, or ``--json``'s object) go to stdout; the banner
and progress to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from brain import BrainError
from gym.cli._edge import (
    BrainOption,
    ConfigOption,
    FleetOption,
    GymDirOption,
    JudgeOption,
    MaxTurnsOption,
    ParallelOption,
)
from gym.cli._edge import fail as _fail
from gym.cli._edge import opt as _opt
from gym.config import load_config
from gym.errors import GymConfigError, GymError
from ledger import LedgerError

config_app = typer.Typer(help="The effective gym configuration.", no_args_is_help=True)


def run(
    episodes: Annotated[int | None, _opt("Episodes to run (default 20).", metavar="N")] = None,
    parallel: ParallelOption = None,
    archetype: Annotated[
        str | None, _opt("heavy-spec, minimal-spec or continue-existing.", metavar="KIND")
    ] = None,
    persona: Annotated[str | None, _opt("Force one persona.", metavar="NAME")] = None,
    suite: Annotated[
        str | None,
        _opt("Run a fixed suite: a built-in name or a suite .toml file.", metavar="NAME|FILE"),
    ] = None,
    task: Annotated[
        list[str] | None, _opt("Only this catalog task (repeatable).", "--task", metavar="ID")
    ] = None,
    brain: BrainOption = None,
    fleet: FleetOption = None,
    knob: Annotated[
        list[str] | None, _opt("Swarm knob (repeatable).", "--knob", metavar="NAME=VALUE")
    ] = None,
    seed: Annotated[
        int | None,
        _opt("Sampling seed (default 0): one seed draws the same episodes.", metavar="N"),
    ] = None,
    max_turns: MaxTurnsOption = None,
    turn_timeout_s: Annotated[
        float | None, _opt("Swarm wall time per turn, in seconds.", metavar="SECONDS")
    ] = None,
    swarm_cmd: Annotated[
        str | None,
        _opt("Your own swarm command instead of the built-in one (see README).", metavar="CMD"),
    ] = None,
    gym_dir: GymDirOption = None,
    catalog_dir: Annotated[Path | None, _opt("Task catalog directory.", metavar="DIR")] = None,
    judge: JudgeOption = None,
    invent: Annotated[
        bool | None, _opt("The brain invents each task (self-tested).", "--invent/--no-invent")
    ] = None,
    from_kept: Annotated[
        bool | None,
        _opt(
            "continue-existing may start from green apps kept by earlier runs "
            "(such runs do not pair with others).",
            "--from-kept/--no-from-kept",
        ),
    ] = None,
    executor: Annotated[
        str | None,
        _opt("Where episodes run: local (default) or ray (the ray extra).", metavar="NAME"),
    ] = None,
    ray_address: Annotated[
        str | None,
        _opt("Ray cluster: auto or HOST:PORT (default: a private local instance).", metavar="ADDR"),
    ] = None,
    ray_num_cpus: Annotated[
        float | None, _opt("CPUs each episode declares on Ray (default 1).", metavar="N")
    ] = None,
    resume: Annotated[
        str | None, _opt("Continue an unfinished run by its id.", metavar="RUN")
    ] = None,
    fail_under: Annotated[
        str | None,
        _opt("Exit 1 when the final pass rate is below RATE (0 to 1).", metavar="RATE"),
    ] = None,
    as_json: Annotated[
        bool, _opt("Print the run's summary as one JSON object on stdout.", "--json", metavar="")
    ] = False,
    config_file: ConfigOption = None,
) -> None:
    """Run episodes: a persona asks, the swarm builds, the verifier grades (offline by default).

    Results go to stdout, progress to stderr. Exit 0 when the run finished, 1 when
    --fail-under is given and the pass rate is below it, 2 on bad input.
    """
    from gym.orchestrator import run_gym

    threshold = _rate("gym run", fail_under)
    flags = {
        "episodes": episodes,
        "parallel": parallel,
        "archetype": archetype,
        "persona": persona,
        "suite": suite,
        "tasks": task or None,
        "brain": brain,
        "fleet": fleet,
        "knobs": knob or None,
        "seed": seed,
        "max_turns": max_turns,
        "turn_timeout_s": turn_timeout_s,
        "swarm_cmd": swarm_cmd,
        "gym_dir": gym_dir,
        "catalog_dir": catalog_dir,
        "judge": judge,
        "invent": invent,
        "from_kept": from_kept,
        "executor": executor,
        "ray_address": ray_address,
        "ray_num_cpus": ray_num_cpus,
    }
    try:
        loaded = load_config(flags, toml_path=config_file)
        results = Console(stderr=True) if as_json else None  # --json: stdout is the object
        run_id = run_gym(loaded.config, resume=resume, results=results)
    except GymConfigError as exc:
        raise _fail("gym run", exc, 2) from None
    except (BrainError, LedgerError) as exc:
        raise _fail("gym run", exc, 2) from None
    except GymError as exc:
        raise _fail("gym run", exc, exc.exit_code) from None
    summary = _summary(loaded.config.gym_dir, run_id)
    from gym.tweaker import print_run_proposal  # cluster reds -> the safe change it would test

    print_run_proposal(loaded.config.gym_dir, run_id, lambda line: typer.echo(line, err=True))
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
    _check_rate(summary, threshold)


def _rate(command: str, value: str | None) -> float | None:
    """``--fail-under`` as a number in 0..1; anything else is one line and exit 2."""
    if value is None:
        return None
    try:
        rate = float(value)
    except ValueError:
        rate = float("nan")
    if not 0.0 <= rate <= 1.0:  # NaN fails too
        typer.echo(f"{command}: --fail-under must be a number from 0 to 1, not {value!r}", err=True)
        raise typer.Exit(2)
    return rate


def _summary(gym_dir: Path, run_id: str) -> dict[str, Any]:
    from gym.orchestrator import run_dir

    path = run_dir(gym_dir, run_id) / "summary.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _check_rate(summary: dict[str, Any], threshold: float | None) -> None:
    """Exit 1 when the pass rate is below ``threshold`` (no graded episode counts as below)."""
    if threshold is None:
        return
    rate = summary.get("pass_rate")
    if rate is None or rate < threshold:
        shown = "no graded episode" if rate is None else f"pass rate {rate:.2%}"
        typer.echo(f"gym run: {shown} is below --fail-under {threshold:g}", err=True)
        raise typer.Exit(1)


@config_app.command("show")
def show(
    config_file: ConfigOption = None,
) -> None:
    """Print the effective configuration and where each value came from."""
    try:
        loaded = load_config({}, toml_path=config_file)
    except GymConfigError as exc:
        raise _fail("gym config show", exc, 2) from None
    table = Table(title="gym config")
    table.add_column("option")
    table.add_column("value", overflow="fold")
    table.add_column("source")
    values: dict[str, Any] = loaded.config.model_dump(mode="json")
    for name, value in values.items():
        table.add_row(name, Text(str(value)), loaded.sources[name])
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Attach `gym run` and `gym config` to the gym app."""
    app.command("run")(run)
    app.add_typer(config_app, name="config")
