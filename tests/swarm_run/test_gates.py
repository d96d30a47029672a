"""Verification gates on fixture trees: each finding caught by its gate; a clean tree passes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from swarmrun_support import Recorder

from swarm.pipeline.gates import GateStatus, ReviewGate, SmokeGate, entry_package, route
from swarm.pipeline.gates._result import GateFinding
from swarm.pipeline.run import honest_status
from swarm.report import RunStatus, TaskReport, TaskStatus
from swarm.scheduler._scheduler import SchedulerOutcome

CLEAN = {
    "app/__init__.py": "",
    "app/core.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
    "app/__main__.py": (
        "import argparse\nfrom app.core import add\n\n\ndef main() -> None:\n"
        "    parser = argparse.ArgumentParser(prog='app')\n"
        "    parser.add_argument('a', type=int)\n    parser.add_argument('b', type=int)\n"
        "    args = parser.parse_args()\n    print(add(args.a, args.b))\n\n\nmain()\n"
    ),
    "tests/test_core.py": "from app.core import add\n\n\ndef test_add():\n"
    "    assert add(1, 2) == 3\n",
}


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def variant(root: Path, **changes: str | None) -> Path:
    files = dict(CLEAN)
    for key, text in changes.items():
        rel = key.replace("__", "/").replace("_DOT_", ".")
        if text is None:
            files.pop(rel, None)
        else:
            files[rel] = text
    return tree(root, files)


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


async def smoke(root: Path, python: str = "python"):
    return await SmokeGate(root, "app", python=python, timeout_s=60).check()


@pytest.mark.slow
async def test_clean_tree_passes_smoke_and_review(tmp_path: Path) -> None:
    root = tree(tmp_path, CLEAN)
    assert (await smoke(root)).status is GateStatus.PASS
    assert (await ReviewGate(root, "app").check()).status is GateStatus.PASS


@pytest.mark.slow
async def test_import_drift_is_caught_by_smoke_and_blamed_on_both_modules(tmp_path: Path) -> None:
    root = tree(tmp_path, {**CLEAN, "app/core.py": "def add_numbers(a, b):\n    return a + b\n"})
    result = await smoke(root)
    assert result.status is GateStatus.FAIL
    assert "collect_error" in codes(result) and "import_drift" in codes(result)
    drift = next(f for f in result.findings if f.code == "import_drift")
    assert drift.file == "app/core.py" and "'add'" in drift.message


@pytest.mark.slow
async def test_a_crash_only_running_the_suite_reveals_is_caught_by_pytest_q(tmp_path: Path) -> None:
    crashing = "def add(a: int, b: int) -> int:\n    return a + b + undefined_name\n"
    result = await smoke(tree(tmp_path, {**CLEAN, "app/core.py": crashing}))
    steps = {s["step"]: s["status"] for s in result.steps}
    assert steps["collect"] == "pass" and steps["tests"] == "fail"
    failed = next(f for f in result.findings if f.code == "tests_failed")
    assert failed.file == "app/core.py" and failed.line == 2 and "NameError" in failed.detail


@pytest.mark.slow
async def test_package_without_main_is_caught_as_no_entry_point(tmp_path: Path) -> None:
    files = {k: v for k, v in CLEAN.items() if k != "app/__main__.py"}
    result = await smoke(tree(tmp_path, files))
    assert result.status is GateStatus.FAIL and "no_main" in codes(result)


async def test_entry_without_help_that_exits_cleanly_is_not_a_crash(tmp_path: Path) -> None:
    shell = (
        "import sys\n\nif sys.argv[1:]:\n    print('usage: python -m app', file=sys.stderr)"
        "\n    sys.exit(2)\nfor line in sys.stdin:\n    print(line.upper(), end='')\n"
    )
    root = tree(tmp_path, {"app/__init__.py": "", "app/__main__.py": shell})
    result = await smoke(root)
    assert result.status is GateStatus.PASS and result.steps[-1]["step"] == "entry"


async def test_entry_that_raises_is_an_entry_crash_at_its_line(tmp_path: Path) -> None:
    crashing = "x = 1\nraise SystemError('boom')\n"
    root = tree(tmp_path, {"app/__init__.py": "", "app/__main__.py": crashing})
    result = await smoke(root)
    crash = next(f for f in result.findings if f.code == "entry_crash")
    assert (crash.file, crash.line) == ("app/__main__.py", 2) and "boom" in crash.detail


@pytest.mark.slow
async def test_missing_pytest_is_inconclusive_not_red(tmp_path: Path) -> None:
    # `-S` skips site-packages: the sandbox's interpreter then has no pytest
    result = await smoke(tree(tmp_path, CLEAN), python=f"{sys.executable} -S")
    assert result.status is GateStatus.INCONCLUSIVE
    assert {s["status"] for s in result.steps if s["step"] == "collect"} == {"inconclusive"}


def test_unwired_module_is_caught_by_the_reviewer(tmp_path: Path) -> None:
    root = tree(tmp_path, {**CLEAN, "app/extra.py": "def helper() -> int:\n    return 1\n"})
    result = ReviewGate(root, "app").new_findings()
    assert [(f.code, f.file) for f in result] == [("unwired_module", "app/extra.py")]


def test_stub_bodies_are_caught_by_the_reviewer(tmp_path: Path) -> None:
    stub = (
        "def add(a: int, b: int) -> int:\n    raise NotImplementedError\n\n\n"
        "def sub(a: int, b: int) -> int:\n    ...\n"
    )
    found = ReviewGate(tree(tmp_path, {**CLEAN, "app/core.py": stub}), "app").new_findings()
    assert {f.code for f in found} == {"not_implemented", "stub_body"}


def test_stray_shadowing_module_is_caught_by_the_reviewer(tmp_path: Path) -> None:
    root = tree(tmp_path, {**CLEAN, "core.py": "def add(a, b):\n    return a + b\n"})
    found = ReviewGate(root, "app").new_findings()
    assert ("shadowing_module", "core.py") in {(f.code, f.file) for f in found}


def test_reviewer_subtracts_the_pre_build_snapshot(tmp_path: Path) -> None:
    root = tree(tmp_path, {**CLEAN, "app/legacy.py": "def old():\n    pass\n"})
    gate = ReviewGate(root, "app")
    gate.snapshot()
    (root / "app/new.py").write_text("def fresh():\n    ...\n")
    assert {f.file for f in gate.new_findings()} == {"app/new.py"}


def test_findings_are_routed_to_the_owner_of_their_file_else_the_sink() -> None:
    findings = [GateFinding("stub_body", "m", "app/core.py", 3), GateFinding("entry_crash", "x")]
    routed = route(findings, {"app/core.py": "core"}, "integrate-verify")
    assert {k: [f.code for f in v] for k, v in routed.items()} == {
        "core": ["stub_body"],
        "integrate-verify": ["entry_crash"],
    }


def test_entry_package_comes_from_the_specs_run_command() -> None:
    assert entry_package("Run it as `python -m pytest` or `python -m inventory add`") == "inventory"


def _outcome(sink: TaskStatus = TaskStatus.DONE) -> SchedulerOutcome:
    tasks = [
        TaskReport(task_id="core", status=TaskStatus.DONE),
        TaskReport(task_id="integrate-verify", status=sink),
    ]
    return SchedulerOutcome(RunStatus.DONE, tasks, ["n"])


def test_a_red_gate_means_the_run_is_not_done_even_with_every_task_done() -> None:
    gates = {"smoke": {"status": "fail"}, "review": {"status": "pass"}}
    assert honest_status(_outcome(), gates) == (RunStatus.FAILED, "red gates: smoke")


def test_a_failed_sink_means_the_run_is_not_done() -> None:
    status, reason = honest_status(_outcome(TaskStatus.FAILED), {})
    assert status is RunStatus.FAILED and "sink" in reason


def test_inconclusive_gates_do_not_fail_the_run() -> None:
    gates = {"smoke": {"status": "inconclusive"}, "sink": {"status": "pass"}}
    assert honest_status(_outcome(), gates) == (RunStatus.DONE, None)


@pytest.mark.slow
async def test_false_green_stray_root_module_makes_suite_pass_but_entry_crashes(
    tmp_path: Path,
) -> None:
    # tests import a root-level stray copy; the package's own entry is broken
    broken_main = "from app.core import add_two\n\nprint(add_two(1))\n"
    root = tree(
        tmp_path,
        {
            **CLEAN,
            "core.py": CLEAN["app/core.py"],
            "tests/test_core.py": "from core import add\n\n\ndef test_add():\n"
            "    assert add(1, 2) == 3\n",
            "app/__main__.py": broken_main,
        },
    )
    result = await smoke(root)
    steps = {s["step"]: s["status"] for s in result.steps}
    assert steps["tests"] == "pass" and steps["entry"] == "fail"
    review = ReviewGate(root, "app").new_findings()
    gates = {"smoke": result.as_dict(), "review": {"status": "fail" if review else "pass"}}
    assert honest_status(_outcome(), gates)[0] is RunStatus.FAILED
    assert Recorder  # the sink protocol is exercised in the e2e tests


def test_sink_is_briefed_with_judge_verdicts_and_new_reviewer_findings(tmp_path: Path) -> None:
    from swarm.events import EventLog
    from swarm.knobs import Knobs
    from swarm.pipeline.gates import GateRunner
    from swarm.pipeline.worker import WorkerContext
    from swarm.protocols import Subtask

    root = tree(tmp_path, CLEAN)
    events = EventLog(None)
    gates = GateRunner(root, "run it: python -m app 1 2", Knobs(), events)
    gates.snapshot()
    (root / "app/core.py").write_text("def add(a: int, b: int) -> int:\n    ...\n")
    events.emit("judge_verdict", task_id="core", verdict="looping", reason="files unchanged")
    sink = Subtask(id="integrate-verify", description="verify", deps=("core",))
    context = WorkerContext(workdir=root, spec="s", sink_briefing=gates.sink_briefing)
    briefing = context.findings_for(sink)
    assert "app/core.py:1 stub_body" in briefing
    assert "core: judge looping (files unchanged)" in briefing
    plain = Subtask(id="core", description="c", owned_files=("app/core.py",))
    assert context.findings_for(plain) == ""
