"""The tweaker's safe scope, fleet knobs, and cluster triggers turned into named proposals."""

from __future__ import annotations

import pytest

from gym.config import GymConfig
from gym.tweaker import (
    StructuralKnobError,
    TuneOptions,
    apply_fleet,
    arm_config,
    checked_proposal,
    tune,
)
from gym.tweaker._rules import rule_proposal
from gym.tweaker._space import baseline_values, tunable_space
from gym.tweaker._triggers import NodeStats, RunUsage, find_triggers

FLEET = "sim:competent?seed=1&name=n1,sim:competent?seed=2&name=n2,sim:competent?seed=3&name=n3"


class NeverRun:
    """An arm runner that records calls: a refused proposal must leave it untouched."""

    def __init__(self):
        self.calls = []

    def __call__(self, config):
        self.calls.append(config)
        raise AssertionError("an arm ran")


@pytest.fixture
def base(tmp_path):
    return GymConfig(suite="smoke", gym_dir=tmp_path / ".gym", fleet=FLEET)


def test_a_structural_knob_refuses_the_whole_proposal_and_nothing_runs(base):
    arms = NeverRun()
    with pytest.raises(StructuralKnobError, match="'gates.review' is a structural knob"):
        tune(base, TuneOptions(candidates=["worker.turn_cap", "gates.review"]), run_arm=arms)
    with pytest.raises(StructuralKnobError, match="scheduler.policy"):
        checked_proposal(base, ["fleet.node.n3.weight=2", "scheduler.policy=fanout"])
    assert arms.calls == []
    assert not base.gym_dir.exists()  # no ledger, no run folder


def test_fleet_knobs_are_in_scope_and_rewrite_the_fleet_the_swarm_gets(base):
    space = tunable_space(fleet=base.fleet)
    assert {"fleet.node.n2.weight", "fleet.node.n2.enabled", "fleet.planner"} <= set(space)
    arm = arm_config(base, {"fleet.node.n2.weight": 0, "fleet.planner": "n3"})
    assert [item.split("?")[1].split("&")[-1] for item in arm.fleet.split(",")] == [
        "name=n3",
        "name=n1",
    ]  # n2 has no slots (out), n3 plans (first)
    assert arm_config(base, {}).fleet == base.fleet  # arm A keeps the fleet as written
    assert "weight=4" in apply_fleet(FLEET, {"fleet.node.n1.weight": 4}).split(",")[0]


def test_a_node_with_a_high_retry_share_gets_a_weight_proposal_naming_its_trigger(base):
    usage = RunUsage(
        nodes={
            "n1": NodeStats(attempts=10, failed=0),
            "n2": NodeStats(attempts=8, failed=6),  # any node, not a name the rule knows
            "n3": NodeStats(attempts=2, failed=2),  # too few attempts to trust
        },
        attempts=20,
    )
    (trigger,) = find_triggers(usage)
    assert (trigger.code, trigger.node) == ("node_retry_share", "n2")
    proposal = rule_proposal(trigger, baseline_values([]), tunable_space(fleet=base.fleet))
    assert proposal is not None and proposal.source == "rules"
    assert proposal.arg() == "fleet.node.n2.weight=0"
    assert proposal.trigger.startswith("node_retry_share[n2]: 6 of 8 attempts failed")


def test_turn_cap_and_context_limit_triggers_move_the_worker_limits(base):
    usage = RunUsage(nodes={"n1": NodeStats(attempts=10)}, attempts=10, turn_cap=3, context=2)
    found = {t.code: t for t in find_triggers(usage)}
    space, baseline = tunable_space(fleet=base.fleet), baseline_values([])
    assert rule_proposal(found["turn_cap"], baseline, space).arg() == "worker.turn_cap=80"
    assert rule_proposal(found["context_limit"], baseline, space).arg() == (
        "worker.context_chars=30000"
    )


def test_an_overloaded_one_slot_node_has_no_safe_change():
    usage = RunUsage(graded_turns=4)
    usage.spread[("overloaded_node", "n1")] = 3
    (trigger,) = find_triggers(usage)
    assert rule_proposal(trigger, {}, tunable_space(fleet=FLEET)) is None
