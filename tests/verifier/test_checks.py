"""Check kinds: golden stdout, files, tool calls; inconclusive when the oracle cannot answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from verifier import (
    Check,
    CheckKind,
    CommandCheck,
    ExpectStdout,
    FileContainsCheck,
    FileExistsCheck,
    FileMatchesCheck,
    Status,
    ToolCalledCheck,
    load_task,
)
from verifier._checks import CheckContext, evaluate, registered_kinds, stdout_mismatch
from verifier._evidence import RunEvidence
from verifier._workspace import prepare

CHECK = TypeAdapter(Check)


def expect(**kw) -> ExpectStdout:
    return ExpectStdout.model_validate(kw)


@pytest.mark.parametrize(
    ("golden", "stdout", "ok"),
    [
        ({"equals": "14\n"}, "14\n", True),
        ({"equals": "14\n"}, "14", True),  # a missing final newline is not a wrong value
        ({"equals": "14\n"}, "14.0\n", False),
        ({"contains": ["a", "b"]}, "b then a", True),
        ({"contains": ["a", "z"]}, "b then a", False),
        ({"regex": r"^total: \d+$"}, "x\ntotal: 12\n", True),
        ({"regex": r"^total: \d+$"}, "total: twelve\n", False),
        ({"json": {"a": [1, 2]}}, '{"a": [1, 2]}\n', True),
        ({"json": {"a": [1, 2]}}, '{"a": [2, 1]}', False),
        ({"json": {"a": 1}}, "not json", False),
    ],
)
def test_stdout_expectations(golden: dict, stdout: str, ok: bool) -> None:
    assert (stdout_mismatch(expect(**golden), stdout) is None) is ok


def test_every_check_kind_has_an_evaluator() -> None:
    assert registered_kinds() == set(CheckKind)


@pytest.mark.parametrize(
    ("fields", "model"),
    [
        ({"kind": "command", "cmd": "true"}, CommandCheck),
        ({"kind": "file_exists", "path": "a.py"}, FileExistsCheck),
        ({"kind": "file_contains", "path": "a.py", "text": "x"}, FileContainsCheck),
        ({"kind": "file_matches", "path": "a.py", "regex": "x"}, FileMatchesCheck),
        ({"kind": "tool_called", "tool": "write_file"}, ToolCalledCheck),
    ],
)
def test_kind_selects_the_check_model(fields: dict, model: type) -> None:
    assert type(check(**fields)) is model


def test_a_field_of_another_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        check(kind="file_exists", path="a.py", cmd="true")


def test_a_null_field_of_another_kind_is_ignored_but_own_nulls_keep_their_meaning() -> None:
    # Models often send every key of the union with null: null says nothing about a kind.
    parsed = check(kind="command", cmd="true", path=None, regex=None, expect_exit=None)
    assert isinstance(parsed, CommandCheck) and parsed.expect_exit is None


def test_the_check_schema_is_discriminated_on_kind() -> None:
    schema = CHECK.json_schema()
    assert schema["discriminator"]["propertyName"] == "kind"
    assert set(schema["discriminator"]["mapping"]) == {k.value for k in CheckKind}


@pytest.fixture
def ctx(reference_copy: Path, greet_task):
    tree = prepare(reference_copy, greet_task, 1)
    yield CheckContext(tree, RunEvidence(events=[{"event": "tool_call", "tool": "write_file"}]))
    tree.close()


def check(**kw) -> Check:
    return CHECK.validate_python({"name": "c", **kw})


async def test_command_with_golden_stdout_passes_and_fails(ctx) -> None:
    good = await evaluate(
        check(kind="command", cmd="python -m greet Ada", expect_stdout={"equals": "Hello, Ada!\n"}),
        ctx,
    )
    bad = await evaluate(
        check(kind="command", cmd="python -m greet Ada", expect_stdout={"equals": "Hi, Ada!\n"}),
        ctx,
    )
    assert good.status is Status.PASS
    assert bad.status is Status.FAIL and "Hello, Ada!" in bad.message


async def test_wrong_exit_code_fails_with_the_stderr_tail(ctx) -> None:
    result = await evaluate(
        check(kind="command", cmd="python -c 'raise SystemExit(\"boom\")'"), ctx
    )
    assert result.status is Status.FAIL
    assert "exit 1" in result.message and "boom" in result.message


async def test_missing_tool_is_inconclusive(ctx) -> None:
    result = await evaluate(check(kind="command", cmd="no-such-tool-xyz --version"), ctx)
    assert result.status is Status.INCONCLUSIVE and "tool missing" in result.message


async def test_timeout_is_inconclusive(ctx) -> None:
    result = await evaluate(check(kind="command", cmd="sleep 5", timeout_s=0.3), ctx)
    assert result.status is Status.INCONCLUSIVE and "timed out" in result.message


async def test_each_command_check_runs_in_a_fresh_copy(ctx) -> None:
    first = await evaluate(check(kind="command", cmd="touch polluted && ls"), ctx)
    second = await evaluate(check(kind="command", cmd="test ! -e polluted"), ctx)
    assert first.status is Status.PASS and second.status is Status.PASS
    assert not (ctx.tree.root / "polluted").exists()


async def test_file_checks(ctx) -> None:
    assert (
        await evaluate(check(kind="file_exists", path="greet/core.py"), ctx)
    ).status is Status.PASS
    assert (
        await evaluate(check(kind="file_exists", path="greet/nope.py"), ctx)
    ).status is Status.FAIL
    contains = check(kind="file_contains", path="greet/core.py", text="def greeting")
    assert (await evaluate(contains, ctx)).status is Status.PASS
    matches = check(kind="file_matches", path="greet/core.py", regex=r"^def \w+\(name")
    assert (await evaluate(matches, ctx)).status is Status.PASS
    lacks = check(kind="file_contains", path="greet/core.py", text="def farewell")
    assert (await evaluate(lacks, ctx)).status is Status.FAIL


async def test_file_check_cannot_escape_the_tree(ctx) -> None:
    escape = check(kind="file_exists", path="../../../../etc/passwd")
    assert (await evaluate(escape, ctx)).status is Status.FAIL


async def test_tool_called_reads_the_event_log(ctx) -> None:
    assert (await evaluate(check(kind="tool_called", tool="write_file"), ctx)).status is Status.PASS
    assert (
        await evaluate(check(kind="tool_called", tool="run_command"), ctx)
    ).status is Status.FAIL
    ctx.evidence = RunEvidence()
    result = await evaluate(check(kind="tool_called", tool="write_file"), ctx)
    assert result.status is Status.INCONCLUSIVE


def test_protected_file_changed_is_restored_and_flagged(reference_copy: Path, greet_task) -> None:
    contract = reference_copy / "tests" / "test_contract.py"
    contract.write_text("def test_greeting():\n    assert True\n")
    tree = prepare(reference_copy, greet_task, 1)
    try:
        assert [f.code for f in tree.tampered] == ["tampered"]
        assert "Hello, Ada!" in (tree.root / "tests/test_contract.py").read_text()
        assert "assert True" in contract.read_text()  # the swarm's workdir is left as it was
    finally:
        tree.close()


def test_untouched_protected_file_is_not_tampering(reference_copy: Path, greet_task) -> None:
    tree = prepare(reference_copy, greet_task, 1)
    assert tree.tampered == []
    tree.close()


def test_hidden_tests_are_copied_in_from_pristine(tmp_path: Path, greet_task) -> None:
    tree = prepare(Path(greet_task.root / "reference"), greet_task, 1)
    try:
        copy = tree.fresh_copy("hidden", greet_task.hidden_tests_dir)
        assert (copy / "_hidden_tests" / "test_hidden.py").is_file()
        assert not (tree.root / "_hidden_tests").exists()
    finally:
        tree.close()


def test_task_without_seed_or_reference_protects_nothing(tmp_path: Path) -> None:
    (tmp_path / "task").mkdir()
    shutil.copy(Path(__file__).parent / "fixtures/greet/task.toml", tmp_path / "task/task.toml")
    task = load_task(tmp_path / "task")
    work = tmp_path / "work"
    (work / "tests").mkdir(parents=True)
    (work / "tests/test_contract.py").write_text("anything\n")
    tree = prepare(work, task, 1)
    assert tree.tampered == []
    tree.close()


def test_special_files_left_in_the_workdir_do_not_block_grading(
    reference_copy: Path, greet_task
) -> None:
    import os

    os.mkfifo(reference_copy / "pipe")
    tree = prepare(reference_copy, greet_task, 1)
    try:
        assert not (tree.root / "pipe").exists()
        assert (tree.root / "greet/core.py").is_file()
    finally:
        tree.close()


def test_protected_file_the_swarm_never_had_is_replaced_silently(tmp_path: Path) -> None:
    root = Path(shutil.copytree(Path(__file__).parent / "fixtures/greet", tmp_path / "task"))
    shutil.rmtree(root / "seed")
    task = load_task(root)
    work = Path(shutil.copytree(root / "reference", tmp_path / "work"))
    (work / "tests/test_contract.py").write_text("def test_mine():\n    assert True\n")
    tree = prepare(work, task, 1)
    try:
        assert tree.tampered == []
        assert "Hello, Ada!" in (tree.root / "tests/test_contract.py").read_text()
    finally:
        tree.close()


def test_symlinked_directory_cannot_redirect_the_restore(
    tmp_path: Path, reference_copy: Path, greet_task
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(reference_copy / "tests")
    (reference_copy / "tests").symlink_to(outside, target_is_directory=True)
    tree = prepare(reference_copy, greet_task, 1)
    try:
        assert list(outside.iterdir()) == []
        assert not (tree.root / "tests").is_symlink()
        assert [f.code for f in tree.tampered] == ["tampered"]
    finally:
        tree.close()
