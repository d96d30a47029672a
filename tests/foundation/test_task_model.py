"""The task file contract (contract 1): loading, validation messages, stage arithmetic."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from verifier import Archetype, CheckKind, CommandCheck, TaskError, load_task

MINIMAL = """
id = "tiny"
title = "Tiny"
archetype = "heavy-spec"
difficulty = 1
spec = "Build tiny."
entry = "python -m tiny"

[[checks]]
name = "help"
kind = "command"
cmd = "python -m tiny --help"

[[checks]]
name = "old-output"
kind = "command"
cmd = "python -m tiny show"
expect_stdout = { equals = "1\\n" }

[[stages]]
n = 2
move = "change-direction"
text = "Show prints 2 now."
retire = ["old-output"]

[[stages.checks]]
name = "new-output"
kind = "command"
cmd = "python -m tiny show"
expect_stdout = { json = [1, 2] }

[controls.broken_stub]
dimension = "diagnostics"
"""


def write_task(tmp_path: Path, text: str) -> Path:
    (tmp_path / "task.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_valid_task_loads_with_its_root_and_package(tmp_path: Path) -> None:
    task = load_task(write_task(tmp_path, MINIMAL))
    assert task.archetype is Archetype.HEAVY_SPEC
    assert task.package == "tiny"
    assert task.root == tmp_path
    assert task.max_stage == 2


def test_stage_checks_add_and_retire_by_name(tmp_path: Path) -> None:
    task = load_task(write_task(tmp_path, MINIMAL))
    assert [c.name for c in task.checks_for_stage(1)] == ["help", "old-output"]
    assert [c.name for c in task.checks_for_stage(2)] == ["help", "new-output"]
    assert task.checks_for_stage(2)[1].expect_stdout.json_ == [1, 2]


def test_each_check_loads_as_the_model_of_its_kind(tmp_path: Path) -> None:
    task = load_task(write_task(tmp_path, MINIMAL))
    checks = task.checks_for_stage(2)
    assert all(isinstance(c, CommandCheck) for c in checks)
    assert checks[0].kind is CheckKind.COMMAND and checks[0].cmd == "python -m tiny --help"


def test_spec_for_stage_appends_amendments_verbatim(tmp_path: Path) -> None:
    task = load_task(write_task(tmp_path, MINIMAL))
    assert task.spec_for_stage(1) == "Build tiny."
    assert task.spec_for_stage(2) == "Build tiny.\n\nShow prints 2 now."


def test_unknown_stage_is_a_task_error(tmp_path: Path) -> None:
    task = load_task(write_task(tmp_path, MINIMAL))
    with pytest.raises(TaskError, match="no stage 3"):
        task.checks_for_stage(3)


def test_reference_dir_falls_back_to_latest_earlier_stage(tmp_path: Path) -> None:
    task = load_task(write_task(tmp_path, MINIMAL))
    (tmp_path / "reference").mkdir()
    assert task.reference_dir(2) == tmp_path / "reference"
    (tmp_path / "stages" / "2" / "reference").mkdir(parents=True)
    assert task.reference_dir(2) == tmp_path / "stages" / "2" / "reference"


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (('archetype = "heavy-spec"', 'archetype = "huge"'), "field archetype"),
        (("difficulty = 1", "difficulty = 9"), "field difficulty"),
        (('cmd = "python -m tiny --help"', 'path = "x"'), "check 'help' of kind command needs cmd"),
        (('kind = "command"', 'kind = "shell"'), "field checks.0.kind: Input should be one of"),
        (('kind = "command"\n', ""), "field checks.0.kind: Field required"),
        (('--help"', '--help"\npath = "x"'), "field checks.0.path: Extra inputs"),
        (("n = 2", "n = 3"), "numbered 2, 3"),
        (
            ('expect_stdout = { equals = "1\\n" }', "expect_stdout = {}"),
            "field checks.1.expect_stdout: Value error, expect_stdout needs exactly one",
        ),
        (("[controls.broken_stub]", "[controls.stub]"), "broken_"),
    ],
)
def test_invalid_task_is_one_line_naming_the_problem(
    tmp_path: Path, mutation: tuple[str, str], message: str
) -> None:
    old, new = mutation
    assert old in MINIMAL
    write_task(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(TaskError) as info:
        load_task(tmp_path)
    text = str(info.value)
    assert message in text
    assert "\n" not in text
    assert "task.toml" in text


def test_not_toml_and_missing_file_are_task_errors(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="no such task file"):
        load_task(tmp_path)
    write_task(tmp_path, "id = [")
    with pytest.raises(TaskError, match="not valid TOML"):
        load_task(tmp_path)


def test_check_kinds_are_the_contracts_five_and_forbids() -> None:
    assert {k.value for k in CheckKind} == {
        "command",
        "file_exists",
        "file_contains",
        "file_matches",
        "tool_called",
        "forbids",  # issue 14: negative requirements by AST scan
    }
