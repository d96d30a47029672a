"""Parallel episodes and two gym processes never lose a row; a crash leaves nothing complete."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

from ledger import EpisodeRecord, EpisodeStatus, Ledger, RunRecord

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ledger import EpisodeRecord, Ledger, RunRecord
    from verifier import DIMENSIONS, DimensionGrade, Grade, Source, Status, Verdict

    gym_dir, episodes = Path(sys.argv[1]), int(sys.argv[2])
    grade = Grade(task="t", verdict=Verdict.PASS, dimensions={
        d: DimensionGrade(score=1, status=Status.PASS, source=Source.DETERMINISTIC)
        for d in DIMENSIONS})
    with Ledger.open(gym_dir) as ledger:
        run_id = ledger.start_run(RunRecord(simulated=True))
        for i in range(episodes):
            eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task=f"t{i}"))
            ledger.record_grade(eid, 1, grade)
            ledger.finish_episode(eid, "finished", "pass")
        ledger.finish_run(run_id, "finished")
""")

CRASHER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from ledger import EpisodeRecord, Ledger, RunRecord, TurnRecord

    ledger = Ledger.open(Path(sys.argv[1]))
    run_id = ledger.start_run(RunRecord(simulated=True))
    eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task="t"))
    ledger.record_turn(TurnRecord(episode_id=eid, turn=1, swarm_status="done"))
    os.kill(os.getpid(), signal.SIGKILL)  # mid-episode: no grade, no finish
""")


def _count(ledger: Ledger, table: str) -> int:
    return ledger.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]


def test_two_processes_writing_at_once_lose_no_row(tmp_path):
    gym_dir, per_process = tmp_path / ".gym", 60
    Ledger.open(gym_dir).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(gym_dir), str(per_process)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    with Ledger.open(gym_dir) as ledger:
        assert _count(ledger, "episodes") == 2 * per_process
        assert _count(ledger, "grades") == 2 * per_process * 7
        runs = ledger.runs()
        assert [r.status.value for r in runs] == ["finished", "finished"]
        assert all(e.status == EpisodeStatus.FINISHED for r in runs for e in ledger.episodes(r.id))


def test_threads_sharing_one_ledger_lose_no_row(ledger, make_grade):
    run_id = ledger.start_run(RunRecord(simulated=False))

    def episode_worker(n: int) -> None:
        for i in range(20):
            eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task=f"w{n}-{i}"))
            ledger.record_grade(eid, 1, make_grade())
            ledger.finish_episode(eid, "finished", "pass")

    threads = [threading.Thread(target=episode_worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ledger.episodes(run_id)) == 120
    assert _count(ledger, "grades") == 120 * 7


def test_a_crash_mid_episode_leaves_it_started_never_complete(tmp_path):
    gym_dir = tmp_path / ".gym"
    proc = subprocess.run(
        [sys.executable, "-c", CRASHER, str(gym_dir)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == -9, proc.stderr
    with Ledger.open(gym_dir) as ledger:
        [run] = ledger.runs()
        [episode] = ledger.episodes(run.id)
        assert run.status.value == "started"
        assert episode.status == EpisodeStatus.STARTED
        assert episode.final_verdict is None
        assert len(ledger.turns(episode.id)) == 1  # what did happen is kept
        assert ledger.grade_sets(episode.id) == []


def test_a_failed_batch_writes_nothing(ledger):
    run_id = ledger.start_run(RunRecord(simulated=False))
    try:
        with ledger.batch():
            ledger.start_episode(EpisodeRecord(run_id=run_id, task="a"))
            raise RuntimeError("harness died mid-batch")
    except RuntimeError:
        pass
    assert ledger.episodes(run_id) == []
