"""The smoke gate: collect the suite, run it, run the entry point's ``--help`` — in the sandbox.

A finding is evidence from running: a collection error (cross-module import drift), a
failing test, an entry point that crashes or does not exist. A missing tool (no pytest
in the sandbox's interpreter) or a timeout is *inconclusive*, never red.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from swarm.pipeline.gates._result import GateFinding, GateResult, GateStatus

#: pytest's exit codes: 0 passed, 1 tests failed, 5 nothing collected (others: usage/internal).
_PYTEST_OK, _PYTEST_FAILED, _PYTEST_NO_TESTS = 0, 1, 5
_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
_IMPORT_DRIFT = re.compile(r"cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)'")
_TEST_FILE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test)\.py$")
#: The tail of a tool's output a repair worker needs: the traceback's end, not the banner.
TAIL_CHARS = 3_000


def has_tests(workdir: Path) -> bool:
    """True when the tree holds a pytest file outside hidden/bookkeeping folders."""
    for path in workdir.rglob("*.py"):
        rel = path.relative_to(workdir).as_posix()
        if not rel.startswith(".") and _TEST_FILE.search(rel):
            return True
    return False


def _project_rel(path: str, root: str) -> str | None:
    if path.startswith(root + "/"):
        return path[len(root) + 1 :]
    if not path.startswith(("/", "<")):
        return path
    return None


def last_project_frame(text: str, workdir: Path) -> tuple[str | None, int | None]:
    """The deepest traceback frame inside the workdir: (relative file, line)."""
    root = str(workdir.resolve())
    found: tuple[str | None, int | None] = (None, None)
    for match in _FRAME.finditer(text):
        rel = _project_rel(match["file"], root)
        if rel is not None:
            found = (rel, int(match["line"]))
    return found


def traceback_sites(text: str, workdir: Path, limit: int = 5) -> list[GateFinding]:
    """One finding per distinct failure site: each traceback's deepest project frame, with
    the traceback cut down to project frames and the exception line."""
    root = str(workdir.resolve())
    sites: dict[tuple[str, int], GateFinding] = {}
    for chunk in text.split("Traceback (most recent call last):")[1:]:
        frames = [(m, _project_rel(m["file"], root)) for m in _FRAME.finditer(chunk)]
        mine = [(m, rel) for m, rel in frames if rel is not None]
        if not mine:
            continue
        lines = [f'  File "{rel}", line {m["line"]}' for m, rel in mine]
        error = _exception_line(chunk)
        key = (mine[-1][1], int(mine[-1][0]["line"]))
        if key not in sites and len(sites) < limit:
            sites[key] = GateFinding(
                "tests_failed",
                error or "a test fails",
                key[0],
                key[1],
                "\n".join(["Traceback (project frames):", *lines, error]),
            )
    return list(sites.values())


def _exception_line(chunk: str) -> str:
    for line in reversed(chunk.strip().splitlines()):
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b", line.strip()):
            return line.strip()
    return ""


def drift_findings(output: str, workdir: Path) -> list[GateFinding]:
    """For ``cannot import name X from 'pkg.mod'``: a finding on the module that lacks X.

    The traceback's last frame is the importer; the module that renamed or never defined
    the name is the other half of the drift, and its owner must hear about it too.
    """
    found = []
    for match in _IMPORT_DRIFT.finditer(output):
        base = match["module"].replace(".", "/")
        for rel in (f"{base}.py", f"{base}/__init__.py"):
            if (workdir / rel).is_file():
                found.append(
                    GateFinding(
                        "import_drift",
                        f"other modules import {match['name']!r} from "
                        f"{match['module']}, which does not define it",
                        rel,
                        None,
                        output[-TAIL_CHARS:],
                    )
                )
                break
    return found


def _crashed(output: str) -> bool:
    """An uncaught exception or an entry the interpreter could not even start."""
    return (
        "Traceback (most recent call last)" in output
        or "No module named" in output
        or "cannot be directly executed" in output
    )


def _missing_tool(output: str, tool: str) -> bool:
    return f"No module named {tool}" in output or "command not found" in output


class SmokeGate:
    """Runs the three oracles through ``verifier.sandbox``; see the module docstring."""

    name = "smoke"

    def __init__(
        self,
        workdir: Path,
        package: str | None,
        *,
        python: str = "python",
        timeout_s: float = 120.0,
    ) -> None:
        self.workdir = workdir
        self.package = package
        self.python = python
        self.timeout_s = timeout_s

    async def check(self) -> GateResult:
        """Run collect → tests → entry ``--help``; a collection error skips the test run."""
        result = GateResult(self.name, GateStatus.PASS)
        inconclusive = False
        if has_tests(self.workdir):
            collected = await self._pytest(result, "collect", "--collect-only -q")
            inconclusive |= collected is None
            if collected:
                # native tracebacks: `File "...", line N` frames the repair can be routed by
                inconclusive |= await self._pytest(result, "tests", "-q --tb=native") is None
        else:
            result.steps.append({"step": "tests", "status": "skipped", "reason": "no test files"})
        inconclusive |= await self._entry(result) is None
        if result.findings:
            result.status = GateStatus.FAIL
        elif inconclusive:
            result.status = GateStatus.INCONCLUSIVE
        return result

    async def _run(self, command: str) -> Any:
        from verifier import sandbox  # the one place untrusted code runs

        return await sandbox.run_async(command, workdir=self.workdir, timeout_s=self.timeout_s)

    def _step(self, result: GateResult, step: str, status: str, run: Any, **extra: Any) -> None:
        result.steps.append(
            {
                "step": step,
                "status": status,
                "exit_code": run.exit_code,
                "elapsed_ms": round(run.elapsed_ms, 1),
                **extra,
            }
        )

    async def _pytest(self, result: GateResult, step: str, args: str) -> bool | None:
        """True passed, False red (finding added), None inconclusive."""
        run = await self._run(f"{self.python} -m pytest {args} -p no:cacheprovider")
        output = f"{run.stdout}\n{run.stderr}"
        if run.timed_out or _missing_tool(output, "pytest"):
            why = "timeout" if run.timed_out else "pytest is not installed"
            self._step(result, step, "inconclusive", run, reason=why)
            return None
        if run.exit_code in (_PYTEST_OK, _PYTEST_NO_TESTS):
            self._step(result, step, "pass", run)
            return True
        sites = traceback_sites(output, self.workdir) if step == "tests" else []
        if sites:
            result.findings += sites
        else:
            file, line = last_project_frame(output, self.workdir)
            code = "collect_error" if step == "collect" else "tests_failed"
            message = (
                "the test suite does not import (cross-module drift?)"
                if step == "collect"
                else "the generated test suite fails"
            )
            result.findings.append(GateFinding(code, message, file, line, output[-TAIL_CHARS:]))
        result.findings += drift_findings(output, self.workdir)
        self._step(result, step, "fail", run)
        return False

    async def _entry(self, result: GateResult) -> bool | None:
        if self.package is None or not (self.workdir / self.package).is_dir():
            what = self.package or "(none named in the spec)"
            result.findings.append(
                GateFinding(
                    "no_entry_point",
                    f"no runnable entry package {what}: built but unwired",
                    f"{self.package}/__main__.py" if self.package else None,
                )
            )
            result.steps.append({"step": "entry", "status": "fail", "reason": "no package"})
            return False
        run = await self._run(f"{self.python} -m {self.package} --help")
        if run.timed_out:
            self._step(result, "entry", "inconclusive", run, reason="timeout")
            return None
        if run.exit_code == 0:
            self._step(result, "entry", "pass", run)
            return True
        output = f"{run.stdout}\n{run.stderr}"
        if not _crashed(output):
            # a clean refusal (a usage line, exit 2) is a wired entry point that has no
            # --help of its own, e.g. a stdin shell: it ran, so it is not a finding
            self._step(result, "entry", "pass", run, reason="ran; --help not supported")
            return True
        file, line = last_project_frame(output, self.workdir)
        if "__main__" in output and "cannot be directly executed" in output:
            code, file = "no_main", f"{self.package}/__main__.py"
        else:
            code = "entry_crash"
        result.findings.append(
            GateFinding(
                code,
                f"`python -m {self.package} --help` exited {run.exit_code}",
                file,
                line,
                output[-TAIL_CHARS:],
            )
        )
        result.findings += drift_findings(output, self.workdir)
        self._step(result, "entry", "fail", run)
        return False
