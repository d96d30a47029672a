"""Skeleton-first / stub-first: the first write is run once; one that does not import retries.

Pinned with scripted worker turns (what the "model" writes is fixed here); the import check
itself really runs, in the sandbox.
"""

from __future__ import annotations

from pathlib import Path

from swarmrun_support import Recorder, call, scripted, tools

from swarm.judge import DeterministicJudge, TaskView, VerdictKind
from swarm.knobs import Knobs
from swarm.pipeline.worker import Worker, WorkerContext, WorkerSettings
from swarm.pipeline.worker._skeleton import check_target, skeleton_files
from swarm.protocols import Assignment, Device, ErrorClass, Subtask

DEVICE = Device(name="node-a", url="sim:scripted", model="scripted")
ENTRY = Subtask(id="cli", description="command line", owned_files=("app/__main__.py",))
MODELS = Subtask(id="models", description="data model", owned_files=("app/models.py",))

SKELETON = """\
import argparse


def main() -> None:
    parser = argparse.ArgumentParser(prog="app")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("add")
    sub.add_parser("list")
    parser.parse_args()
    raise NotImplementedError


main()
"""
FULL = SKELETON.replace("raise NotImplementedError", "print('ok')")
BROKEN = "import app.no_such_module\n\nprint('hi')\n"


def _worker(tmp_path: Path, node, **settings) -> Worker:
    context = WorkerContext(workdir=tmp_path, spec="Build app.", tasks={"cli": ENTRY})
    return Worker({"node-a": node}, context, WorkerSettings(stream=False, **settings))


def _assign(task: Subtask = ENTRY) -> Assignment:
    return Assignment(task=task, device=DEVICE, attempt=1, epoch=0)


async def test_a_skeleton_that_does_not_import_is_a_content_retry_carrying_the_error(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted([tools(call("write_file", path="app/__main__.py", content=BROKEN))])
    result = await _worker(tmp_path, node).dispatch(_assign(), recorder)
    assert not result.ok and result.error_class is ErrorClass.CONTENT
    assert "skeleton does not import" in result.error and "no_such_module" in result.error
    (event,) = recorder.named("skeleton_written")
    assert event["file"] == "app/__main__.py" and event["imports_ok"] is False
    assert event["task_id"] == "cli"


async def test_an_importing_skeleton_is_checked_once_then_filled(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(
        [
            tools(call("write_file", path="app/__main__.py", content=SKELETON)),
            tools(call("write_file", path="app/__main__.py", content=FULL)),
            tools(call("done", summary="ok")),
        ]
    )
    result = await _worker(tmp_path, node).dispatch(_assign(), recorder)
    assert result.ok, result.error
    events = recorder.named("skeleton_written")
    assert [(e["file"], e["imports_ok"]) for e in events] == [("app/__main__.py", True)]
    first_prompt = node.policy.requests[0].messages[1].content
    assert "SKELETON FIRST" in first_prompt and "app/__main__.py" in first_prompt


async def test_skeleton_off_keeps_the_old_behaviour_no_check_no_event(
    tmp_path: Path, recorder: Recorder
) -> None:
    node = scripted(
        [
            tools(call("write_file", path="app/__main__.py", content=BROKEN)),
            tools(call("done", summary="ok")),
        ]
    )
    result = await _worker(tmp_path, node, skeleton=False).dispatch(_assign(), recorder)
    assert result.ok  # parses, so the old gates let it through to the sink
    assert recorder.named("skeleton_written") == []
    assert "SKELETON FIRST" not in node.policy.requests[0].messages[1].content


async def test_a_single_module_owner_gets_no_skeleton(tmp_path: Path, recorder: Recorder) -> None:
    node = scripted(
        [
            tools(call("write_file", path="app/models.py", content=BROKEN)),
            tools(call("done", summary="ok")),
        ]
    )
    result = await _worker(tmp_path, node).dispatch(_assign(MODELS), recorder)
    assert result.ok and recorder.named("skeleton_written") == []


def test_which_files_are_skeletons_and_how_each_is_run() -> None:
    assert skeleton_files(["app/models.py"]) == []
    assert skeleton_files(["app/__main__.py"]) == ["app/__main__.py"]
    owned = ["app/store.py", "app/report.py", "tests/test_store.py", "README.md"]
    assert skeleton_files(owned) == ["app/store.py", "app/report.py"]
    assert check_target("app/__main__.py") == ("module", "app")
    assert check_target("app/__init__.py") == ("import", "app")
    assert check_target("main.py") == ("script", "main.py")
    assert check_target("app/sub/store.py") == ("import", "app.sub.store")


def test_the_knob_drives_the_worker_setting() -> None:
    assert WorkerSettings.from_knobs(Knobs()).skeleton is True
    assert WorkerSettings.from_knobs(Knobs({"skeleton.enabled": False})).skeleton is False


def test_writing_the_skeleton_early_exempts_the_attempt_from_the_over_reading_kill() -> None:
    def view(written: tuple[str, ...]) -> TaskView:
        return TaskView(ENTRY, 1, 0, "node-a", 1000.0, 600.0, 80, written, None, 0, None)

    judge = DeterministicJudge()
    assert judge.assess(view(())).kind is VerdictKind.OVER_READING
    assert judge.assess(view(("app/__main__.py",))).kind is not VerdictKind.OVER_READING
