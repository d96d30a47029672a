"""The hidden tests run with the harness's own pytest, read-only, and only in a confined sandbox.

Measured before the fix: a ``pytest.py`` at the produced tree's root replaced pytest when
the hidden tests ran (``python -m pytest`` searched the workdir first), so a failing hidden
test graded PASS. Also pinned: a fake ``_pytest`` package, a root ``conftest.py`` that
rewrites reports, app code that rewrites a hidden test before it is collected, and a grade
made without confinement, which must leave ``checks`` inconclusive rather than trusted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from verifier import Status, Verdict, grade_workdir, load_task, sandbox

GREET = Path(__file__).resolve().parents[1] / "verifier" / "fixtures" / "greet"

FAKE_PYTEST = "import sys\nprint('1 passed in 0.01s')\nsys.exit(0)\n"
FAKE_PYTEST_PACKAGE = (
    "import sys\nprint('1 passed in 0.01s')\nsys.exit(0)\n"  # runs when `pytest` imports it
)
REPORT_REWRITER = (
    "import pytest\n\n@pytest.hookimpl(hookwrapper=True)\n"
    "def pytest_runtest_makereport(item, call):\n"
    "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n"
)
# Imported by the hidden test: rewrites every hidden test before pytest collects the rest.
TEST_REWRITER = (
    "import glob\nfor path in glob.glob('_hidden_tests/*.py'):\n"
    "    try:\n        open(path, 'w').write('def test_ok():\\n    pass\\n')\n"
    "    except OSError:\n        pass\n"
)


@pytest.fixture
def broken_app(tmp_path: Path) -> Path:
    """The greet reference with the bug the hidden test catches (an empty name)."""
    work = Path(shutil.copytree(GREET / "reference", tmp_path / "work"))
    core = work / "greet/core.py"
    core.write_text(core.read_text().replace("name or 'world'", "name"))
    return work


def _hidden_result(work: Path) -> list[str]:
    grade = grade_workdir(work, load_task(GREET))
    return [
        f.message
        for f in grade.dimensions["checks"].findings
        if f.code == "check_failed" and "hidden_tests" in f.message
    ]


@pytest.mark.parametrize(
    "planted",
    [
        {"pytest.py": FAKE_PYTEST},
        {"_pytest/__init__.py": FAKE_PYTEST_PACKAGE},
        {"sitecustomize.py": FAKE_PYTEST, "usercustomize.py": FAKE_PYTEST},
        {"conftest.py": REPORT_REWRITER},
        {"greet/__init__.py": TEST_REWRITER},
    ],
    ids=["pytest.py", "_pytest-package", "sitecustomize", "root-conftest", "rewrites-tests"],
)
def test_a_failing_hidden_test_still_fails_whatever_the_tree_plants(
    broken_app: Path, planted: dict[str, str]
) -> None:
    if not sandbox.CONFINED_LEVELS & {sandbox.isolation_level()}:
        pytest.skip("no confining sandbox level on this machine")
    for rel, text in planted.items():
        (broken_app / rel).parent.mkdir(parents=True, exist_ok=True)
        (broken_app / rel).write_text(text)
    failed = _hidden_result(broken_app)
    assert len(failed) == 1 and "1 failed" in failed[0], failed


def test_the_hidden_tests_still_import_the_app(tmp_path: Path) -> None:
    # -I keeps the workdir off sys.path at start-up; the app root is added back for the tests.
    work = Path(shutil.copytree(GREET / "reference", tmp_path / "work"))
    grade = grade_workdir(work, load_task(GREET))
    assert grade.dimensions["checks"].status is Status.PASS, grade.dimensions["checks"].findings


def test_unconfined_checks_are_inconclusive_not_trusted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SWARM_GYM_SANDBOX", "rlimits")
    work = Path(shutil.copytree(GREET / "reference", tmp_path / "work"))
    grade = grade_workdir(work, load_task(GREET))
    checks = grade.dimensions["checks"]
    assert grade.isolation == "rlimits"
    assert checks.status is Status.INCONCLUSIVE
    assert "sandbox_unconfined" in {f.code for f in checks.findings}
    assert grade.verdict is not Verdict.PASS
