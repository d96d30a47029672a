"""The simulator plays the semantic judge and the pre-reviewer from the real prompts.

Its answers must follow what the prompt shows (a broken file, a stub, a worker that only
reads) and be wrong at a seeded rate, never always right: the gym measures the mechanisms,
it does not hand them a win.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from brain import ask_structured, transport_for
from swarm import EventLog, load_plan
from swarm.judge import TaskView
from swarm.pipeline.review import (
    LlmJudge,
    PreReviewer,
    PreReviewReport,
    SemanticVerdict,
)

SEEDS = range(20)
CLEAN = "def mean(xs):\n    return sum(xs) / len(xs)\n"


def task():
    return load_plan({"subtasks": [{"id": "a", "owned_files": ["pkg/a.py"]}]}).tasks["a"]


def view(workdir: Path, *, calls: int, written: tuple[str, ...]) -> TaskView:
    return TaskView(task(), 1, 1, "d1", 100.0, 60.0, calls, written, 5.0, 0, workdir)


def judged(workdir: Path, seed: int, **fields) -> SemanticVerdict:
    model = transport_for(f"sim:competent?time_scale=0&seed={seed}")
    judge = LlmJudge({"d1": model}, "Build pkg.", workdir)
    messages = judge.messages(view(workdir, **fields))
    return asyncio.run(ask_structured(model, messages, SemanticVerdict))


def reviewed(workdir: Path, seed: int) -> PreReviewReport:
    model = transport_for(f"sim:competent?time_scale=0&seed={seed}")
    reviewer = PreReviewer({"d1": model}, "Build pkg.", workdir, {"a": task()}, EventLog(None))
    return asyncio.run(ask_structured(model, reviewer.messages(task()), PreReviewReport))


def write(workdir: Path, text: str) -> None:
    (workdir / "pkg").mkdir(exist_ok=True)
    (workdir / "pkg" / "a.py").write_text(text)


def test_the_judge_sees_a_broken_file_and_is_sometimes_wrong(tmp_path: Path):
    write(tmp_path, "def mean(xs:\n    return 1\n")
    answers = [judged(tmp_path, s, calls=5, written=("pkg/a.py",)) for s in SEEDS]
    right = [a for a in answers if a.verdict == "broken_code"]
    assert len(right) >= 0.75 * len(answers)
    assert all(a.confidence >= 0.85 for a in right)
    assert len(right) < len(answers)  # a seeded share is wrong, as a small model is


def test_the_judge_calls_a_healthy_worker_ok_and_a_reader_over_reading(tmp_path: Path):
    write(tmp_path, CLEAN)
    healthy = [judged(tmp_path, s, calls=5, written=("pkg/a.py",)).verdict for s in SEEDS]
    assert healthy.count("ok") >= 0.75 * len(healthy)
    (tmp_path / "pkg" / "a.py").unlink()
    reading = [judged(tmp_path, s, calls=24, written=()).verdict for s in SEEDS]
    assert reading.count("over_reading") >= 0.75 * len(reading)


def test_the_prereviewer_finds_a_stub_and_sometimes_misses_or_invents(tmp_path: Path):
    write(tmp_path, "def mean(xs):\n    raise NotImplementedError\n")
    stub = [reviewed(tmp_path, s) for s in SEEDS]
    found = [r for r in stub if any("NotImplementedError" in f.problem for f in r.findings)]
    assert 0.7 * len(stub) <= len(found) < len(stub)
    write(tmp_path, CLEAN)
    clean = [reviewed(tmp_path, s) for s in SEEDS]
    invented = [r for r in clean if r.findings]
    assert 0 < len(invented) <= 0.3 * len(clean)
