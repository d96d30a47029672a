"""The self-test an invented task must pass: its golden values run, its checks can fail.

Two gradings in the verifier's sandbox, on the ``checks`` dimension only (the task's
golden-value checks):

- the reference solution must pass every check — a golden value the brain computed wrongly
  fails here, on the one implementation that is correct by construction;
- a deterministic mutant of the reference must fail at least one check — the mutant is the
  reference with every Python file emptied (an app that starts, prints nothing and exits 0),
  so checks that would pass on it cannot fail and tell nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from verifier import Status, Task, VerifierError, clean_line, grade_workdir

#: The mutant every invented task is tested against.
MUTANT = "silent"


def self_check(task: Task) -> str | None:
    """None when ``task`` is admitted; else one line saying why it is rejected."""
    reference = task.reference_dir(1)
    if reference is None or not reference.is_dir():
        return "it has no reference solution"
    try:
        problem = _reference_problem(task, reference)
        return problem if problem is not None else _mutant_problem(task, reference)
    except VerifierError as exc:
        return f"the self-test could not run: {clean_line(str(exc), 200)}"


def _reference_problem(task: Task, reference: Path) -> str | None:
    checks = grade_workdir(reference, task, stage=1).dimensions["checks"]
    if checks.status is Status.PASS:
        return None
    failed = "; ".join(clean_line(f.message, 160) for f in checks.findings[:3])
    return f"its reference fails its own checks ({checks.status.value}): {failed}"


def _mutant_problem(task: Task, reference: Path) -> str | None:
    with tempfile.TemporaryDirectory(prefix="gym-mutant-") as tmp:
        mutant = silent_mutant(reference, Path(tmp) / "app")
        checks = grade_workdir(mutant, task, stage=1).dimensions["checks"]
    if checks.status is Status.FAIL:
        return None
    return (
        f"no check fails on the {MUTANT} mutant of its reference ({checks.status.value}): "
        "its checks cannot fail"
    )


def silent_mutant(reference: Path, target: Path) -> Path:
    """A copy of ``reference`` with every ``.py`` file emptied; returns ``target``."""
    shutil.copytree(reference, target, ignore=shutil.ignore_patterns("__pycache__"))
    for path in sorted(target.rglob("*.py")):
        path.write_text("", encoding="utf-8")
    return target
