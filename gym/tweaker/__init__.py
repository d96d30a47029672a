"""The tweaker: auto-tune the safe knobs through paired A/B runs; hand A/B for the rest.

The scope guard says which knobs may move and to which values (the safe set: pool weights,
enabled nodes, the planner node, context cap, turn cap, attempt ceiling; structural knobs
are refused whole); a run's cluster reds become triggers, answered by the harness brain
(checked) or deterministic rules; paired statistics decide adopt, reject or inconclusive.
``gym ab`` tests any knobs by hand with the same statistics and ledger record.
"""

from __future__ import annotations

from gym.tweaker._ab import checked_proposal, hand_ab, hand_deltas
from gym.tweaker._decide import ADOPT, INCONCLUSIVE, REJECT, ArmComparison, Decision, decide
from gym.tweaker._fleet import FleetKnobError, apply_fleet, fleet_baseline, is_fleet_knob
from gym.tweaker._from_run import (
    RunProposals,
    print_run_proposal,
    proposal_lines,
    propose_for_run,
    run_config,
)
from gym.tweaker._loop import (
    TUNED_FILE,
    ExperimentResult,
    TuneOptions,
    TuneResult,
    arm_config,
    brain_is_simulated,
    paired_config,
    tune,
    write_knob_file,
)
from gym.tweaker._propose import KnobProposal, Proposal
from gym.tweaker._space import (
    SAFE_SWARM_KNOBS,
    KnobDomain,
    ScopeError,
    StructuralKnobError,
    is_structural,
    tunable_space,
)
from gym.tweaker._triggers import Trigger, run_triggers

__all__ = [
    "ADOPT",
    "apply_fleet",
    "checked_proposal",
    "hand_ab",
    "hand_deltas",
    "fleet_baseline",
    "FleetKnobError",
    "is_fleet_knob",
    "is_structural",
    "print_run_proposal",
    "Proposal",
    "proposal_lines",
    "propose_for_run",
    "run_config",
    "run_triggers",
    "RunProposals",
    "SAFE_SWARM_KNOBS",
    "StructuralKnobError",
    "Trigger",
    "arm_config",
    "brain_is_simulated",
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
