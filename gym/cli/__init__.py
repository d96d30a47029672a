"""The ``gym`` command: one typer app; each command group lives in its own module.

Errors from every package are caught here, at the edge, and printed as one line
with exit status 2 (bad input) — never a traceback.
"""

from __future__ import annotations

import sys

import typer

from gym.cli import _ab, _ledger, _models, _report, _run, _sim, _tasks, _triage, _tune, _view

app = typer.Typer(
    name="gym",
    help="Self-driving benchmark harness for multi-agent coding swarms.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
)


@app.callback()
def _root() -> None:
    """Self-driving benchmark harness for multi-agent coding swarms."""


@app.command("version")
def _version_command() -> None:
    """Print the installed swarm-gym version."""
    from importlib.metadata import version as _version

    typer.echo(_version("swarm-gym"))


for module in (_run, _tasks, _sim, _models, _ledger, _report, _tune, _view, _ab, _triage):
    module.register(app)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        print("gym: interrupted", file=sys.stderr)
        sys.exit(130)


__all__ = ["app", "main"]
