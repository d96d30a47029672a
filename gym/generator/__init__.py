"""The generator: each episode's plan — archetype, persona, task and seed — or an invented task.

Personas are the users the harness brain plays; suites (``suites/*.toml``) are fixed lists of
episodes that nightly regression replays.
"""

from __future__ import annotations

from gym.generator._personas import PERSONAS, Persona, UserTurn, persona
from gym.generator._plans import EpisodePlan, InventedTask, invent_task, plan_episodes, write_task
from gym.generator._suites import Suite, SuiteEntry, load_suite, suite_names

__all__ = [
    "EpisodePlan",
    "invent_task",
    "InventedTask",
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
