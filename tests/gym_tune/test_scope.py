"""The scope guard: the tweaker only ever sets tunable knobs, to values inside their domain."""

from __future__ import annotations

import asyncio

import pytest

from brain import transport_for
from gym.tweaker import SAFE_SWARM_KNOBS
from gym.tweaker._propose import KnobProposal, ask_brain, choose, fallback
from gym.tweaker._space import (
    ScopeError,
    alternatives,
    baseline_values,
    check_delta,
    knob_args,
    tunable_space,
)
from swarm import all_knobs


def test_space_holds_only_tunable_knobs_with_a_finite_domain():
    registry = all_knobs()
    space = tunable_space()
    assert sorted(space) == sorted(SAFE_SWARM_KNOBS)  # the safe set, nothing structural
    assert all(registry[name].tunable for name in space)
    assert "gates.timeout_s" not in space  # declared, but not tunable
    # tunable, but free text that names commands: a model must never choose it
    assert registry["mcp.servers"].tunable and "mcp.servers" not in space


def test_numeric_domain_is_the_declared_search_range():
    cap = tunable_space()["worker.turn_cap"]
    assert (cap.low, cap.high) == all_knobs()["worker.turn_cap"].search_range


@pytest.mark.parametrize(
    ("knob", "value", "why"),
    [
        ("gates.timeout_s", "60", "structural knob"),  # not tunable
        ("mcp.servers", "x=rm -rf /", "structural knob"),  # tunable free text
        ("no.such_knob", "1", "outside the tweaker's scope"),
        ("judge.confidence_bar", "0.9", "structural knob"),  # tunable, but structural
        ("worker.turn_cap", "9999", r"outside \[1, 500\]"),  # outside the registry bounds
        ("scheduler.policy", "fanout", "structural knob"),
        ("worker.turn_cap", "many", "wants int"),
    ],
)
def test_a_proposal_outside_scope_is_refused(knob, value, why):
    with pytest.raises(ScopeError, match=why):
        check_delta(tunable_space(), {}, knob, value)


def test_a_proposal_equal_to_the_baseline_is_refused():
    with pytest.raises(ScopeError, match="already the baseline"):
        check_delta(tunable_space(), {"worker.turn_cap": 30}, "worker.turn_cap", "30")


def test_an_in_scope_proposal_is_typed_and_remembers_the_old_value():
    delta = check_delta(tunable_space(), {}, "worker.turn_cap", " 80 ")
    assert (delta.knob, delta.value, delta.old) == ("worker.turn_cap", 80, 40)
    assert delta.arg() == "worker.turn_cap=80"


def test_candidates_outside_the_space_are_refused_by_name():
    with pytest.raises(ScopeError, match="'mcp.servers' is a structural knob"):
        tunable_space(["worker.turn_cap", "mcp.servers"])
    with pytest.raises(ScopeError, match="'nope' is an unknown knob"):
        tunable_space(["nope"])
    assert list(tunable_space(["worker.turn_cap", "retry.max_attempts"])) == [
        "worker.turn_cap",
        "retry.max_attempts",
    ]


def test_every_fallback_alternative_passes_the_scope_guard():
    space = tunable_space()
    for name, domain in space.items():
        values = alternatives(domain, domain.default)
        assert values, name
        for value in values:
            assert check_delta(space, {}, name, value).value == value


def test_brain_proposal_in_scope_is_used_with_its_rationale():
    space = tunable_space(["worker.turn_cap", "retry.max_attempts"])
    answer = KnobProposal(knob="retry.max_attempts", value="3", rationale="fewer wasted tries")
    chosen = choose(answer, space, {}, set())
    assert chosen is not None
    assert (chosen.source, chosen.delta.arg(), chosen.rationale) == (
        "brain",
        "retry.max_attempts=3",
        "fewer wasted tries",
    )


def test_brain_proposal_out_of_scope_falls_back_and_says_why():
    space = tunable_space(["worker.turn_cap"])
    answer = KnobProposal(knob="gates.timeout_s", value="5", rationale="")
    chosen = choose(answer, space, {}, set())
    assert chosen is not None and chosen.source == "fallback"
    assert chosen.delta.arg() == "worker.turn_cap=20"
    assert "structural knob" in chosen.refused


def test_a_repeated_brain_proposal_falls_back_to_an_untried_change():
    space = tunable_space(["worker.turn_cap", "retry.max_attempts"])
    answer = KnobProposal(knob="retry.max_attempts", value="3")
    chosen = choose(answer, space, {}, {("retry.max_attempts", 3)})
    assert chosen is not None and chosen.delta.arg() == "retry.max_attempts=12"
    assert "already tried" in chosen.refused


def test_fallback_walks_every_alternative_once_then_stops():
    space = tunable_space(["worker.turn_cap", "retry.max_attempts"])
    tried: set = set()
    seen = []
    while (delta := fallback(space, {}, tried)) is not None:
        tried.add((delta.knob, delta.value))
        seen.append(delta.arg())
    assert seen == [
        "retry.max_attempts=3",
        "retry.max_attempts=12",
        "retry.max_attempts=1",
        "retry.max_attempts=20",
        "worker.turn_cap=20",
        "worker.turn_cap=80",
        "worker.turn_cap=1",
        "worker.turn_cap=500",
    ]


def test_the_sim_brain_filler_is_refused_and_replaced_by_the_fallback():
    space = tunable_space(["worker.turn_cap"])

    async def ask():
        brain = transport_for("sim:competent?seed=0&time_scale=0")
        try:
            return await ask_brain(brain, space, {}, [])
        finally:
            await brain.aclose()

    answer = asyncio.run(ask())
    chosen = choose(answer, space, {}, set())
    assert chosen is not None and chosen.source == "fallback"
    assert chosen.delta.arg() == "worker.turn_cap=20"


def test_baseline_knobs_are_typed_checked_and_round_trip():
    values = baseline_values(["worker.turn_cap=30", "gates.review=false"])
    assert values == {"worker.turn_cap": 30, "gates.review": False}
    assert knob_args(values) == ["gates.review=false", "worker.turn_cap=30"]
    with pytest.raises(ScopeError, match="unknown knob"):
        baseline_values(["nope=1"])


def test_model_text_is_cleaned_before_it_reaches_a_terminal_or_the_ledger():
    space = tunable_space(["worker.turn_cap"])
    hostile = KnobProposal(knob="\x1b[2Jgates.\nreview", value="x", rationale="")
    chosen = choose(hostile, space, {}, set())
    assert chosen is not None and "\x1b" not in chosen.refused and "\n" not in chosen.refused
    kind = KnobProposal(
        knob="worker.turn_cap",
        value="80",
        rationale="\x1b]0;owned\x07 fewer\nstalls " + "x" * 500,
    )
    chosen = choose(kind, space, {}, set())
    assert chosen is not None and chosen.rationale.startswith("]0;owned fewer stalls")
    assert len(chosen.rationale) <= 301
