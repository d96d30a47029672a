"""The gym CLI's edge: an error becomes one clean line on stderr and an exit status.

Every ``gym`` command group turns the errors it expects into :func:`fail`, so the
wording, the first-line rule and the scrubbing of untrusted text are the same
everywhere (error messages can carry model or app output).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from gym.config import CONFIG_FILE
from verifier import clean_line

#: Error lines longer than this are cut with an ellipsis.
MESSAGE_LIMIT = 500


def first_line(exc: Exception) -> str:
    """The message a person needs: the first line, or the flag a validation error names."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"--{str(first['loc'][0]).replace('_', '-')}: {first['msg']}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def fail(prefix: str, exc: Exception, code: int = 2) -> typer.Exit:
    """Print ``prefix: message`` on stderr and return the Exit to raise."""
    typer.echo(f"{prefix}: {clean_line(first_line(exc), MESSAGE_LIMIT)}", err=True)
    return typer.Exit(code)


def opt(help_text: str, *names: str, metavar: str | None = None) -> Any:
    """A typer option with help text, optional explicit flag names and a plain metavar.

    A flag (``--x/--no-x``) gets an empty metavar: it takes no value, so help shows none.
    """
    if metavar is None and any("/" in n for n in names):
        metavar = ""
    return typer.Option(*names, help=help_text, metavar=metavar)


# The options every command that plays episodes shares (run, tune, ab), said once.
BrainOption = Annotated[str | None, opt("Harness brain URL, e.g. anthropic:MODEL.", metavar="URL")]
FleetOption = Annotated[str | None, opt("Comma list of fleet node URLs.", metavar="URLS")]
MaxTurnsOption = Annotated[int | None, opt("Turns per episode at most (default 6).", metavar="N")]
ParallelOption = Annotated[int | None, opt("Episodes at the same time (default 2).", metavar="N")]
JudgeOption = Annotated[bool | None, opt("Grade with the AI judge.", "--judge/--no-judge")]
GymDirOption = Annotated[Path | None, opt("Ledger and run folders (default .gym).", metavar="DIR")]
ConfigOption = Annotated[
    Path | None, opt(f"Config file (default ./{CONFIG_FILE}).", "--config", metavar="FILE")
]


def serve_until_stopped(wait: Callable[[], object], stop: Callable[[], object]) -> None:
    """Block in ``wait`` until Ctrl-C or SIGTERM (a supervisor's stop), then ``stop``."""
    signal.signal(signal.SIGTERM, _exit_quietly)
    try:
        wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        stop()


def _exit_quietly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)
