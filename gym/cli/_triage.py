"""`gym triage [RUN…] [--json]`: failure classes of recorded runs, with the traces to read.

Nothing is fixed automatically: each class lists its episodes and references into the
artifact store (event log lines, the task's transcript lines, the produced file), and its
rate per swarm code version with a Wilson interval. Bad input is one line and exit 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gym.cli._edge import fail as _fail
from gym.cli._edge import opt as _opt
from ledger import LedgerError


def triage(
    runs: Annotated[
        list[str] | None, typer.Argument(help="Run ids or 'last' (default last).")
    ] = None,
    as_json: Annotated[bool, _opt("Print JSON on stdout.", "--json")] = False,
    gym_dir: Annotated[Path, _opt("Ledger and run folders (default .gym).")] = Path(".gym"),
) -> None:
    """Group behavioural and code findings into failure classes, with traces and rates."""
    from gym.triage import resolve_runs, triage_lines
    from ledger import Ledger
    from reports.triage import triage as build

    try:
        with Ledger.open(gym_dir, create=False) as ledger:
            result = build(ledger, resolve_runs(ledger, runs or []))
    except LedgerError as exc:
        raise _fail("gym triage", exc, 2) from None
    if as_json:
        typer.echo(result.model_dump_json(indent=1))
        return
    for line in triage_lines(result):
        typer.echo(line)


def register(app: typer.Typer) -> None:
    """Attach `gym triage` to the gym app."""
    app.command("triage")(triage)
