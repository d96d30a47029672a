"""The tweaker: auto-tune a few scope-guarded swarm knobs through paired A/B runs.

The scope guard says which knobs may move and to which values; a proposal comes from the
harness brain (checked) or a fallback; paired statistics decide adopt, reject or inconclusive.
"""

from __future__ import annotations

from gym.tweaker._decide import ADOPT, INCONCLUSIVE, REJECT, ArmComparison, Decision, decide
from gym.tweaker._loop import (
    TUNED_FILE,
    ExperimentResult,
    TuneOptions,
    TuneResult,
    arm_config,
    paired_config,
    tune,
    write_knob_file,
)
from gym.tweaker._propose import KnobProposal
from gym.tweaker._space import KnobDomain, ScopeError, tunable_space

__all__ = [
    "ADOPT",
    "arm_config",
    "ArmComparison",
    "decide",
    "Decision",
    "ExperimentResult",
    "INCONCLUSIVE",
    "KnobDomain",
    "KnobProposal",
    "paired_config",
    "REJECT",
    "ScopeError",
    "tunable_space",
    "tune",
    "TUNED_FILE",
    "TuneOptions",
    "TuneResult",
    "write_knob_file",
]
