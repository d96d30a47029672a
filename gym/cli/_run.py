"""`gym run` and `gym config show`.

Every flag mirrors a :class:`gym.config.GymConfig` field; a flag that is not
given leaves the value from ``gym.toml`` or the default. Bad input is one line
on stderr and exit 2, before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from brain import BrainError
from gym.cli._edge import fail as _fail
from gym.cli._edge import opt as _opt
from gym.config import CONFIG_FILE, load_config
from gym.errors import GymConfigError, GymError
from ledger import LedgerError

config_app = typer.Typer(help="The effective gym configuration.", no_args_is_help=True)


_CONFIG_HELP = f"Config file (default ./{CONFIG_FILE})."


def run(
    episodes: Annotated[int | None, _opt("Episodes to run (default 20).")] = None,
    parallel: Annotated[int | None, _opt("Episodes at the same time (default 2).")] = None,
    archetype: Annotated[str | None, _opt("heavy-spec, minimal-spec or continue-existing.")] = None,
    persona: Annotated[str | None, _opt("Force one persona.")] = None,
    suite: Annotated[str | None, _opt("Run a fixed suite (tasks + seeds).")] = None,
    brain: Annotated[str | None, _opt("Harness brain URL, e.g. anthropic:MODEL.")] = None,
    fleet: Annotated[str | None, _opt("Comma list of fleet node URLs.")] = None,
    knob: Annotated[list[str] | None, _opt("Swarm knob name=value (repeatable).")] = None,
    seed: Annotated[int | None, _opt("Sampling seed (default 0).")] = None,
    max_turns: Annotated[int | None, _opt("Turns per episode at most (default 6).")] = None,
    turn_timeout_s: Annotated[float | None, _opt("Swarm wall time per turn.")] = None,
    swarm_cmd: Annotated[str | None, _opt("External swarm command (contract 2).")] = None,
    gym_dir: Annotated[Path | None, _opt("Ledger and run folders (default .gym).")] = None,
    catalog_dir: Annotated[Path | None, _opt("Task catalog directory.")] = None,
    judge: Annotated[bool | None, _opt("Grade with the AI judge.", "--judge/--no-judge")] = None,
    invent: Annotated[
        bool | None, _opt("The brain invents each task (self-tested).", "--invent/--no-invent")
    ] = None,
    resume: Annotated[str | None, _opt("Continue an unfinished run by its id.")] = None,
    config_file: Annotated[Path | None, _opt(_CONFIG_HELP, "--config")] = None,
) -> None:
    """Run episodes: a persona asks, the swarm builds, the verifier grades (offline by default)."""
    from gym.orchestrator import run_gym

    flags = {
        "episodes": episodes,
        "parallel": parallel,
        "archetype": archetype,
        "persona": persona,
        "suite": suite,
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
    }
    try:
        loaded = load_config(flags, toml_path=config_file)
        run_gym(loaded.config, resume=resume)
    except GymConfigError as exc:
        raise _fail("gym run", exc, 2) from None
    except (BrainError, LedgerError) as exc:
        raise _fail("gym run", exc, 2) from None
    except GymError as exc:
        raise _fail("gym run", exc, exc.exit_code) from None


@config_app.command("show")
def show(
    config_file: Annotated[Path | None, _opt(_CONFIG_HELP, "--config")] = None,
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
