"""Deterministic check kinds: a registry from ``CheckKind`` to an async evaluator.

Each evaluator receives exactly its kind's model (a :class:`CommandCheck` for ``command``)
and a :class:`CheckContext`, and returns a :class:`CheckResult`. Command checks run in the
sandbox in a fresh copy of the graded tree. A missing tool or a timeout is ``inconclusive``,
never ``fail``: the oracle could not answer, which says nothing about the app.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from verifier import sandbox
from verifier._evidence import RunEvidence
from verifier._forbids import scan_tree
from verifier._grade import Status
from verifier._task import (
    Check,
    CheckKind,
    CommandCheck,
    ExpectStdout,
    FileContainsCheck,
    FileExistsCheck,
    FileMatchesCheck,
    ForbidsCheck,
    ToolCalledCheck,
)
from verifier._text import clean_line
from verifier._workspace import GradedTree

_EXCERPT = 160


@dataclass
class CheckResult:
    """The outcome of one check."""

    name: str
    status: Status
    message: str = ""
    hidden: bool = False
    isolation: str = ""


@dataclass
class CheckContext:
    """What an evaluator may look at."""

    tree: GradedTree
    evidence: RunEvidence


_C = TypeVar("_C", bound=Check)
Evaluator = Callable[[_C, CheckContext], Awaitable[CheckResult]]
"""An async evaluator of one check kind, taking that kind's model."""

# Keyed by kind, so each evaluator is only ever handed its own kind's model.
_EVALUATORS: dict[CheckKind, Evaluator[Any]] = {}


def check_kind(kind: CheckKind) -> Callable[[Evaluator[_C]], Evaluator[_C]]:
    """Register the evaluator of one check kind."""

    def register(func: Evaluator[_C]) -> Evaluator[_C]:
        _EVALUATORS[kind] = func
        return func

    return register


def registered_kinds() -> set[CheckKind]:
    """Kinds that have an evaluator."""
    return set(_EVALUATORS)


async def evaluate(check: Check, ctx: CheckContext) -> CheckResult:
    """Run one check with the evaluator registered for its kind."""
    evaluator = _EVALUATORS.get(check.kind)
    if evaluator is None:
        return _result(check, Status.INCONCLUSIVE, f"no evaluator for kind {check.kind}")
    return await evaluator(check, ctx)


def _result(check: Check, status: Status, message: str, isolation: str = "") -> CheckResult:
    return CheckResult(check.name, status, message, check.hidden, isolation)


