"""Calibration: references pass, broken controls fail the dimension they name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from verifier import SelfTestError, TaskError, discover_tasks, load_task, self_test
from verifier._selftest import _control, _reference

FIXTURES = Path(__file__).parent / "fixtures"
CONTROLS = [
    "broken_golden",
    "broken_stub",
    "broken_tampered",
    "broken_false_green",
    "broken_over_budget",
]


def test_reference_passes_every_deterministic_dimension(greet_task) -> None:
    result = _reference(greet_task, 1, greet_task.root / "reference", "reference")
    assert result.ok, result.reason
    assert result.statuses == {
        "swarm": "inconclusive",
        "checks": "pass",
        "diagnostics": "pass",
        "cluster": "inconclusive",
    }


@pytest.mark.parametrize("name", CONTROLS)
def test_each_control_fails_the_dimension_it_names(greet_task, name: str) -> None:
    result = _control(greet_task, name)
    assert result.ok, result
    assert result.statuses[greet_task.controls[name].dimension] in ("fail", "partial")


@pytest.mark.slow
def test_fixture_task_self_test_passes_on_every_tree(greet_task) -> None:
    result = self_test(greet_task)
    assert result.ok, [t for t in result.trees if not t.ok]
    by_tree = {t.tree: t for t in result.trees}
    assert by_tree["reference"].statuses["checks"] == "pass"
    assert by_tree["broken_false_green"].statuses["swarm"] == "fail"  # evidence from .swarm/
    assert by_tree["broken_over_budget"].statuses["cluster"] == "fail"
    assert by_tree["broken_tampered"].statuses["diagnostics"] == "fail"
    assert set(by_tree) == {
        "reference",
        "stages/2/reference",
        "broken_golden",
        "broken_stub",
        "broken_tampered",
        "broken_false_green",
        "broken_over_budget",
    }


def copy_task(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "greet", tmp_path / "greet"))


def trimmed_task(tmp_path: Path, *, control_dimension: str = "checks") -> Path:
    """The fixture task with one stage-1 reference and only its broken_golden control."""
    root = copy_task(tmp_path)
    shutil.rmtree(root / "stages/2/reference")
    toml = root / "task.toml"
    text = toml.read_text().split("[controls.broken_stub]")[0]
    toml.write_text(text.replace('dimension = "checks"', f'dimension = "{control_dimension}"'))
    return root


def test_control_that_does_not_fail_its_dimension_is_reported(tmp_path: Path) -> None:
    result = self_test(load_task(trimmed_task(tmp_path, control_dimension="cluster")))
    assert not result.ok
    assert [(t.tree, t.ok, t.reason) for t in result.trees] == [
        ("reference", True, ""),
        ("broken_golden", False, "cluster graded inconclusive"),
    ]


def test_broken_reference_fails_the_self_test(tmp_path: Path) -> None:
    root = trimmed_task(tmp_path)
    core = root / "reference/greet/core.py"
    core.write_text(core.read_text().replace("Hello, ", "Hi, "))
    result = self_test(load_task(root))
    reference = next(t for t in result.trees if t.tree == "reference")
    assert not result.ok
    assert not reference.ok and reference.reason.startswith("checks fail")


def test_missing_control_tree_is_reported(tmp_path: Path) -> None:
    root = copy_task(tmp_path)
    shutil.rmtree(root / "controls/broken_golden")
    missing = _control(load_task(root), "broken_golden")
    assert not missing.ok and "missing" in missing.reason


def test_task_without_reference_cannot_be_self_tested(tmp_path: Path) -> None:
    root = copy_task(tmp_path)
    shutil.rmtree(root / "reference")
    shutil.rmtree(root / "stages")
    with pytest.raises(SelfTestError, match="no reference"):
        self_test(load_task(root))


def test_discover_tasks_collects_or_raises_on_invalid_files(tmp_path: Path) -> None:
    copy_task(tmp_path)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad/task.toml").write_text('id = "bad"\n')
    errors: list[str] = []
    assert [t.id for t in discover_tasks(tmp_path, errors=errors)] == ["greet"]
    assert len(errors) == 1 and "bad/task.toml" in errors[0]
    with pytest.raises(TaskError):
        discover_tasks(tmp_path)
