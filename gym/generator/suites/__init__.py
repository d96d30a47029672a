"""Fixed suites: named lists of (task, persona, seed) that nightly regression replays.

A suite is ``gym/generator/suites/<name>.toml``::

    description = "what it covers"
    [[episodes]]
    task = "expr-calc"
    persona = "pragmatic"
    seed = 11
    max_turns = 3        # optional, per entry
"""

from __future__ import annotations

import tomllib
from importlib import resources

from pydantic import BaseModel, Field, ValidationError

from gym.errors import GymConfigError


class SuiteEntry(BaseModel):
    """One episode of a suite: the task, the persona playing it and its seed."""

    model_config = {"extra": "forbid"}

    task: str
    persona: str
    seed: int
    max_turns: int | None = Field(default=None, ge=1, le=6)


class Suite(BaseModel):
    """A named, fixed list of episodes."""

    model_config = {"extra": "forbid"}

    name: str = ""
    description: str = ""
    episodes: list[SuiteEntry] = Field(min_length=1)


def suite_names() -> list[str]:
    """Names of the built-in suites."""
    files = resources.files(__name__).iterdir()
    return sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml"))


def load_suite(name: str) -> Suite:
    """Load a built-in suite; GymConfigError names an unknown or malformed one."""
    if name not in suite_names():
        raise GymConfigError(f"unknown suite {name!r}; known: {', '.join(suite_names())}")
    text = resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    try:
        suite = Suite.model_validate({**tomllib.loads(text), "name": name})
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise GymConfigError(f"suite {name}: {str(exc).splitlines()[0]}") from None
    seeds = [e.seed for e in suite.episodes]
    if len(set(seeds)) != len(seeds):
        raise GymConfigError(f"suite {name}: seeds must be distinct (they key resumed episodes)")
    return suite
