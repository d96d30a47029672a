"""The built-in catalog: every task loads, is well formed, carries references and controls."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gym.catalog import CATALOG_DIR
from verifier import Archetype, load_task

TASK_DIRS = sorted(p.parent for p in CATALOG_DIR.glob("*/task.toml"))
REQUIRED_CONTROL_KINDS = {
    "broken_contract_drift",
    "broken_unwired",
    "broken_stub",
    "broken_crash_real_input",
    "broken_stray_root",
    "broken_tampered_test",
    "broken_wrong_golden",
}


@pytest.fixture(scope="module")
def tasks():
    return [load_task(d) for d in TASK_DIRS]


def test_every_task_directory_loads_and_is_named_for_its_id(tasks):
    assert tasks, "the catalog is empty"
    assert [t.id for t in tasks] == [d.name for d in TASK_DIRS]


def test_each_archetype_has_at_least_four_tasks(tasks):
    counts = Counter(t.archetype for t in tasks)
    for archetype in Archetype:
        assert counts[archetype] >= 4, f"{archetype}: {counts[archetype]} tasks"


def test_every_task_has_two_to_five_stages_each_with_a_reference(tasks):
    for task in tasks:
        assert 2 <= task.max_stage <= 5, task.id
        assert (task.root / "reference").is_dir(), task.id
        for n in range(2, task.max_stage + 1):
            assert (task.root / "stages" / str(n) / "reference").is_dir(), f"{task.id} stage {n}"


def test_every_stage_adds_checks_and_every_command_check_has_golden_values(tasks):
    for task in tasks:
        assert all(s.checks for s in task.stages), task.id
        for check in task.checks_for_stage(task.max_stage):
            if check.kind == "command":
                assert check.expect_stdout is not None, f"{task.id}:{check.name}"
                assert check.expect_exit is not None, f"{task.id}:{check.name}"


def test_minimal_spec_tasks_have_hidden_requirements_backed_by_hidden_checks(tasks):
    for task in tasks:
        if task.archetype is Archetype.MINIMAL_SPEC:
            assert task.hidden, task.id
            hidden_checks = [c for c in task.checks if c.hidden]
            assert hidden_checks or task.hidden_tests_dir, task.id


def test_continue_existing_tasks_have_a_seed_and_untouched_protected_files(tasks):
    for task in tasks:
        if task.archetype is not Archetype.CONTINUE_EXISTING:
            continue
        assert task.seed_dir is not None, task.id
        for rel in task.protected:
            pristine = (task.seed_dir / rel).read_bytes()
            for n in range(1, task.max_stage + 1):
                kept = (task.reference_dir(n) / rel).read_bytes()
                assert kept == pristine, f"{task.id}:{rel}@{n}"


def test_every_control_has_its_tree_and_a_reason(tasks):
    for task in tasks:
        assert task.controls, task.id
        for name, control in task.controls.items():
            assert task.control_dir(name) is not None, f"{task.id}: {name}"
            assert control.why, f"{task.id}: {name}"


def test_the_catalog_covers_every_required_control_kind(tasks):
    names = {name for t in tasks for name in t.controls}
    assert REQUIRED_CONTROL_KINDS <= names, REQUIRED_CONTROL_KINDS - names


def test_trees_hold_only_source_files():
    # Data files (kv.json, todo.json, ...) would mean an app was run in place and left its state
    # behind; __pycache__ is ignored here because every consumer copies trees without it.
    allowed = {".py"}
    stray = [
        p
        for p in CATALOG_DIR.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix not in allowed
        and p.name not in ("task.toml", "README.md", "pytest.ini")
    ]
    assert stray == []


def test_every_tree_runs_its_entry_as_a_package(tasks):
    for task in tasks:
        for n in range(1, task.max_stage + 1):
            main = task.reference_dir(n) / task.package / "__main__.py"
            assert main.is_file(), f"{task.id} stage {n}: no {task.package}/__main__.py"


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_every_control_differs_from_the_reference_it_breaks(tasks):
    for task in tasks:
        for name, control in task.controls.items():
            reference = _tree_bytes(task.reference_dir(control.stage))
            broken = _tree_bytes(task.control_dir(name))
            assert broken != reference, f"{task.id}: {name} is unbroken"


def test_each_stage_reference_changes_the_previous_one(tasks):
    for task in tasks:
        for n in range(2, task.max_stage + 1):
            before = _tree_bytes(task.reference_dir(n - 1))
            after = _tree_bytes(task.root / "stages" / str(n) / "reference")
            assert after != before, f"{task.id} stage {n}"
