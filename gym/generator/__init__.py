"""The generator: each episode's plan — archetype, persona, task and seed — or an invented task.

An invented task is admitted only after its self-test: its reference passes every check and
a deterministic mutant of the reference fails at least one.

Personas are the users the harness brain plays; suites (``suites/*.toml``) are fixed lists of
episodes that nightly regression replays.
"""

from __future__ import annotations

from gym.generator._invention import (
    INVENTION_TRIES,
    InventedFile,
    InventedTask,
    Invention,
    InventionRejected,
    invent_task,
    write_reference,
    write_task,
)
from gym.generator._personas import PERSONAS, Persona, UserTurn, persona
from gym.generator._plans import EpisodePlan, plan_episodes
from gym.generator._selfcheck import MUTANT, self_check, silent_mutant
from gym.generator._suites import Suite, SuiteEntry, load_suite, suite_names

__all__ = [
    "EpisodePlan",
    "invent_task",
    "InventedFile",
    "InventedTask",
    "Invention",
    "INVENTION_TRIES",
    "InventionRejected",
    "MUTANT",
    "self_check",
    "silent_mutant",
    "write_reference",
    "load_suite",
    "Persona",
    "persona",
    "PERSONAS",
    "plan_episodes",
    "Suite",
    "suite_names",
    "SuiteEntry",
    "UserTurn",
    "write_task",
]
