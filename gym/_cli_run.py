"""`gym run` and `gym config show`.

Every flag mirrors a :class:`gym.config.GymConfig` field; a flag that is not
given leaves the value from ``gym.toml`` or the default. Bad input is one line
on stderr and exit 2, before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from brain import BrainError
from gym._errors import GymConfigError, GymError
from gym.config import CONFIG_FILE, load_config
from ledger import LedgerError

config_app = typer.Typer(help="The effective gym configuration.", no_args_is_help=True)


def _fail(prefix: str, exc: Exception, code: int) -> typer.Exit:
    typer.echo(f"{prefix}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
               err=True)
    return typer.Exit(code)


def run(
    episodes: int | None = typer.Option(None, help="Episodes to run (default 20)."),
    parallel: int | None = typer.Option(None, help="Episodes at the same time (default 2)."),
    archetype: str | None = typer.Option(None, help="heavy-spec, minimal-spec or continue-existing."),
    persona: str | None = typer.Option(None, help="Force one persona."),
    suite: str | None = typer.Option(None, help="Run a fixed suite (tasks + seeds)."),
    brain: str | None = typer.Option(None, help="Harness brain URL, e.g. anthropic:claude-sonnet-4-5."),
    fleet: str | None = typer.Option(None, help="Comma list of fleet node URLs."),
    knob: list[str] | None = typer.Option(None, help="Swarm knob name=value (repeatable)."),
    seed: int | None = typer.Option(None, help="Sampling seed (default 0)."),
    max_turns: int | None = typer.Option(None, help="Turns per episode at most (default 6)."),
    turn_timeout_s: float | None = typer.Option(None, help="Swarm wall time per turn."),
    swarm_cmd: str | None = typer.Option(None, help="External swarm command (contract 2)."),
    gym_dir: Path | None = typer.Option(None, help="Ledger and run folders (default .gym)."),
    catalog_dir: Path | None = typer.Option(None, help="Task catalog directory."),
    judge: bool | None = typer.Option(None, "--judge/--no-judge", help="Grade with the AI judge."),
    resume: str | None = typer.Option(None, help="Continue an unfinished run by its id."),
    config_file: Path | None = typer.Option(None, "--config", help=f"Config file (default ./{CONFIG_FILE})."),
) -> None:
    """Run episodes: a persona asks, the swarm builds, the verifier grades (offline by default)."""
    from gym.orchestrator import run_gym

    flags = {k: v for k, v in locals().items() if k not in ("resume", "config_file", "run_gym")}
    flags["knobs"] = flags.pop("knob") or None
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
    config_file: Path | None = typer.Option(None, "--config", help=f"Config file (default ./{CONFIG_FILE})."),
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
