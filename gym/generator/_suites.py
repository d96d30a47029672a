"""Fixed suites: named lists of (task, persona, seed) that nightly regression replays.

A built-in suite is ``gym/generator/suites/<name>.toml``; ``--suite`` also takes the path of
a file of the same form::

    description = "what it covers"
    [[episodes]]
    task = "expr-calc"
    persona = "pragmatic"
    seed = 11
    max_turns = 3        # optional, per entry
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from gym.errors import GymConfigError

#: The built-in suites, one TOML file each (package data).
SUITES_DIR = Path(__file__).parent / "suites"


class SuiteEntry(BaseModel):
    """One episode of a suite: the task, the persona playing it and its seed."""

    model_config = {"extra": "forbid"}

    task: str = Field(description="Catalog task id.")
    persona: str = Field(description="Persona the brain plays (one of gym's PERSONAS).")
    seed: int = Field(
        description="Episode seed; distinct within a suite (it keys resumed episodes)."
    )
    max_turns: int | None = Field(
        default=None, ge=1, le=6, description="Turns at most; None = the run's max_turns."
    )


class Suite(BaseModel):
    """A named, fixed list of episodes."""

    model_config = {"extra": "forbid"}

    name: str = ""
    description: str = Field(default="", description="What the suite covers.")
    episodes: list[SuiteEntry] = Field(min_length=1)


def suite_names() -> list[str]:
    """Names of the built-in suites."""
    return sorted(f.stem for f in SUITES_DIR.glob("*.toml"))


def load_suite(name: str) -> Suite:
    """Load a built-in suite by name, or a suite TOML file by path.

    A value ending in ``.toml`` or naming an existing file is a path (the suite is named
    after the file); anything else is a built-in name. GymConfigError names an unknown,
    unreadable or malformed suite.
    """
    path = _suite_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GymConfigError(f"suite {name}: cannot read {path}: {exc}") from None
    try:
        suite = Suite.model_validate({**tomllib.loads(text), "name": path.stem})
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise GymConfigError(f"suite {name}: {str(exc).splitlines()[0]}") from None
    seeds = [e.seed for e in suite.episodes]
    if len(set(seeds)) != len(seeds):
        raise GymConfigError(f"suite {name}: seeds must be distinct (they key resumed episodes)")
    return suite


def _suite_path(name: str) -> Path:
    given = Path(name).expanduser()
    if name.endswith(".toml") or given.is_file():
        if not given.is_file():
            raise GymConfigError(f"suite file {name} does not exist")
        return given
    if name not in suite_names():
        raise GymConfigError(
            f"unknown suite {name!r}; known: {', '.join(suite_names())} (or give a .toml path)"
        )
    return SUITES_DIR / f"{name}.toml"
