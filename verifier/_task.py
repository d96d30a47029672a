"""The task file (contract 1): a pydantic model loaded from ``task.toml``.

Layout of a task directory::

    task.toml                 this model
    reference/                a correct solution at stage 1
    stages/<N>/reference/     a correct solution at stage N (N >= 2), a full tree
    seed/                     the starting codebase (continue-existing)
    hidden_tests/             pytest files copied in from pristine at grading, never shown
    controls/broken_<what>/   full trees that must grade red on the dimension ``controls`` names

Checks for stage N are the top-level checks plus those added by stages 2..N,
minus the names a stage retires.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator


class TaskError(Exception):
    """A task file that cannot be loaded; ``str(err)`` names the file and the field."""


class Archetype(StrEnum):
    """How much the swarm is told."""

    HEAVY_SPEC = "heavy-spec"
    MINIMAL_SPEC = "minimal-spec"
    CONTINUE_EXISTING = "continue-existing"


class Move(StrEnum):
    """A user's follow-up move between turns."""

    FEATURE = "feature"
    FIX = "fix"
    TESTS = "tests"
    REFACTOR = "refactor"
    MCP_FEATURE = "mcp-feature"
    CHANGE_DIRECTION = "change-direction"
    DONE = "done"


class CheckKind(StrEnum):
    """Deterministic check kinds; each has an evaluator registered in the verifier."""

    COMMAND = "command"
    FILE_EXISTS = "file_exists"
    FILE_CONTAINS = "file_contains"
    FILE_MATCHES = "file_matches"
    TOOL_CALLED = "tool_called"


class ExpectStdout(BaseModel):
    """Golden stdout; exactly one field is set. ``json`` compares parsed JSON for equality."""

    model_config = {"extra": "forbid"}

    equals: str | None = None
    contains: str | list[str] | None = None
    regex: str | None = None
    json_: Any = Field(default=None, alias="json")

    @model_validator(mode="after")
    def _exactly_one(self) -> ExpectStdout:
        set_fields = [
            n for n in ("equals", "contains", "regex", "json_") if getattr(self, n) is not None
        ]
        if len(set_fields) != 1:
            raise ValueError("expect_stdout needs exactly one of equals, contains, regex, json")
        return self


class Check(BaseModel):
    """One deterministic check run against the produced app (golden values, files, tools)."""

    model_config = {"extra": "forbid"}

    name: str = Field(description="Unique within the task; stages retire checks by name.")
    kind: CheckKind
    hidden: bool = Field(default=False, description="Never shown to the swarm.")
    # command
    cmd: str | None = Field(default=None, description="Shell command run in the sandbox (sh -c).")
    stdin: str | None = None
    env: dict[str, str] = Field(default_factory=dict)
    timeout_s: float = 20.0
    expect_exit: int | None = 0
    expect_stdout: ExpectStdout | None = None
    expect_stderr_contains: str | None = None
    # file_*
    path: str | None = None
    text: str | None = Field(default=None, description="file_contains: required substring.")
    regex: str | None = Field(default=None, description="file_matches: required regex.")
    # tool_called
    tool: str | None = Field(default=None, description="tool_called: tool name seen in events.")

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Check:
        needed = {
            CheckKind.COMMAND: ["cmd"],
            CheckKind.FILE_EXISTS: ["path"],
            CheckKind.FILE_CONTAINS: ["path", "text"],
            CheckKind.FILE_MATCHES: ["path", "regex"],
            CheckKind.TOOL_CALLED: ["tool"],
        }[self.kind]
        missing = [f for f in needed if getattr(self, f) is None]
        if missing:
            raise ValueError(f"check {self.name!r} of kind {self.kind} needs {', '.join(missing)}")
        return self


class Stage(BaseModel):
    """A follow-up amendment (turn 2..6) with the checks it adds."""

    model_config = {"extra": "forbid"}

    n: int = Field(ge=2, le=6, description="Stage number; stage 1 is the opening spec.")
    move: Move
    text: str = Field(min_length=1, description="What the user asks for at this stage.")
    checks: list[Check] = Field(default_factory=list)
    retire: list[str] = Field(default_factory=list, description="Check names no longer valid.")
    hidden: list[str] = Field(default_factory=list, description="Hidden requirements added.")


