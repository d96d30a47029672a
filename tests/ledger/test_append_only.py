"""Nothing recorded is ever changed or removed; corrections and status changes are new rows."""

from __future__ import annotations

import sqlite3

import pytest

from ledger import AppendOnlyError, EpisodeStatus, ExperimentRecord, TurnRecord
from ledger._schema import APPEND_ONLY_TABLES


@pytest.fixture
def filled(ledger, episode, make_grade, tmp_path):
    """A ledger holding at least one row in every table."""
    run_id, eid = episode
    ledger.record_turn(TurnRecord(episode_id=eid, turn=1, swarm_status="done"))
    ledger.record_grade(eid, 1, make_grade())
    (tmp_path / "events.jsonl").write_text("{}\n")
    ledger.store_artifact(eid, tmp_path / "events.jsonl", "events", turn=1)
    ledger.record_experiment(ExperimentRecord(name="ab", arms={"a": run_id}))
    for table in APPEND_ONLY_TABLES:
        assert ledger.query(f"SELECT count(*) AS n FROM {table}")[0]["n"] > 0, table
    return ledger


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_update_is_refused_by_the_database(filled, table):
    with pytest.raises(AppendOnlyError, match=f"{table} rows cannot be updated"):
        filled.execute_raw(f"UPDATE {table} SET rowid = rowid")


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_delete_is_refused_by_the_database(filled, table):
    with pytest.raises(AppendOnlyError, match=f"{table} rows cannot be deleted"):
        filled.execute_raw(f"DELETE FROM {table}")


def test_triggers_hold_for_a_plain_sqlite_client_too(ledger, episode):
    conn = sqlite3.connect(ledger.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM episodes")
    conn.close()
    assert len(ledger.episodes(episode[0])) == 1


def test_new_grade_supersedes_and_history_is_kept(ledger, episode, make_grade):
    _, eid = episode
    first = ledger.record_grade(eid, 1, make_grade("fail", 0.2))
    second = ledger.record_grade(eid, 1, make_grade("pass", 0.9), grader="regrade:judge")
    current = ledger.grades(eid)
    assert {g.grade_set for g in current} == {second}
    assert {g.score for g in current} == {0.9}
    assert {g.grader for g in current} == {"regrade:judge"}
    history = ledger.grades(eid, include_superseded=True)
    assert {g.grade_set for g in history} == {first, second}
    assert len(history) == 14
    [current_set] = ledger.grade_sets(eid)
    assert current_set.verdict.value == "pass"


def test_grades_of_other_turns_are_not_superseded(ledger, episode, make_grade):
    _, eid = episode
    ledger.record_grade(eid, 1, make_grade("fail"))
    ledger.record_grade(eid, 2, make_grade("pass"))
    assert [g.turn for g in ledger.grade_sets(eid)] == [1, 2]


def test_recording_a_turn_again_supersedes_the_earlier_row(ledger, episode):
    _, eid = episode
    ledger.record_turn(TurnRecord(episode_id=eid, turn=1, swarm_status="failed"))
    ledger.record_turn(TurnRecord(episode_id=eid, turn=1, swarm_status="done"))
    [turn] = ledger.turns(eid)
    assert turn.swarm_status == "done"


def test_status_changes_are_new_rows_and_the_latest_is_current(ledger, episode):
    run_id, eid = episode
    assert ledger.episode(eid).status == EpisodeStatus.STARTED
    ledger.finish_episode(eid, "finished", "pass")
    assert ledger.episode(eid).status == EpisodeStatus.FINISHED
    assert ledger.episode(eid).final_verdict.value == "pass"
    rows = ledger.query(
        "SELECT status FROM episode_status WHERE episode_id = ? ORDER BY id", (eid,)
    )
    assert [r["status"] for r in rows] == ["started", "finished"]
    ledger.finish_run(run_id, "finished")
    assert ledger.run(run_id).status.value == "finished"
