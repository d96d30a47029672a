"""Triage at scale: the bulk read reports what a per-episode read reports, artifacts are
opened only for the hits shown, and a class lists at most MAX_HITS with an "and N more"."""

from __future__ import annotations

import json

import pytest

from ledger import EpisodeRecord, EpisodeStatus, Ledger, RunRecord, RunStatus
from reports.triage import episode_hits, triage, triage_section
from verifier import DimensionGrade, Finding, Grade, Severity, Source, Status, Verdict

STUB = Finding(code="stub_body", message="stub", severity=Severity.HIGH, file="app/core.py", line=3)
DRIFT = Finding(
    code="check_failed",
    message="check cli: ImportError: cannot import name 'load' from 'app.store' in task core",
    severity=Severity.HIGH,
)
EVENTS = [
    {"event": "task_dispatched", "task_id": "core"},
    {"event": "worker_note", "task_id": "core", "note": "narrated"},
]


def _grade(findings: list[Finding]) -> Grade:
    dim = DimensionGrade(
        score=0.0 if findings else 1.0,
        status=Status.FAIL if findings else Status.PASS,
        findings=findings,
        source=Source.DETERMINISTIC,
    )
    clean = DimensionGrade(score=1.0, status=Status.PASS, source=Source.DETERMINISTIC)
    verdict = Verdict.FAIL if findings else Verdict.PASS
    return Grade(task="t", verdict=verdict, dimensions={"diagnostics": dim, "tests": clean})


def _episode(ledger, tmp_path, run_id, seed, findings, *, events=False, tree=None, done=True):
    eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task="t", seed=seed))
    if events:
        log = tmp_path / f"ev-{seed}.jsonl"
        log.write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
        ledger.store_artifact(eid, log, "events", turn=1)
    if tree is not None:
        ledger.store_artifact(eid, tree, "tree", turn=1)
    ledger.record_grade(eid, 1, _grade(findings))
    if done:
        ledger.finish_episode(eid, EpisodeStatus.FINISHED, Verdict.FAIL)
    return eid


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / ".gym") as opened:
        yield opened


@pytest.fixture
def tree(tmp_path):
    work = tmp_path / "work"
    (work / "app").mkdir(parents=True)
    (work / "app" / "core.py").write_text("def f():\n    pass\n")
    return work


def test_the_bulk_triage_lists_the_same_hits_a_per_episode_read_finds(ledger, tmp_path, tree):
    run = ledger.start_run(RunRecord(simulated=True, swarm_version="abc"))
    eids = [
        _episode(ledger, tmp_path, run, 1, [STUB, DRIFT], events=True, tree=tree),
        _episode(ledger, tmp_path, run, 2, [DRIFT], events=True),
        _episode(ledger, tmp_path, run, 3, []),
    ]
    unfinished = _episode(ledger, tmp_path, run, 4, [STUB], done=False)
    ledger.finish_run(run, RunStatus.FINISHED)
    expected = [h for eid in eids for h in episode_hits(ledger, run, eid)]
    result = triage(ledger, [run])
    listed = [h for c in result.classes for h in c.hits]
    order = [c.name for c in result.classes]
    by_class = sorted(expected, key=lambda h: order.index(h.failure_class))
    assert listed == by_class and len(listed) == 5  # a stub, two drifts, two narrations
    drift = {c.name: c for c in result.classes}["contract_drift"]
    transcript = [t for t in drift.hits[0].traces if t.kind == "transcript"]
    assert transcript and transcript[0].lines == [1, 2] and transcript[0].opens
    assert unfinished not in {e for c in result.classes for e in c.episodes}
    assert result.episodes == 3


def test_only_the_listed_hits_open_artifacts(ledger, tmp_path, tree, monkeypatch):
    from reports.triage import _collect

    opened: list[str] = []
    real = _collect._opens
    monkeypatch.setattr(
        _collect,
        "_opens",
        lambda led, ref, member: opened.append(ref.path) or real(led, ref, member),
    )
    run = ledger.start_run(RunRecord(simulated=True, swarm_version="abc"))
    for seed in range(30):
        _episode(ledger, tmp_path, run, seed, [STUB], tree=tree)
    ledger.finish_run(run, RunStatus.FINISHED)
    stubs = {c.name: c for c in triage(ledger, [run]).classes}["stubs"]
    assert (stubs.count, stubs.occurrences, len(stubs.hits)) == (30, 30, 25)
    assert len(opened) == 25 and all(t.opens for h in stubs.hits for t in h.traces)


def test_the_section_says_how_many_more_a_class_has_than_it_lists(ledger, tmp_path):
    run = ledger.start_run(RunRecord(simulated=True, swarm_version="abc"))
    for seed in range(27):
        _episode(ledger, tmp_path, run, seed, [STUB, STUB] if seed < 4 else [STUB])
    ledger.finish_run(run, RunStatus.FINISHED)
    html = str(triage_section(ledger))
    details = html[html.index("<summary>stubs") :].split("</details>")[0]
    assert details.count("<code>") == 25  # one per listed hit (no traces: no artifacts)
    assert "and 6 more piece(s) of evidence" in details and "in 27 episode(s)" in details
    assert "more piece" not in html[: html.index("<summary>stubs")]
