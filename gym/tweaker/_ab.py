"""A hand-made A/B experiment: any knobs, structural ones included, tested by a person.

The tweaker never moves a structural knob (gates, contracts, judge, scheduler policy,
prompts); a person does, with ``gym ab --knob k=v [--knob …]``. It runs the same paired
arms as the tweaker (arm A the base config, arm B the base plus every given change, the
same episodes and seeds), the same statistics and decision rule, and the same ledger
record (an experiment named ``ab #1: …``, ``proposed_by: by hand``). Nothing is adopted
or written: the decision is the person's to act on.
"""

from __future__ import annotations

from typing import Any

from gym.config import GymConfig
from gym.tweaker._fleet import FleetKnobError, coerce, fleet_baseline, is_fleet_knob, node_names
from gym.tweaker._loop import (
    ExperimentResult,
    RunArm,
    _conclude,
    _default_run_arm,
    arm_config,
    paired_config,
)
from gym.tweaker._propose import Proposal
from gym.tweaker._space import (
    KnobDelta,
    ScopeError,
    _registry,
    baseline_values,
    check_delta,
    tunable_space,
)


def hand_deltas(base: GymConfig, args: list[str]) -> tuple[dict[str, Any], list[KnobDelta]]:
    """The base knob values and the checked changes ``k=v`` asks for (ScopeError if bad)."""
    if not args:
        raise ScopeError("gym ab needs at least one --knob name=value")
    baseline = baseline_values(base.knobs)
    fleet_values = fleet_baseline(base.fleet)
    deltas: list[KnobDelta] = []
    for item in args:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ScopeError(f"--knob {item!r} is not of the form name=value")
        value, old = _typed(base, name, text, baseline, fleet_values)
        if value == old:
            raise ScopeError(f"--knob {item}: that is already arm A's value")
        deltas.append(KnobDelta(name, value, old))
    if len({d.knob for d in deltas}) < len(deltas):
        raise ScopeError("a knob is given twice")
    return baseline, deltas


def _typed(
    base: GymConfig, name: str, text: str, baseline: dict[str, Any], fleet: dict[str, Any]
) -> tuple[Any, Any]:
    from swarm import KnobError  # the swarm's parser is the one authority on its values

    if is_fleet_knob(name):
        try:
            return coerce(name, text, node_names(base.fleet)), fleet.get(name)
        except FleetKnobError as exc:
            raise ScopeError(str(exc)) from None
    declared = _registry().get(name)
    if declared is None:
        raise ScopeError(f"--knob {name}: unknown knob (see `swarm knobs` for the list)")
    try:
        return declared.coerce(text), baseline.get(name, declared.default)
    except KnobError as exc:
        raise ScopeError(str(exc)) from None


def hand_ab(
    base: GymConfig,
    args: list[str],
    *,
    episodes_per_arm: int | None = None,
    run_arm: RunArm = _default_run_arm,
) -> ExperimentResult:
    """Run arm A (base) and arm B (base + the changes), decide, record; bad input raises first."""
    baseline, deltas = hand_deltas(base, args)
    shared = paired_config(base, episodes_per_arm)
    proposal = Proposal(deltas[0], "by hand", "", extra=tuple(deltas[1:]))
    changed = {**baseline, **{d.knob: d.value for d in deltas}}
    run_a = run_arm(arm_config(shared, baseline))
    run_b = run_arm(arm_config(shared, changed))
    return _conclude(shared, 0, proposal, run_a, run_b, baseline, name_prefix="ab")


def checked_proposal(base: GymConfig, items: list[str]) -> Proposal:
    """``gym tune --propose`` items as ONE proposal, every change through the scope guard.

    A structural knob anywhere refuses the whole proposal (StructuralKnobError) before
    anything runs; so does any change outside the safe set's domains.
    """
    space = tunable_space(fleet=base.fleet)
    baseline = baseline_values(base.knobs)
    deltas = []
    for item in items:
        name, _, value = item.partition("=")
        deltas.append(check_delta(space, baseline, name.strip(), value))
    return Proposal(deltas[0], "by hand", "", extra=tuple(deltas[1:]))