def _tail(text: str) -> str:
    """The end of stderr, where a traceback says what went wrong."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return _excerpt("\n".join(lines[-2:]))


def _excerpt(text: str) -> str:
    """App output is untrusted: newlines shown as \\n, control characters dropped."""
    return clean_line(text.strip().replace("\n", "\\n"), _EXCERPT)


# ---------------------------------------------------------------- command


def _missing_tool(result: sandbox.SandboxResult, cmd: str) -> bool:
    """Exit 127 with the shell's "not found" means the oracle's tool is absent here."""
    first = cmd.split()[0] if cmd.split() else ""
    return result.exit_code == 127 and "not found" in result.stderr and first in result.stderr


def stdout_mismatch(expect: ExpectStdout, stdout: str) -> str | None:
    """Why ``stdout`` does not meet ``expect``, or None when it does."""
    if expect.equals is not None:
        ok = stdout == expect.equals or stdout.rstrip("\n") == expect.equals.rstrip("\n")
        return (
            None if ok else f"stdout {_excerpt(stdout)!r} != expected {_excerpt(expect.equals)!r}"
        )
    if expect.contains is not None:
        wanted = [expect.contains] if isinstance(expect.contains, str) else expect.contains
        missing = [w for w in wanted if w not in stdout]
        return None if not missing else f"stdout lacks {_excerpt(missing[0])!r}"
    if expect.regex is not None:
        found = re.search(expect.regex, stdout, re.MULTILINE)
        return None if found else f"stdout does not match /{_excerpt(expect.regex)}/"
    try:
        got = json.loads(stdout)
    except json.JSONDecodeError:
        return f"stdout is not JSON: {_excerpt(stdout)!r}"
    return None if got == expect.json_ else f"JSON {_excerpt(json.dumps(got))} != expected"


def _command_verdict(check: CommandCheck, result: sandbox.SandboxResult) -> tuple[Status, str]:
    if result.timed_out:
        return Status.INCONCLUSIVE, f"timed out after {check.timeout_s:g}s"
    if _missing_tool(result, check.cmd):
        return Status.INCONCLUSIVE, f"tool missing: {_excerpt(result.stderr)}"
    if check.expect_exit is not None and result.exit_code != check.expect_exit:
        return Status.FAIL, (
            f"exit {result.exit_code}, expected {check.expect_exit}; stderr: {_tail(result.stderr)}"
        )
    if check.expect_stdout is not None:
        why = stdout_mismatch(check.expect_stdout, result.stdout)
        if why:
            return Status.FAIL, why
    wanted = check.expect_stderr_contains
    if wanted is not None and wanted not in result.stderr:
        return Status.FAIL, f"stderr lacks {wanted!r}: {_tail(result.stderr)}"
    return Status.PASS, f"ok in {result.elapsed_ms:.0f} ms"


@check_kind(CheckKind.COMMAND)
async def _command(check: CommandCheck, ctx: CheckContext) -> CheckResult:
    workdir = await asyncio.to_thread(ctx.tree.fresh_copy, check.name)
    result = await sandbox.run_async(
        check.cmd, workdir=workdir, stdin=check.stdin, env=check.env, timeout_s=check.timeout_s
    )
    status, message = _command_verdict(check, result)
    return _result(check, status, message, result.isolation)


# ---------------------------------------------------------------- files


def _inside(root: Path, rel: str) -> Path | None:
    """``root/rel`` when it stays inside ``root`` (a check path is task data, still checked)."""
    path = (root / rel).resolve()
    return path if path.is_relative_to(root.resolve()) else None


def _read(check: FileContainsCheck | FileMatchesCheck, ctx: CheckContext) -> str | CheckResult:
    """The file's text, or the failed result when it is not a file inside the tree."""
    path = _inside(ctx.tree.root, check.path)
    if path is None or not path.is_file():
        return _result(check, Status.FAIL, f"{check.path} does not exist")
    return path.read_text(encoding="utf-8", errors="replace")


@check_kind(CheckKind.FILE_EXISTS)
async def _file_exists(check: FileExistsCheck, ctx: CheckContext) -> CheckResult:
    path = _inside(ctx.tree.root, check.path)
    if path is not None and path.exists():
        return _result(check, Status.PASS, f"{check.path} exists")
    return _result(check, Status.FAIL, f"{check.path} does not exist")


@check_kind(CheckKind.FILE_CONTAINS)
async def _file_contains(check: FileContainsCheck, ctx: CheckContext) -> CheckResult:
    text = _read(check, ctx)
    if isinstance(text, CheckResult):
        return text
    ok = check.text in text
    return _result(
        check,
        Status.PASS if ok else Status.FAIL,
        f"{check.path} {'contains' if ok else 'lacks'} {_excerpt(check.text)!r}",
    )


@check_kind(CheckKind.FILE_MATCHES)
async def _file_matches(check: FileMatchesCheck, ctx: CheckContext) -> CheckResult:
    text = _read(check, ctx)
    if isinstance(text, CheckResult):
        return text
    ok = re.search(check.regex, text, re.MULTILINE) is not None
    return _result(
        check,
        Status.PASS if ok else Status.FAIL,
        f"{check.path} {'matches' if ok else 'does not match'} /{_excerpt(check.regex)}/",
    )


@check_kind(CheckKind.FORBIDS)
async def _forbids(check: ForbidsCheck, ctx: CheckContext) -> CheckResult:
    scan = await asyncio.to_thread(
        scan_tree, ctx.tree.root, calls=check.calls, imports=check.imports, pattern=check.path
    )
    if scan.violations:
        shown = "; ".join(str(v) for v in scan.violations[:5])
        more = f" (+{len(scan.violations) - 5} more)" if len(scan.violations) > 5 else ""
        return _result(check, Status.FAIL, clean_line(f"forbidden: {shown}{more}", 600))
    if scan.unparsed:
        why = f"cannot parse {', '.join(scan.unparsed[:3])}: the scan is incomplete"
        return _result(check, Status.INCONCLUSIVE, clean_line(why, 600))
    if not scan.scanned:
        return _result(check, Status.INCONCLUSIVE, f"no file matches {check.path}")
    return _result(check, Status.PASS, f"{scan.scanned} file(s) scanned, none forbidden")


