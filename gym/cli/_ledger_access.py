"""What the commands that read the ledger share: its options, opening it, the error edge.

Every such command reads the ledger in ``--gym-dir`` (default: gym.toml's ``gym_dir``, else
``./.gym``) and never creates one; a missing or corrupt ledger, an unknown run id or a
ledger from a newer schema is one line on stderr and exit 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from gym.cli._edge import fail
from ledger import Ledger, LedgerError

_GYM_DIR_HELP = "Gym directory holding ledger.sqlite (default: gym.toml's gym_dir, else ./.gym)."
GymDir = Annotated[Path | None, typer.Option("--gym-dir", help=_GYM_DIR_HELP, metavar="DIR")]
RunRefs = Annotated[
    list[str] | None,
    typer.Option("--runs", help="Only these runs (repeat or comma list).", metavar="RUN[,RUN]"),
]


@contextmanager
def ledger_edge(command: str, *expected: type[Exception]) -> Iterator[None]:
    """Turn ledger, config and the ``expected`` errors into one line on stderr and exit 2."""
    from gym.errors import GymConfigError

    try:
        yield
    except (LedgerError, GymConfigError, *expected) as exc:
        raise fail(f"gym {command}", exc) from None


def gym_dir_of(option: Path | None) -> Path:
    """``--gym-dir`` if given, else the configured one."""
    if option is not None:
        return option
    from gym.config import load_config

    return load_config({}).config.gym_dir


def open_ledger(option: Path | None) -> Ledger:
    """Open an existing ledger (never create one)."""
    return Ledger.open(gym_dir_of(option), create=False)


def run_refs(values: list[str] | None) -> list[str] | None:
    """``--runs a --runs b,c`` -> [a, b, c]."""
    if not values:
        return None
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def resolve_runs(ledger: Ledger, refs: list[str] | None) -> list[str] | None:
    """Run ids for references (prefixes, 'last'); None stays None (all runs)."""
    return None if refs is None else [ledger.resolve_run(r) for r in refs]
