"""`gym ab`: a paired A/B experiment by hand, for any knob — structural ones included.

The tweaker only moves the safe set; gates, contracts, the judge, the scheduler policy and
prompts are tested here, by a person. Same arms, statistics and ledger record as
`gym tune`; nothing is adopted. Bad input is one line and exit 2, before anything runs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from gym.cli._edge import (
    BrainOption,
    ConfigOption,
    FleetOption,
    GymDirOption,
    JudgeOption,
    MaxTurnsOption,
    ParallelOption,
)
from gym.cli._edge import opt as _opt
from gym.config import load_config


def ab(
    knob: Annotated[list[str] | None, _opt("Arm B's change, name=value (repeatable).")] = None,
    suite: Annotated[str | None, _opt("Suite both arms play (fixed tasks and seeds).")] = None,
    episodes: Annotated[int | None, _opt("Sampled episodes per arm (no suite).")] = None,
    brain: BrainOption = None,
    fleet: FleetOption = None,
    base_knob: Annotated[
        list[str] | None, _opt("Knob both arms share, name=value (repeatable).", "--base-knob")
    ] = None,
    seed: Annotated[int | None, _opt("Seed of sampling and bootstrap.")] = None,
    max_turns: MaxTurnsOption = None,
    parallel: ParallelOption = None,
    judge: JudgeOption = None,
    gym_dir: GymDirOption = None,
    config_file: ConfigOption = None,
) -> None:
    """A/B any knobs by hand: paired arms, the tweaker's statistics, a ledger record."""
    from gym.cli._tune import _printer, _tweaker_edge, _wide_console
    from gym.tweaker import hand_ab

    flags = {
        "suite": suite,
        "brain": brain,
        "fleet": fleet,
        "knobs": base_knob or None,
        "seed": seed,
        "max_turns": max_turns,
        "parallel": parallel,
        "judge": judge,
        "gym_dir": gym_dir,
    }
    console = _wide_console()
    with _tweaker_edge("gym ab"):
        base = load_config(flags, toml_path=config_file).config
        result = hand_ab(base, knob or [], episodes_per_arm=episodes)
    _printer(console)(result)


def register(app: typer.Typer) -> None:
    """Attach `gym ab` to the gym app."""
    app.command("ab")(ab)
