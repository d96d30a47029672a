"""The worker's tools: confinement to the workdir, output cap, ownership, the sandbox."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brain import ToolCall
from swarm.pipeline.worker import (
    TRUNCATION_MARKER,
    Toolbox,
    ToolError,
    ToolPolicy,
    cap_output,
    confine,
)


def test_confine_refuses_parent_directory_escape(tmp_path: Path) -> None:
    with pytest.raises(ToolError, match="'..'"):
        confine(tmp_path, "../outside.py")


def test_confine_refuses_absolute_path_outside_workdir(tmp_path: Path) -> None:
    with pytest.raises(ToolError, match="outside the project"):
        confine(tmp_path, "/etc/passwd")


def test_confine_accepts_absolute_path_inside_workdir(tmp_path: Path) -> None:
    assert confine(tmp_path, str(tmp_path / "pkg" / "a.py")) == (tmp_path / "pkg/a.py").resolve()


def test_confine_refuses_symlink_escape(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    os.symlink(outside, work / "link")
    with pytest.raises(ToolError, match="outside the project"):
        confine(work, "link/secret.txt")


def test_cap_output_cuts_with_marker_saying_how_much() -> None:
    text = "x" * 100
    capped = cap_output(text, 30)
    assert capped.startswith("x" * 30)
    assert capped.endswith(TRUNCATION_MARKER.format(dropped=70))


async def test_read_of_escaping_path_is_a_tool_error_not_an_exception(tmp_path: Path) -> None:
    box = Toolbox(tmp_path)
    outcome = await box.call(ToolCall(id="1", name="read_file", arguments={"path": "../x"}))
    assert not outcome.ok and outcome.text.startswith("error:")


async def test_write_creates_folders_and_reports_the_written_path(tmp_path: Path) -> None:
    box = Toolbox(tmp_path)
    outcome = await box.call(
        ToolCall(
            id="1", name="write_file", arguments={"path": "./pkg/mod.py", "content": "x = 1\n"}
        )
    )
    assert outcome.written == "pkg/mod.py"
    assert (tmp_path / "pkg/mod.py").read_text() == "x = 1\n"


async def test_write_refuses_a_file_owned_by_another_task(tmp_path: Path) -> None:
    box = Toolbox(tmp_path, policy=ToolPolicy(foreign_owned={"pkg/b.py": "other"}))
    outcome = await box.call(
        ToolCall(id="1", name="write_file", arguments={"path": "pkg/b.py", "content": "y"})
    )
    assert not outcome.ok and "owned by task 'other'" in outcome.text
    assert not (tmp_path / "pkg/b.py").exists()


async def test_read_result_is_capped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("y" * 5000)
    box = Toolbox(tmp_path, output_cap=1000)
    outcome = await box.call(ToolCall(id="1", name="read_file", arguments={"path": "big.txt"}))
    assert len(outcome.text) < 1100 and "output truncated: 4000 more characters" in outcome.text


async def test_run_command_runs_in_the_workdir_through_the_sandbox(tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("hi")
    box = Toolbox(tmp_path, command_timeout_s=20)
    outcome = await box.call(
        ToolCall(id="1", name="run_command", arguments={"command": "cat hello.txt && pwd"})
    )
    assert outcome.ok and "hi" in outcome.text and str(tmp_path.resolve()) in outcome.text


async def test_unknown_tool_is_an_error_listing_the_real_tools(tmp_path: Path) -> None:
    outcome = await Toolbox(tmp_path).call(ToolCall(id="1", name="edit", arguments={}))
    assert not outcome.ok and "write_file" in outcome.text


async def test_json_content_given_as_an_object_is_written_as_json(tmp_path: Path) -> None:
    box = Toolbox(tmp_path)
    outcome = await box.call(
        ToolCall(id="1", name="write_file", arguments={"path": "data.json", "content": {"a": [1]}})
    )
    assert outcome.ok and (tmp_path / "data.json").read_text() == '{\n  "a": [\n    1\n  ]\n}\n'


async def test_a_call_carrying_a_recovery_error_is_never_executed(tmp_path: Path) -> None:
    call = ToolCall(
        id="c1",
        name="write_file",
        arguments={"path": "a.py", "content": ""},
        error="invalid arguments for write_file: 'content' had no value; resend the call",
    )
    outcome = await Toolbox(tmp_path).call(call)
    assert not outcome.ok and "'content' had no value" in outcome.text
    assert not (tmp_path / "a.py").exists()


async def test_a_write_without_content_is_refused_with_the_reason(tmp_path: Path) -> None:
    call = ToolCall(id="c1", name="write_file", arguments={"path": "a.py"})
    outcome = await Toolbox(tmp_path).call(call)
    assert not outcome.ok and "'content' must be the full file text" in outcome.text
    assert not (tmp_path / "a.py").exists()
