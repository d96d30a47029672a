"""Triage: fixture findings and events map onto failure classes, with traces that open,
and each class's rate is split by the swarm code version a run recorded."""

from __future__ import annotations

import json

import pytest

from ledger import EpisodeRecord, EpisodeStatus, Ledger, RunRecord, RunStatus
from reports.triage import CLASSES, triage
from verifier import DimensionGrade, Finding, Grade, Severity, Source, Status, Verdict


def _grade(findings: list[Finding]) -> Grade:
    dims = {
        "diagnostics": DimensionGrade(
            score=0.0 if findings else 1.0,
            status=Status.FAIL if findings else Status.PASS,
            findings=findings,
            source=Source.DETERMINISTIC,
        )
    }
    verdict = Verdict.FAIL if findings else Verdict.PASS
    return Grade(task="t", verdict=verdict, dimensions=dims)


def _episode(ledger, tmp_path, run_id, seed, findings, events=(), tree=None):
    eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task="t", seed=seed))
    if events:
        log = tmp_path / f"run-{seed}.jsonl"
        log.write_text("".join(json.dumps(e) + "\n" for e in events))
        ledger.store_artifact(eid, log, "events", turn=1)
    if tree is not None:
        ledger.store_artifact(eid, tree, "tree", turn=1)
    ledger.record_grade(eid, 1, _grade(findings))
    ledger.finish_episode(eid, EpisodeStatus.FINISHED, Verdict.FAIL if findings else Verdict.PASS)
    return eid


STUB = Finding(code="stub_body", message="stub", severity=Severity.HIGH, file="app/core.py", line=3)
NARRATED = [
    {"event": "task_dispatched", "task_id": "core", "device": "n1"},
    {"event": "worker_note", "task_id": "core", "device": "n1", "note": "narrated"},
    {"event": "judge_verdict", "task_id": "other", "verdict": "over_reading", "action": "kill"},
]


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / ".gym") as opened:
        yield opened


def test_fixture_findings_and_events_map_to_classes_with_traces_that_open(ledger, tmp_path):
    tree = tmp_path / "work"
    (tree / "app").mkdir(parents=True)
    (tree / "app" / "core.py").write_text("def f():\n    pass\n")
    run = ledger.start_run(RunRecord(simulated=True, swarm_version="abc"))
    tampered = Finding(code="tampered", message="tests/test_x.py changed", severity=Severity.HIGH)
    eid = _episode(ledger, tmp_path, run, 1, [STUB, tampered], NARRATED, tree)
    ledger.finish_run(run, RunStatus.FINISHED)
    result = triage(ledger, [run])
    by = {c.name: c for c in result.classes}
    assert {c.name for c in result.found()} == {"stubs", "tampering", "narrated", "over_reading"}
    assert by["stubs"].episodes == [eid] and by["narrated"].count == 1
    (code,) = [t for h in by["stubs"].hits for t in h.traces if t.kind == "code"]
    assert code.member == "./app/core.py" and code.opens
    narrated = by["narrated"].hits[0]
    events = [t for t in narrated.traces if t.kind == "events"][0]
    assert events.lines == [2] and events.opens  # the worker_note is the log's 2nd line
    transcript = [t for t in narrated.traces if t.kind == "transcript"][0]
    assert transcript.lines == [1, 2]  # every line of task core, nothing of task other
    assert (ledger.gym_dir / events.path).is_file()


def test_a_class_with_no_evidence_source_is_listed_not_detectable_never_faked():
    for cls in CLASSES:
        assert cls.detectable == bool(cls.findings or cls.events)
        if not cls.detectable:
            assert cls.describe().startswith("not detectable")


def test_rates_are_split_by_the_swarm_code_version_with_an_interval(ledger, tmp_path):
    before = ledger.start_run(RunRecord(simulated=True, swarm_version="aaa"))
    for seed in (1, 2, 3):
        _episode(ledger, tmp_path, before, seed, [STUB])
    ledger.finish_run(before, RunStatus.FINISHED)
    after = ledger.start_run(RunRecord(simulated=True, swarm_version="bbb+dirty"))
    for seed in (1, 2, 3, 4):
        _episode(ledger, tmp_path, after, seed, [STUB] if seed == 1 else [])
    ledger.finish_run(after, RunStatus.FINISHED)
    stubs = {c.name: c for c in triage(ledger, [before, after]).classes}["stubs"]
    rates = {r.version: r for r in stubs.rates}
    assert (rates["aaa"].with_class, rates["aaa"].episodes, rates["aaa"].rate) == (3, 3, 1.0)
    assert (rates["bbb+dirty"].with_class, rates["bbb+dirty"].episodes) == (1, 4)
    assert rates["bbb+dirty"].low < 0.25 < rates["bbb+dirty"].high < rates["aaa"].high + 1e-9
    assert 0.3 < rates["aaa"].low < 1.0  # Wilson: three of three is not certainty


def test_the_report_section_shows_one_rate_column_per_code_version(ledger, tmp_path):
    from reports.triage import triage_section

    for version, stubbed in (("1111111111aa", True), ("2222222222bb+dirty", False)):
        run = ledger.start_run(RunRecord(simulated=True, swarm_version=version))
        _episode(ledger, tmp_path, run, 1, [STUB] if stubbed else [])
        ledger.finish_run(run, RunStatus.FINISHED)
    html = str(triage_section(ledger))
    assert "<th>rate @ 1111111111aa</th>" in html
    assert "<th>rate @ 2222222222bb+dirty</th>" in html
    row = html[html.index("stubs (pass") :].split("</tr>")[0]
    assert "100% [" in row and "0% [0," in row  # 1/1 before the fix, 0/1 after


def test_gym_triage_json_lists_classes_with_traces_and_bad_runs_are_one_line(ledger, tmp_path):
    from typer.testing import CliRunner

    from gym.cli import app

    run = ledger.start_run(RunRecord(simulated=True, swarm_version="abc"))
    _episode(ledger, tmp_path, run, 1, [], NARRATED)
    ledger.finish_run(run, RunStatus.FINISHED)
    gym_dir = str(ledger.gym_dir)
    result = CliRunner().invoke(app, ["triage", "last", "--json", "--gym-dir", gym_dir])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    found = {c["name"]: c for c in data["classes"] if c["count"]}
    assert set(found) == {"narrated", "over_reading"}
    trace = found["over_reading"]["hits"][0]["traces"][0]
    assert trace["lines"] == [3] and trace["opens"]
    bad = CliRunner().invoke(app, ["triage", "nope", "--gym-dir", gym_dir])
    assert bad.exit_code == 2 and bad.output.strip() == (
        f"gym triage: no run 'nope' in {ledger.gym_dir / 'ledger.sqlite'}"
    )
