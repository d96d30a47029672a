"""Runs carry what makes them reproducible; ids resolve the way a user types them."""

from __future__ import annotations

import pytest

from ledger import (
    EpisodeRecord,
    ExperimentRecord,
    LedgerError,
    NodeRecord,
    NotFoundError,
    RunRecord,
    code_version,
)


def test_run_keeps_fleet_brain_knobs_seed_suite_and_simulated_flag(ledger):
    record = RunRecord(
        suite="nightly",
        simulated=True,
        code_version="abc123",
        seed=7,
        brain=NodeRecord(name="brain", url="sim:competent", simulated=True),
        fleet=[
            NodeRecord(name="a", url="http://127.0.0.1:1234/v1", model="qwen-7b", weight=2),
            NodeRecord(name="b", url="sim:lazy?seed=3", model="sim", simulated=True),
        ],
        knobs={"scheduler.policy": "critical_path", "worker.turn_cap": 30},
        config={"episodes": 3},
    )
    run = ledger.run(ledger.start_run(record))
    assert run.model_dump(include=set(RunRecord.model_fields)) == record.model_dump()
    assert run.status.value == "started"
    assert run.started_at.tzinfo is not None


def test_code_version_is_the_git_sha_of_this_checkout():
    version = code_version()
    assert version == "" or len(version.split("+")[0]) == 40


def test_run_ids_resolve_by_prefix_last_and_last_green(ledger):
    green = ledger.start_run(RunRecord(simulated=False, suite="nightly"))
    eid = ledger.start_episode(EpisodeRecord(run_id=green, task="t"))
    ledger.finish_episode(eid, "finished", "pass")
    ledger.finish_run(green, "finished")
    red = ledger.start_run(RunRecord(simulated=False, suite="nightly"))
    eid = ledger.start_episode(EpisodeRecord(run_id=red, task="t"))
    ledger.finish_episode(eid, "finished", "fail")
    ledger.finish_run(red, "finished")
    assert ledger.resolve_run("last") == red
    assert ledger.resolve_run("last-green") == green
    assert ledger.resolve_run("last-green", suite="nightly") == green
    assert ledger.resolve_run(red[:-2]) == red
    with pytest.raises(NotFoundError, match="no green run of suite 'other'"):
        ledger.resolve_run("last-green", suite="other")


def test_ambiguous_prefix_and_unknown_id_are_refused(ledger):
    a = ledger.start_run(RunRecord(simulated=False))
    ledger.start_run(RunRecord(simulated=False))
    with pytest.raises(LedgerError, match="ambiguous"):
        ledger.resolve_run(a[:4])
    with pytest.raises(NotFoundError, match="no run 'zzz'"):
        ledger.resolve_run("zzz")
    with pytest.raises(NotFoundError, match="no run"):
        ledger.finish_run("zzz", "finished")


def test_like_wildcards_in_a_typed_id_match_nothing(ledger):
    ledger.start_run(RunRecord(simulated=False))
    with pytest.raises(NotFoundError):
        ledger.resolve_run("%")


def test_episode_of_an_unknown_run_is_refused(ledger):
    with pytest.raises(NotFoundError, match="no run 'nope'"):
        ledger.start_episode(EpisodeRecord(run_id="nope", task="t"))


def test_experiment_correction_replaces_what_it_supersedes(ledger):
    first = ledger.record_experiment(ExperimentRecord(name="ab", decision="adopt"))
    ledger.record_experiment(ExperimentRecord(name="ab", decision="reject: leak"), supersedes=first)
    assert [e.decision for e in ledger.experiments()] == ["reject: leak"]


def test_a_run_with_any_simulated_node_is_labelled_simulated(ledger):
    record = RunRecord(
        simulated=False,
        fleet=[
            NodeRecord(name="a", url="http://127.0.0.1:1234/v1"),
            NodeRecord(name="b", url="sim:lazy?seed=1"),
        ],
    )
    assert record.fleet[1].simulated and record.simulated
    brain_only = RunRecord(simulated=False, brain=NodeRecord(name="brain", url="sim:competent"))
    assert brain_only.simulated
    assert ledger.run(ledger.start_run(record)).simulated
    assert not RunRecord(simulated=False, fleet=[NodeRecord(name="a", url="http://x/v1")]).simulated