class Control(BaseModel):
    """A deliberately broken tree and the dimension it must fail."""

    model_config = {"extra": "forbid"}

    dimension: Literal["swarm", "checks", "diagnostics", "cluster"]
    stage: int = 1
    why: str = ""


class Task(BaseModel):
    """A benchmark task (contract 1)."""

    model_config = {"extra": "forbid"}

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    archetype: Archetype
    difficulty: int = Field(ge=1, le=5, description="Rung: 1 = 2-module CLI, 5 = ~1500 lines.")
    spec: str = Field(min_length=1, description="Visible text given to the swarm.")
    hidden: list[str] = Field(default_factory=list, description="Hidden requirements.")
    entry: str = Field(description="How the app is run, e.g. 'python -m inventory'.")
    budget_s: float = Field(default=300.0, description="Wall-time budget for the cluster grade.")
    protected: list[str] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    controls: dict[str, Control] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)

    root: Path | None = Field(default=None, exclude=True, description="Directory it was read from.")

    @model_validator(mode="after")
    def _consistent(self) -> Task:
        names = [c.name for c in self.checks] + [c.name for s in self.stages for c in s.checks]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate check names: {', '.join(dupes)}")
        numbers = [s.n for s in self.stages]
        if numbers != list(range(2, 2 + len(numbers))):
            raise ValueError(f"stages must be numbered 2, 3, ... in order; got {numbers}")
        bad = [k for k in self.controls if not k.startswith("broken_")]
        if bad:
            raise ValueError(f"control names must start with broken_: {', '.join(bad)}")
        return self

    @property
    def package(self) -> str:
        """The entry package: ``python -m inventory`` → ``inventory``."""
        parts = self.entry.split()
        return parts[parts.index("-m") + 1] if "-m" in parts else parts[-1]

    @property
    def max_stage(self) -> int:
        """The last stage number."""
        return 1 + len(self.stages)

    def stage(self, n: int) -> Stage | None:
        """The follow-up stage ``n`` (None for stage 1)."""
        return next((s for s in self.stages if s.n == n), None)

    def checks_for_stage(self, n: int) -> list[Check]:
        """Checks in force at stage ``n``."""
        if not 1 <= n <= self.max_stage:
            raise TaskError(f"task {self.id} has no stage {n} (stages 1..{self.max_stage})")
        checks = list(self.checks)
        for stage in self.stages:
            if stage.n > n:
                break
            checks = [c for c in checks if c.name not in stage.retire] + list(stage.checks)
        return checks

    def hidden_for_stage(self, n: int) -> list[str]:
        """Hidden requirements in force at stage ``n``."""
        return self.hidden + [h for s in self.stages if s.n <= n for h in s.hidden]

    def spec_for_stage(self, n: int) -> str:
        """The visible text the swarm works from at stage ``n``: spec plus amendments."""
        parts = [self.spec] + [s.text for s in self.stages if s.n <= n]
        return "\n\n".join(parts)

    def _dir(self, rel: str) -> Path | None:
        if self.root is None:
            return None
        path = self.root / rel
        return path if path.is_dir() else None

    def reference_dir(self, n: int = 1) -> Path | None:
        """The reference tree for stage ``n`` (the latest stage <= n that has one)."""
        for k in range(n, 1, -1):
            found = self._dir(f"stages/{k}/reference")
            if found:
                return found
        return self._dir("reference")

    @property
    def seed_dir(self) -> Path | None:
        """The starting codebase of a continue-existing task."""
        return self._dir("seed")

    @property
    def hidden_tests_dir(self) -> Path | None:
        """Hidden pytest files copied in at grading."""
        return self._dir("hidden_tests")

    def control_dir(self, name: str) -> Path | None:
        """The tree of control ``name``."""
        return self._dir(f"controls/{name}")


def _field_path(err: dict[str, Any]) -> str:
    return ".".join(str(p) for p in err.get("loc", ())) or "(top level)"


def load_task(path: Path | str) -> Task:
    """Load and validate ``task.toml`` (or a directory holding one); TaskError on any problem."""
    path = Path(path)
    toml_path = path / "task.toml" if path.is_dir() else path
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaskError(f"{toml_path}: no such task file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaskError(f"{toml_path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TaskError(f"{toml_path}: not valid TOML: {exc}") from None
    try:
        task = Task.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise TaskError(f"{toml_path}: field {_field_path(first)}: {first['msg']}{more}") from None
    task.root = toml_path.parent
    return task
