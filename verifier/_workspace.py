"""The tree that is graded: a private copy of the workdir with protected files restored.

Grading never mutates the swarm's workdir. Protected files (hidden tests and the like) are
restored in the copy from pristine (``seed/``, else the stage's ``reference/``); one the
swarm was given in ``seed/`` and changed or deleted is reported as ``tampered``. Each
check then runs in its own fresh copy so checks cannot contaminate each other.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from verifier._grade import Finding, Severity
from verifier._task import Task

# Run state and caches are not part of what the swarm produced.
IGNORED = (
    ".swarm",
    ".git",
    "__pycache__",
    ".venv",
    "venv",
    "node_modules",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "*.pyc",
    ".gym",
)
HIDDEN_TESTS_DIR = "_hidden_tests"


def _ignore(directory: str, names: list[str]) -> set[str]:
    """Run state, caches, and special files (a FIFO left behind would block the copy)."""
    skipped = set(shutil.ignore_patterns(*IGNORED)(directory, names))
    for name in names:
        path = Path(directory, name)
        if not (path.is_symlink() or path.is_dir() or path.is_file()):
            skipped.add(name)
    return skipped


def copy_tree(src: Path, dest: Path) -> Path:
    """Copy ``src`` to ``dest`` without run state, caches or special files; links stay links."""
    shutil.copytree(src, dest, symlinks=True, ignore=_ignore)
    return dest


@dataclass
class GradedTree:
    """A private copy of the workdir, ready to grade; call ``close`` when done."""

    root: Path
    scratch: Path
    tampered: list[Finding] = field(default_factory=list)

    def fresh_copy(self, name: str, hidden_tests: Path | None = None) -> Path:
        """A new copy for one check, with the task's hidden tests copied in from pristine."""
        dest = Path(tempfile.mkdtemp(prefix=f"{name[:40]}-", dir=self.scratch)) / "app"
        copy_tree(self.root, dest)
        if hidden_tests is not None:
            target = dest / HIDDEN_TESTS_DIR
            if target.is_symlink() or target.is_file():
                target.unlink()
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(hidden_tests, target, ignore=shutil.ignore_patterns(*IGNORED))
        return dest

    def close(self) -> None:
        """Delete the copies."""
        shutil.rmtree(self.scratch, ignore_errors=True)


def _pristine_files(task: Task, stage: int) -> dict[str, tuple[Path, bool]]:
    """Protected path -> (pristine file, whether the swarm was given it in seed/)."""
    found: dict[str, tuple[Path, bool]] = {}
    sources = [(task.seed_dir, True), (task.reference_dir(stage), False)]
    for base, seeded in sources:
        if base is None:
            continue
        for pattern in task.protected:
            for path in sorted(base.glob(pattern)):
                if path.is_file():
                    found.setdefault(path.relative_to(base).as_posix(), (path, seeded))
    return found


def _real_parent(root: Path, rel: str) -> bool:
    """Make every directory on the way to ``rel`` a real one inside ``root``.

    A symlinked directory (``tests -> /elsewhere``) would make the restore write outside
    the graded copy; it is replaced by a real directory. Returns whether one was replaced.
    """
    replaced, here = False, root
    for part in Path(rel).parts[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            here.unlink()
            replaced = True
        here.mkdir(exist_ok=True)
    return replaced


def _differs(target: Path, pristine: Path) -> bool:
    if target.is_symlink() or not target.is_file():
        return True
    return target.read_bytes() != pristine.read_bytes()


def _restore(root: Path, rel: str, pristine: Path, seeded: bool) -> Finding | None:
    """Put the pristine copy at ``rel``; a seeded file that differed is tampering.

    A protected file the swarm was never given (no seed copy) cannot have been tampered
    with: a same-named file of its own is just replaced.
    """
    target = root / rel
    changed = _real_parent(root, rel) or _differs(target, pristine)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.is_symlink():
        target.unlink()
    shutil.copyfile(pristine, target)
    if not (seeded and changed):
        return None
    return Finding(
        code="tampered",
        message=f"protected file {rel} was changed; restored",
        severity=Severity.HIGH,
        file=rel,
    )


def prepare(workdir: Path, task: Task, stage: int) -> GradedTree:
    """Copy ``workdir`` and restore its protected files from pristine."""
    scratch = Path(tempfile.mkdtemp(prefix="verifier-"))
    tree = GradedTree(root=copy_tree(workdir, scratch / "graded"), scratch=scratch)
    for rel, (pristine, seeded) in _pristine_files(task, stage).items():
        finding = _restore(tree.root, rel, pristine, seeded)
        if finding is not None:
            tree.tampered.append(finding)
    return tree
