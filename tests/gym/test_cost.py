"""A run's cost: priced nodes sum, an unpriced real node makes it null with the reason,
simulated nodes cost 0 — from each node's own URL price and the turns' model_call events."""

from __future__ import annotations

import json

import pytest

from brain import ConfigError, parse_node_spec
from gym.orchestrator import NodeUsage, node_usage, price_run, run_cost
from gym.orchestrator._run_record import node_record
from ledger import EpisodeRecord, Ledger, NodeRecord, RunRecord, TurnRecord

PRICED_A = NodeRecord(name="a", url="http://a:1/v1", usd_in=3.0, usd_out=15.0)
PRICED_B = NodeRecord(name="b", url="http://b:1/v1", usd_in=0.5, usd_out=1.5)
UNPRICED = NodeRecord(name="c", url="http://c:1/v1")
SIM = NodeRecord(name="s", url="sim:competent?seed=1")


def test_priced_nodes_sum_their_own_prices_per_million_tokens():
    usage = {"a": NodeUsage(1_000_000, 200_000), "b": NodeUsage(2_000_000, 1_000_000)}
    cost = price_run([PRICED_A, PRICED_B], usage)
    assert cost.nodes["a"]["cost_usd"] == pytest.approx(3.0 + 3.0)
    assert cost.nodes["b"]["cost_usd"] == pytest.approx(1.0 + 1.5)
    assert cost.cost_usd == pytest.approx(8.5)
    assert "usd_in" in cost.note


def test_an_unpriced_real_node_that_spent_tokens_makes_the_cost_null_with_the_reason():
    usage = {"a": NodeUsage(1000, 100), "c": NodeUsage(10, 1)}
    cost = price_run([PRICED_A, UNPRICED], usage)
    assert cost.cost_usd is None
    assert cost.note.startswith("not priced") and "node c has no price" in cost.note
    assert cost.nodes["c"]["cost_usd"] is None and cost.nodes["a"]["cost_usd"] > 0
    # an unpriced node that spent nothing does not make the total unknown
    assert price_run([PRICED_A, UNPRICED], {"a": NodeUsage(1000, 0)}).cost_usd == 0.003


def test_simulated_nodes_cost_zero_and_say_so():
    cost = price_run([SIM], {"s": NodeUsage(5000, 700)}, unattributed=40)
    assert cost.cost_usd == 0.0 and cost.note == "simulated nodes cost 0"
    assert cost.nodes["s"]["note"] == "simulated: costs 0"
    mixed = price_run([PRICED_A, SIM], {"a": NodeUsage(1_000_000, 0), "s": NodeUsage(9, 9)})
    assert mixed.cost_usd == 3.0 and "simulated nodes cost 0" in mixed.note
    # a price on a sim node is never charged
    priced_sim = NodeRecord(name="s", url="sim:competent", usd_in=9.0, usd_out=9.0)
    assert price_run([priced_sim], {"s": NodeUsage(10**6, 10**6)}).cost_usd == 0.0


def test_tokens_on_no_node_or_no_tokens_at_all_leave_a_real_run_unpriced():
    on_no_node = price_run([PRICED_A], {"a": NodeUsage(10, 10)}, unattributed=5)
    assert on_no_node.cost_usd is None and "5 token(s)" in on_no_node.note
    nothing = price_run([PRICED_A], {})
    assert nothing.cost_usd is None and "no tokens" in nothing.note
    stranger = price_run([PRICED_A], {"zz": NodeUsage(1, 1)})
    assert stranger.cost_usd is None and "node zz is not in the run's fleet" in stranger.note


def test_node_usage_reads_only_model_call_events_and_distrusts_their_counts():
    events = [
        {"event": "model_call", "node": "a", "prompt_tokens": 10, "completion_tokens": 2},
        {"event": "model_call", "node": "a", "prompt_tokens": 5, "completion_tokens": "9"},
        {"event": "model_call", "node": "b", "prompt_tokens": -4, "completion_tokens": True},
        {"event": "task_completed", "node": "a", "prompt_tokens": 1000},
        {"event": "model_call", "prompt_tokens": 7},
    ]
    usage = node_usage(events)
    assert (usage["a"].prompt, usage["a"].completion) == (15, 2)
    assert usage["b"].total == 0 and set(usage) == {"a", "b"}


def test_the_price_rides_on_the_node_url_and_reaches_the_runs_ledger_record():
    node = parse_node_spec("http://gpu:8000/v1?usd_in=3&usd_out=15&key_env=GPU_KEY&name=g")
    assert (node.usd_in, node.usd_out) == (3.0, 15.0)
    assert "usd" not in node.url and node.key_env == "GPU_KEY"  # the transport never sees it
    assert parse_node_spec("http://gpu:8000/v1").usd_in is None
    record = node_record(node)
    assert (record.usd_in, record.usd_out) == (3.0, 15.0)
    for bad in ("usd_in=3", "usd_out=1", "usd_in=-1&usd_out=2", "usd_in=x&usd_out=1"):
        with pytest.raises(ConfigError):
            parse_node_spec(f"http://gpu:8000/v1?{bad}")
    with pytest.raises(ConfigError, match="usd_in without the other"):
        parse_node_spec("http://gpu:8000/v1?usd_in=3")


def test_run_cost_prices_the_model_calls_of_each_turns_event_log(tmp_path):
    with Ledger.open(tmp_path / ".gym") as ledger:
        run = ledger.start_run(RunRecord(simulated=False, fleet=[PRICED_A, PRICED_B]))
        eid = ledger.start_episode(EpisodeRecord(run_id=run, task="t"))
        calls = [
            {"event": "model_call", "node": "a", "prompt_tokens": 500_000, "completion_tokens": 0},
            {"event": "model_call", "node": "b", "prompt_tokens": 0, "completion_tokens": 100_000},
        ]
        log = tmp_path / "run-x.jsonl"
        log.write_text("".join(json.dumps(c) + "\n" for c in calls) + "not json\n")
        ledger.store_artifact(eid, log, "events", turn=1)
        ledger.record_turn(
            TurnRecord(episode_id=eid, turn=1, prompt_tokens=500_000, completion_tokens=100_000)
        )
        cost = run_cost(ledger, run, [eid])
        assert cost.cost_usd == pytest.approx(1.5 + 0.15)
        # a second turn that reported tokens but left no log: they are on no node
        ledger.record_turn(TurnRecord(episode_id=eid, turn=2, prompt_tokens=7))
        unknown = run_cost(ledger, run, [eid])
        assert unknown.cost_usd is None and "7 token(s)" in unknown.note