# ---------------------------------------------------------------- events


def _tool_name(event: dict) -> str | None:
    name = event.get("tool") or event.get("name")
    return name if isinstance(name, str) else None


@check_kind(CheckKind.TOOL_CALLED)
async def _tool_called(check: ToolCalledCheck, ctx: CheckContext) -> CheckResult:
    if ctx.evidence.events is None:
        return _result(check, Status.INCONCLUSIVE, "no event log given")
    calls = [e for e in ctx.evidence.named("tool_call") if _tool_name(e) == check.tool]
    if calls:
        return _result(check, Status.PASS, f"tool {check.tool} called {len(calls)} time(s)")
    return _result(check, Status.FAIL, f"tool {check.tool} never called")


# ---------------------------------------------------------------- suites


def _suite_argv(workdir: Path, target: str, hidden: bool) -> list[str]:
    """pytest's command line; for hidden tests, the harness's own pytest and nothing else.

    ``-I`` keeps the workdir off ``sys.path`` while pytest starts, so a ``pytest.py``,
    ``_pytest/`` or ``sitecustomize.py`` the swarm wrote cannot stand in for it; the app
    root is put on the path only afterwards (``pythonpath``), for the tests to import.
    """
    if not hidden:
        return ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts="]
    ini = workdir / target / "pytest.ini"
    if not ini.exists():
        ini.write_text("[pytest]\n", encoding="utf-8")
    return [
        *(sys.executable, "-I", "-B", "-m", "pytest", "-q", "-p", "no:cacheprovider"),
        *("-o", "addopts=", "-o", f"pythonpath={workdir}"),
        *("-c", f"{target}/pytest.ini", "--rootdir", "."),
    ]


async def run_suite(
    name: str,
    workdir: Path,
    target: str,
    *,
    hidden: bool,
    timeout_s: float = 120.0,
    hide: Sequence[Path] = (),
) -> CheckResult:
    """Run pytest on ``target`` in ``workdir``; no tests collected counts as inconclusive.

    Plugin autoloading is off (the apps are pure stdlib). For hidden tests the config is
    the hidden suite's own ``pytest.ini`` (an empty one when it ships none) and
    ``--confcutdir`` stops at it, so a conftest.py or pytest config the swarm wrote cannot
    skip or rewrite them; ``-o addopts=`` drops options from the app's own config. The
    hidden tests are read-only to the run (the app's code, imported by them, cannot rewrite
    a test not yet collected) and ``hide`` masks folders such as the task's catalog entry.
    """
    workdir = Path(workdir).resolve()
    cmd = [*_suite_argv(workdir, target, hidden), "--confcutdir", target, target]
    # Catalog apps are pure stdlib: third-party plugins would only double pytest's start-up.
    env = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    readonly = [workdir / target] if hidden else []
    result = await sandbox.run_async(
        cmd, workdir=workdir, timeout_s=timeout_s, env=env, readonly=readonly, hide=hide
    )
    summary = _excerpt(_last_line(result.stdout))
    if result.timed_out:
        status, message = Status.INCONCLUSIVE, f"timed out after {timeout_s:g}s"
    elif "No module named pytest" in result.stderr:
        status, message = Status.INCONCLUSIVE, "tool missing: pytest is not installed"
    elif result.exit_code == 5:
        status, message = Status.INCONCLUSIVE, "no tests collected"
    elif result.exit_code == 0:
        status, message = Status.PASS, summary
    elif result.exit_code == 1:
        status, message = Status.FAIL, summary
    else:
        status, message = (
            Status.FAIL,
            f"pytest exit {result.exit_code}: {summary or _excerpt(result.stderr)}",
        )
    return CheckResult(name, status, message, hidden, result.isolation)


def _last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""
