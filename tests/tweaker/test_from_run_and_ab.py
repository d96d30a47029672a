"""A recorded run's cluster reds → the printed proposal → a recorded experiment; and the
hand A/B that structural knobs go through instead."""

from __future__ import annotations

import pytest
from tune_support import episodes, write_arm

from brain.sim import SimServer
from gym.config import GymConfig
from gym.tweaker import (
    ScopeError,
    TuneOptions,
    brain_is_simulated,
    hand_ab,
    proposal_lines,
    propose_for_run,
    tune,
)
from ledger import EpisodeRecord, Ledger, RunRecord, RunStatus, TurnRecord
from verifier import DimensionGrade, Finding, Grade, Source, Status, Verdict

FLEET = "sim:competent?seed=1&name=n1,sim:competent?seed=2&name=n2,sim:competent?seed=3&name=n3"


def _attempts(device: str, outcomes: list[str]) -> list[dict]:
    return [{"device": device, "outcome": o, "error": None, "elapsed_ms": 1} for o in outcomes]


def _recorded_run(ledger: Ledger, config: GymConfig) -> str:
    """A finished run whose node n3 failed most attempts and whose cluster flagged n1."""
    run_id = ledger.start_run(RunRecord(simulated=True, config=config.model_dump(mode="json")))
    for seed in range(3):
        eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task="wordfreq", seed=seed))
        history = _attempts("n1", ["ok", "ok"]) + _attempts("n3", ["content", "no_progress", "ok"])
        report = {"tasks": [{"task_id": "a", "attempt_history": history}]}
        ledger.record_turn(TurnRecord(episode_id=eid, turn=1, report=report))
        finding = Finding(code="overloaded_node", message="node n1 did 70% (fair 33%)")
        cluster = DimensionGrade(
            score=0.9, status=Status.PASS, findings=[finding], source=Source.DETERMINISTIC
        )
        ledger.record_grade(
            eid, 1, Grade(task="wordfreq", verdict=Verdict.PASS, dimensions={"cluster": cluster})
        )
        ledger.finish_episode(eid, "finished", Verdict.PASS)
    ledger.finish_run(run_id, RunStatus.FINISHED)
    return run_id


@pytest.fixture
def base(tmp_path):
    return GymConfig(suite="smoke", gym_dir=tmp_path / ".gym", fleet=FLEET)


def test_a_recorded_run_proposes_a_weight_change_for_the_node_its_reds_name(base):
    with Ledger.open(base.gym_dir) as ledger:
        run_id = _recorded_run(ledger, base)
        found = propose_for_run(ledger, run_id)
    codes = [(t.code, t.node) for t in found.triggers]
    assert codes == [("overloaded_node", "n1"), ("node_retry_share", "n3")]
    assert [p.arg() for p in found.proposals] == ["fleet.node.n3.weight=0"]
    assert [t.node for t in found.unanswered] == ["n1"]  # one slot: nothing safe to give up
    lines = proposal_lines(found)
    assert any(line.startswith("proposal: fleet.node.n3.weight=0") for line in lines)
    assert any("node_retry_share[n3]: 6 of 9 attempts failed" in line for line in lines)
    assert lines[-1].endswith(f"gym tune --from-run {run_id} --gym-dir {base.gym_dir}")


class Arms:
    """Records arms into the ledger; every episode passes when ``helps(config)`` is true."""

    def __init__(self, helps):
        self.helps, self.configs = helps, []

    def __call__(self, config: GymConfig) -> str:
        self.configs.append(config)
        good = self.helps(config)
        with Ledger.open(config.gym_dir) as ledger:
            return write_arm(ledger, episodes([good] * 10 if good else [False] * 10))


