"""Skeleton-first for the entry module, stub-first for multi-file owners.

A task that owns the app's entry module (``__main__.py``, ``cli.py``, ``main.py``) or two
or more Python modules is told to write a skeleton first: every module importable, every
public name with its real signature, every subcommand registered, placeholder bodies. As
soon as the attempt has written each of those files once, they are run once through the
sandbox (model-written code runs nowhere else): each module imported, the entry run with
``--help`` (which registers every subcommand and exits before any body runs). A skeleton
that does not import is a content retry whose note carries the error. Writing early is
also what exempts the attempt from the judge's over-reading kill (``swarm.judge`` only
flags attempts that have written nothing). Test files get no skeleton.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from swarm.knobs import register_knob

register_knob(
    "skeleton.enabled",
    bool,
    True,
    "Entry-module owners and multi-file owners write an importable skeleton first; it is "
    "run once (imports, `--help`) before being filled; one that does not import is retried.",
    tunable=True,
)

ENTRY_NAMES = ("__main__.py", "cli.py", "main.py")
#: Seconds the one import check may take (imports only; bodies are placeholders).
CHECK_TIMEOUT_S = 30.0
#: Characters of one file's error kept for the event and the retry note.
_ERROR_CHARS = 600
_MARK = "@@skeleton-check@@"

#: Runs in the sandbox: import each module / run each entry with --help; prints a result line.
_CHECKER = """
import importlib, json, runpy, sys, traceback
failed = {}
for rel, kind, target in json.loads(sys.argv[1]):
    try:
        if kind == "import":
            importlib.import_module(target)
        else:
            sys.argv = [target, "--help"]
            if kind == "module":
                runpy.run_module(target, run_name="__main__", alter_sys=True)
            else:
                runpy.run_path(target, run_name="__main__")
    except SystemExit:
        pass
    except BaseException:
        failed[rel] = traceback.format_exc(limit=-3)
print("\\n%s" % MARK + json.dumps(failed))
"""

SKELETON_INSTRUCTION = (
    "SKELETON FIRST: your first write_file calls are a skeleton of {files}: every module "
    "importable, every public class and function with its real signature, every "
    "command-line subcommand and flag registered in the parser, and placeholder bodies "
    "(`raise NotImplementedError`) — the one time a placeholder is allowed. It is run once "
    "to confirm it imports; then write each file again in full, working code."
)
SKELETON_FAILED_NOTE = (
    "your skeleton does not import, so nothing built on it can run; write {files} again "
    "so that every module imports (check the module paths and names): {error}"
)


def _is_test(rel: str) -> bool:
    path = PurePosixPath(rel)
    name = path.name
    in_tests = "tests" in path.parts[:-1]
    return (
        in_tests or name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py")
    )


def skeleton_files(owned: Sequence[str]) -> list[str]:
    """The owned files written as a skeleton first: all non-test modules of an entry owner
    or of a task owning two or more; none otherwise."""
    modules = [p for p in owned if p.endswith(".py") and not _is_test(p)]
    entry = any(PurePosixPath(p).name in ENTRY_NAMES for p in modules)
    return modules if entry or len(modules) >= 2 else []


def check_target(rel: str) -> tuple[str, str]:
    """How one file is checked: ``module`` (``python -m pkg --help``), ``script``
    (``python main.py --help``) or ``import`` (``import pkg.mod``)."""
    parts = list(PurePosixPath(rel).with_suffix("").parts)
    if parts[-1] == "__main__":
        return ("module", ".".join(parts[:-1])) if len(parts) > 1 else ("script", rel)
    if parts[-1] == "__init__":
        return "import", ".".join(parts[:-1])
    if len(parts) == 1 and rel in ENTRY_NAMES:
        return "script", rel
    return "import", ".".join(parts)


@dataclass(frozen=True)
class SkeletonCheck:
    """The one run of a skeleton: file → error text (None when it imported)."""

    errors: dict[str, str | None]

    @property
    def ok(self) -> bool:
        """Every file imported."""
        return not any(self.errors.values())

    def note(self) -> str:
        """The content retry's note: which files failed and how."""
        bad = {rel: err for rel, err in self.errors.items() if err}
        shown = "; ".join(f"{rel}: {err}" for rel, err in bad.items())
        return SKELETON_FAILED_NOTE.format(files=", ".join(bad), error=shown[:1500])


async def check_skeleton(
    workdir: Path, files: Sequence[str], timeout_s: float = CHECK_TIMEOUT_S
) -> SkeletonCheck:
    """Import every file (entries with ``--help``) once, in the sandbox."""
    from verifier import sandbox  # the one place untrusted code runs

    targets = [(rel, *check_target(rel)) for rel in files]
    script = _CHECKER.replace("MARK", repr(_MARK))
    result = await sandbox.run_async(
        ["python", "-c", script, json.dumps(targets)],
        workdir=workdir,
        timeout_s=timeout_s,
        output_cap=20_000,
    )
    return SkeletonCheck(_errors(files, result.stdout, result.stderr, result.timed_out))


def _errors(
    files: Sequence[str], stdout: str, stderr: str, timed_out: bool
) -> dict[str, str | None]:
    """Per-file errors from the checker's result line; all files fail when there is none."""
    if timed_out:
        return dict.fromkeys(files, "importing it did not finish (waits for input or loops?)")
    index = stdout.rfind(_MARK)
    try:
        failed = json.loads(stdout[index + len(_MARK) :].strip()) if index >= 0 else None
    except json.JSONDecodeError:
        failed = None
    if not isinstance(failed, dict):
        reason = (stderr or stdout).strip()[-_ERROR_CHARS:] or "the import check printed nothing"
        return dict.fromkeys(files, reason)
    return {rel: _last_lines(failed[rel]) if failed.get(rel) else None for rel in files}


def _last_lines(text: object) -> str:
    """The end of a traceback (where the error is), one line."""
    return " | ".join(str(text).strip().splitlines()[-4:])[-_ERROR_CHARS:]
