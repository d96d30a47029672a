"""The ``forbids`` check kind: negative requirements read from the produced code's AST."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from verifier import Check, ForbidsCheck, Status, load_task
from verifier._checks import CheckContext, evaluate
from verifier._evidence import RunEvidence
from verifier._forbids import glob_regex, scan_source, scan_tree
from verifier._workspace import GradedTree

CATALOG = Path(__file__).resolve().parents[2] / "gym" / "catalog"
CALLS = ["eval", "exec", "compile", "__import__"]
IMPORTS = ["subprocess", "socket"]


def found(source: str) -> list[tuple[int, str]]:
    return scan_source(source, CALLS, IMPORTS)


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("x = eval('1')\n", "uses eval"),
        ("f = exec\n", "uses exec"),  # aliasing is a use
        ("import builtins\nbuiltins.compile('1', 'f', 'eval')\n", "uses builtins.compile"),
        ("import builtins\ngetattr(builtins, 'eval')('1')\n", "uses eval through getattr"),
        ("from builtins import eval as e\n", "imports eval from builtins"),
        ("import subprocess\n", "imports subprocess"),
        ("import socket.x as s\n", "imports socket.x"),
        ("from subprocess import run\n", "imports from subprocess"),
        ("m = __import__('socket')\n", "uses __import__"),
        (
            "import importlib\nimportlib.import_module('subprocess')\n",
            "imports subprocess dynamically",
        ),
    ],
)
def test_each_forbidden_use_is_found_with_its_line(source: str, what: str) -> None:
    hits = found(source)
    assert any(w == what for _, w in hits), hits
    assert all(line >= 1 for line, _ in hits)


@pytest.mark.parametrize(
    "source",
    [
        "import re\nPATTERN = re.compile('x')\n",  # another function called compile
        "def compile(text):\n    return text\n\ncompile('a')\n",  # the module's own compile
        "import subprocessing\nfrom os import system\n",  # a prefix is not the module
        "from .subprocess import run\n",  # a relative import is the app's own module
        "text = 'eval(x) and import socket'\n",
    ],
)
def test_look_alikes_are_not_findings(source: str) -> None:
    assert found(source) == []


def test_the_line_is_the_line_of_the_use() -> None:
    assert found("a = 1\n\nb = eval('2')\n") == [(3, "uses eval")]


def test_glob_spans_folders_only_where_it_says_so() -> None:
    rx = glob_regex("calc/**/*.py")
    assert rx.match("calc/x.py") and rx.match("calc/a/b/x.py")
    assert not rx.match("tests/x.py") and not rx.match("calc/x.pyc")
    assert glob_regex("*.py").match("a.py") and not glob_regex("*.py").match("d/a.py")


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    outside = _tree(tmp_path / "outside", {"evil.py": "eval('1')\n", "pkg/m.py": "exec('')\n"})
    root = _tree(tmp_path / "app", {"pkg/ok.py": "x = 1\n"})
    (root / "pkg" / "linked.py").symlink_to(outside / "evil.py")
    (root / "linked_dir").symlink_to(outside / "pkg", target_is_directory=True)
    result = scan_tree(root, calls=CALLS, imports=IMPORTS)
    assert result.violations == [] and result.scanned == 1


def test_the_path_glob_limits_the_scan_and_findings_name_file_and_line(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {"pkg/core.py": "import os\nimport subprocess\n", "tests/test_x.py": "import subprocess\n"},
    )
    result = scan_tree(root, calls=CALLS, imports=IMPORTS, pattern="pkg/**/*.py")
    assert [str(v) for v in result.violations] == ["pkg/core.py:2 imports subprocess"]


def test_the_model_needs_something_to_forbid_and_is_picked_by_kind() -> None:
    adapter = TypeAdapter(Check)
    parsed = adapter.validate_python({"name": "n", "kind": "forbids", "calls": ["eval"]})
    assert isinstance(parsed, ForbidsCheck) and parsed.path == "**/*.py"
    with pytest.raises(ValidationError, match="needs calls or imports"):
        adapter.validate_python({"name": "n", "kind": "forbids"})


async def _evaluate(root: Path, **fields: object) -> tuple[Status, str]:
    check = ForbidsCheck.model_validate({"name": "no-eval", "kind": "forbids", **fields})
    ctx = CheckContext(GradedTree(root, root / ".scratch"), RunEvidence())
    result = await evaluate(check, ctx)
    return result.status, result.message


async def test_evaluator_fails_naming_file_line_passes_clean_code(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"app/a.py": "x = 1\n", "app/b.py": "\n\ny = eval('x')\n"})
    status, message = await _evaluate(root, calls=CALLS)
    assert status is Status.FAIL and "app/b.py:3 uses eval" in message
    (root / "app/b.py").write_text("y = 2\n")
    status, message = await _evaluate(root, calls=CALLS)
    assert status is Status.PASS and "2 file(s)" in message


async def test_evaluator_is_inconclusive_with_nothing_to_read(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"app/a.py": "def broken(:\n"})
    assert (await _evaluate(root, calls=CALLS))[0] is Status.INCONCLUSIVE
    assert (await _evaluate(root, calls=CALLS, path="nothing/*.py"))[0] is Status.INCONCLUSIVE
    (root / "app/b.py").write_text("eval('1')\n")
    assert (await _evaluate(root, calls=CALLS))[0] is Status.FAIL  # a finding outweighs it


@pytest.mark.parametrize("task_id", ["expr-calc", "csv-query"])
async def test_catalog_negations_have_a_forbids_check_that_tells_reference_from_control(
    task_id: str, tmp_path: Path
) -> None:
    task = load_task(CATALOG / task_id)
    (check,) = [c for c in task.checks if isinstance(c, ForbidsCheck)]
    assert check.hidden and "eval" in check.calls
    assert task.controls["broken_uses_eval"].dimension == "checks"
    results = {}
    for label, tree in (
        ("reference", task.reference_dir(1)),
        ("control", task.control_dir("broken_uses_eval")),
    ):
        assert tree is not None
        copy = shutil.copytree(tree, tmp_path / label)
        ctx = CheckContext(GradedTree(copy, tmp_path / f"{label}-scratch"), RunEvidence())
        results[label] = await evaluate(check, ctx)
    assert results["reference"].status is Status.PASS
    assert results["control"].status is Status.FAIL and "uses eval" in results["control"].message