def test_the_run_s_proposal_is_tested_and_recorded_with_its_trigger(base):
    with Ledger.open(base.gym_dir) as ledger:
        found = propose_for_run(ledger, _recorded_run(ledger, base))
    arms = Arms(helps=lambda config: "name=n3" not in config.fleet)
    result = tune(found.config, TuneOptions(proposals=found.proposals, experiments=1), run_arm=arms)
    assert "n3" not in arms.configs[1].fleet and "n3" in arms.configs[0].fleet
    (done,) = result.experiments
    assert done.decision.outcome == "adopt"
    with Ledger.open(base.gym_dir) as ledger:
        (recorded,) = ledger.experiments()
    assert recorded.knob_deltas == {"fleet.node.n3.weight": 0}
    assert recorded.statistics["trigger"].startswith("node_retry_share[n3]")
    assert recorded.statistics["proposed_by"] == "rules"
    # the adopted fleet is written as a fleet, never as a swarm knob
    text = result.knob_file.read_text()
    assert "fleet = " in text and "fleet.node" not in text.split("[knobs]")[1]


def test_a_structural_knob_is_tested_by_hand_with_the_same_record(base):
    arms = Arms(helps=lambda config: "gates.review=false" in config.knobs)
    done = hand_ab(base, ["gates.review=false"], run_arm=arms)
    assert [c.knobs for c in arms.configs] == [[], ["gates.review=false"]]
    assert done.decision.outcome == "adopt"
    with Ledger.open(base.gym_dir) as ledger:
        (recorded,) = ledger.experiments()
    assert recorded.name == "ab #1: gates.review=false"
    assert recorded.statistics["proposed_by"] == "by hand"
    assert "pass_rate_p_holm" in recorded.statistics


@pytest.mark.parametrize(
    ("args", "why"),
    [
        ([], "at least one --knob"),
        (["gates.review=true"], "already arm A's value"),
        (["no.such=1"], "unknown knob"),
        (["fleet.node.nope.weight=2"], "unknown fleet knob"),
        (["worker.turn_cap=80", "worker.turn_cap=90"], "given twice"),
    ],
)
def test_bad_hand_ab_input_is_refused_before_any_arm_runs(base, args, why):
    arms = Arms(helps=lambda config: False)
    with pytest.raises(ScopeError, match=why):
        hand_ab(base, args, run_arm=arms)
    assert arms.configs == []


def test_a_brain_served_over_http_by_the_simulator_counts_as_simulated():
    with SimServer() as server:
        assert brain_is_simulated(server.openai_base_url)
        assert brain_is_simulated(f"anthropic:claude-x?base_url={server.base_url}")
    assert not brain_is_simulated("http://127.0.0.1:9/v1")  # nothing answers: counted as real


def _real_brain(monkeypatch, answer):
    """The run's brain counts as real and answers ``answer`` (no network: a fake)."""
    import gym.tweaker._from_run as from_run

    async def ask(*_args, **_kwargs):
        return answer

    monkeypatch.setattr(from_run, "brain_is_simulated", lambda spec: False)
    monkeypatch.setattr(from_run, "_ask", ask)


def test_a_real_brain_s_in_scope_answer_is_tested_first_naming_the_trigger_it_picks(
    base, monkeypatch
):
    from gym.tweaker import KnobProposal

    answer = KnobProposal(
        knob="fleet.planner", value="n2", rationale="n1 is overloaded", trigger="overloaded_node"
    )
    _real_brain(monkeypatch, answer)
    with Ledger.open(base.gym_dir) as ledger:
        found = propose_for_run(ledger, _recorded_run(ledger, base))
    first = found.proposals[0]
    assert (first.source, first.arg(), first.rationale) == (
        "brain",
        "fleet.planner=n2",
        "n1 is overloaded",
    )
    assert first.trigger.startswith("overloaded_node[n1]")
    assert [p.source for p in found.proposals] == ["brain", "rules"]


def test_a_real_brain_s_structural_answer_is_refused_whole_and_the_rules_stand(base, monkeypatch):
    from gym.tweaker import KnobProposal

    _real_brain(monkeypatch, KnobProposal(knob="gates.review", value="false"))
    with Ledger.open(base.gym_dir) as ledger:
        found = propose_for_run(ledger, _recorded_run(ledger, base))
    assert [p.source for p in found.proposals] == ["rules"]
    assert "'gates.review' is a structural knob" in found.brain_note
