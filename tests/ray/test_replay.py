"""Recording an episode elsewhere and replaying it into the ledger, exactly once per key.

No Ray here: these pin the ledger half the ray executor stands on (fast tier).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger import (
    AppendOnlyError,
    ArtifactError,
    EpisodeRecord,
    EpisodeStatus,
    Ledger,
    RecordingLedger,
    RunRecord,
    TurnRecord,
)
from verifier import DIMENSIONS, DimensionGrade, Grade, Source, Status, Verdict


def _grade(verdict: str) -> Grade:
    status = Status.PASS if verdict == "pass" else Status.FAIL
    dims = {
        n: DimensionGrade(score=1.0, status=status, source=Source.DETERMINISTIC) for n in DIMENSIONS
    }
    return Grade(task="todo-cli", verdict=Verdict(verdict), dimensions=dims)


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger.open(tmp_path / ".gym") as opened:
        yield opened


@pytest.fixture
def run_id(ledger: Ledger) -> str:
    return ledger.start_run(RunRecord(simulated=True, suite=""))


def _record_episode(tmp_path: Path, run_id: str, *, cap: int | None = None) -> RecordingLedger:
    """What run_episode writes for a two-turn episode, with a tree and an event log."""
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    rec = (
        RecordingLedger(run_id, scratch)
        if cap is None
        else RecordingLedger(run_id, scratch, cap=cap)
    )
    tree = tmp_path / "work"
    (tree / "app").mkdir(parents=True, exist_ok=True)
    (tree / "app" / "main.py").write_text("print('hi')\n")
    (tree / "link").unlink(missing_ok=True)
    (tree / "link").symlink_to("app/main.py")  # links travel as links, never followed
    events = tmp_path / "events.jsonl"
    events.write_text('{"event": "done"}\n')
    eid = rec.start_episode(EpisodeRecord(run_id=run_id, task="todo-cli", seed=7))
    for turn, verdict in ((1, "fail"), (2, "pass")):
        rec.record_turn(TurnRecord(episode_id=eid, turn=turn, swarm_status="done"))
        rec.store_artifact(eid, events, "events", turn=turn)
        rec.store_artifact(eid, tree, "tree", turn=turn)
        rec.record_grade(eid, turn, _grade(verdict))
    rec.store_artifact(eid, tree, "tree")
    rec.finish_episode(eid, EpisodeStatus.FINISHED, Verdict.PASS)
    return rec


def _counts(ledger: Ledger) -> dict[str, int]:
    tables = ("episodes", "episode_status", "turns", "grade_sets", "grades", "artifacts")
    return {t: ledger.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in tables}


def test_a_replayed_episode_reads_back_like_one_written_directly(ledger, run_id, tmp_path):
    rec = _record_episode(tmp_path, run_id)
    replayed = ledger.replay(rec.recording, key=f"{run_id}/0/1")
    assert replayed.written
    (episode,) = ledger.episodes(run_id)
    assert replayed.episode_ids == {"p1": episode.id}
    assert (episode.status, episode.final_verdict, episode.seed) == (
        EpisodeStatus.FINISHED,
        Verdict.PASS,
        7,
    )
    assert [t.turn for t in ledger.turns(episode.id)] == [1, 2]
    assert [g.verdict for g in ledger.grade_sets(episode.id)] == [Verdict.FAIL, Verdict.PASS]
    kinds = [(a.kind, a.turn) for a in ledger.artifacts(episode.id)]
    assert kinds == [("events", 1), ("tree", 1), ("events", 2), ("tree", 2), ("tree", None)]
    final = ledger.artifacts(episode.id, kind="tree")[-1]
    out = ledger.extract_tree(final, tmp_path / "out")  # sha256 verified on the way
    assert (out / "app" / "main.py").read_text() == "print('hi')\n"
    assert (out / "link").is_symlink()


def test_the_same_key_twice_lands_once(ledger, run_id, tmp_path):
    rec = _record_episode(tmp_path, run_id)
    first = ledger.replay(rec.recording, key=f"{run_id}/0/1")
    before = _counts(ledger)
    again = ledger.replay(rec.recording, key=f"{run_id}/0/1")
    assert not again.written
    assert again.episode_ids == first.episode_ids
    assert _counts(ledger) == before
    assert ledger.replay_keys(run_id) == [f"{run_id}/0/1"]


def test_another_attempt_is_another_episode(ledger, run_id, tmp_path):
    rec = _record_episode(tmp_path, run_id)
    ledger.replay(rec.recording, key=f"{run_id}/0/1")
    ledger.replay(rec.recording, key=f"{run_id}/0/2")
    assert len(ledger.episodes(run_id)) == 2
    assert ledger.replay_keys(run_id) == [f"{run_id}/0/1", f"{run_id}/0/2"]


def test_a_replace_colliding_on_the_key_is_refused(ledger, run_id, tmp_path):
    """The new unique key must not open a REPLACE hole: the earlier episode would vanish."""
    rec = _record_episode(tmp_path, run_id)
    ledger.replay(rec.recording, key="k")
    with pytest.raises(AppendOnlyError, match="episodes rows cannot be replaced"):
        ledger.execute_raw(
            "INSERT OR REPLACE INTO episodes (id, run_id, started_at, task, archetype, persona,"
            " seed, record, replay_key) SELECT 'other', run_id, started_at, task, archetype,"
            " persona, seed, record, replay_key FROM episodes"
        )
    assert len(ledger.episodes(run_id)) == 1


def test_a_damaged_recording_writes_nothing(ledger, run_id, tmp_path):
    rec = _record_episode(tmp_path, run_id)
    writes = rec.recording.writes
    index = next(i for i, w in enumerate(writes) if getattr(w, "kind", "") == "tree")
    bad = writes[index]
    writes[index] = type(bad)(**{**bad.__dict__, "data": bad.data + b"x"})
    before = _counts(ledger)
    with pytest.raises(ArtifactError, match="arrived damaged"):
        ledger.replay(rec.recording, key="k")
    assert _counts(ledger) == before
    assert ledger.replay_keys(run_id) == []


def test_artifacts_past_the_cap_are_refused_while_recording(run_id, tmp_path):
    with pytest.raises(ArtifactError, match="exceeds the recording's cap"):
        _record_episode(tmp_path, run_id, cap=200)


def test_a_recording_refers_only_to_its_own_episodes(run_id, tmp_path):
    rec = RecordingLedger(run_id, tmp_path)
    with pytest.raises(Exception, match="no episode 'abc' in this recording"):
        rec.record_turn(TurnRecord(episode_id="abc", turn=1))
