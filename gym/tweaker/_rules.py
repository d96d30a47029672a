"""Deterministic proposals for cluster triggers: what the tweaker tests without a real brain.

One rule per trigger code, each a change inside the safe set, checked by the scope guard
like any brain proposal:

=====================  ===========================================================
trigger                proposal
=====================  ===========================================================
node_retry_share       halve the node's weight (weight 1 → 0: no slots, out of the
node_stall_share       fleet): its failed attempts cost a retry on another node
starved_node           double the node's weight: more slots, more dispatches
overloaded_node        halve the node's weight when it has more than one slot (a
                       one-slot node cannot give any up: no safe change)
turn_cap               double ``worker.turn_cap``
context_limit          halve ``worker.context_chars``: prompts sized to fit
=====================  ===========================================================
"""

from __future__ import annotations

from typing import Any

from gym.tweaker._fleet import NODE_PREFIX
from gym.tweaker._propose import Proposal
from gym.tweaker._space import KnobDelta, KnobDomain, ScopeError, check_delta
from gym.tweaker._triggers import Trigger


def _weight_knob(trigger: Trigger) -> str:
    return f"{NODE_PREFIX}{trigger.node}.weight"


def _change(trigger: Trigger, baseline: dict[str, Any], space: dict[str, KnobDomain]) -> Any:
    """(knob, new value, why) for a trigger, or None when no safe change answers it."""
    code = trigger.code
    if code in ("node_retry_share", "node_stall_share", "starved_node", "overloaded_node"):
        knob = _weight_knob(trigger)
        if knob not in space:
            return None
        weight = baseline.get(knob, space[knob].default)
        if code == "starved_node":
            return knob, min(weight * 2, int(space[knob].high or weight)), "more slots"
        if code == "overloaded_node" and weight <= 1:
            return None
        return knob, weight // 2, "fewer slots, so its work moves to the other nodes"
    limit = {"turn_cap": ("worker.turn_cap", 2.0), "context_limit": ("worker.context_chars", 0.5)}
    if code in limit and limit[code][0] in space:
        knob, factor = limit[code]
        current = baseline.get(knob, space[knob].default)
        return knob, int(current * factor), "the limit the attempts hit"
    return None


def rule_proposal(
    trigger: Trigger,
    baseline: dict[str, Any],
    space: dict[str, KnobDomain],
    tried: set[tuple[str, Any]] | None = None,
) -> Proposal | None:
    """The rule's checked change for ``trigger``; None when there is no safe new one."""
    change = _change(trigger, baseline, space)
    if change is None:
        return None
    knob, value, why = change
    try:
        delta: KnobDelta = check_delta(space, baseline, knob, value)
    except ScopeError:
        return None  # e.g. already at the end of its domain
    if tried and (delta.knob, delta.value) in tried:
        return None
    rationale = f"rule for {trigger.code}: {why}"
    return Proposal(delta, "rules", rationale, trigger=trigger.label())
