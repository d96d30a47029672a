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
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator


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
    FORBIDS = "forbids"


class ExpectStdout(BaseModel):
    """Golden stdout; exactly one field is set. ``json`` compares parsed JSON for equality."""

    model_config = {"extra": "forbid"}

    equals: str | None = Field(
        default=None, description="Whole stdout; a missing final newline is not a mismatch."
    )
    contains: str | list[str] | None = Field(
        default=None, description="Substring(s) stdout must contain, in any order."
    )
    regex: str | None = Field(
        default=None, description="Python regex searched in stdout with re.MULTILINE."
    )
    json_: Any = Field(
        default=None, alias="json", description="Value stdout must parse to (JSON equality)."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> ExpectStdout:
        set_fields = [
            n for n in ("equals", "contains", "regex", "json_") if getattr(self, n) is not None
        ]
        if len(set_fields) != 1:
            raise ValueError("expect_stdout needs exactly one of equals, contains, regex, json")
        return self


# Fields every kind has; the others are the kind's own and named when missing.
_COMMON_FIELDS = frozenset({"name", "kind", "hidden"})


class _CheckBase(BaseModel):
    """What every check kind has: a name, and whether the swarm may see it."""

    model_config = {"extra": "forbid"}

    name: str = Field(description="Unique within the task; stages retire checks by name.")
    hidden: bool = Field(default=False, description="Never shown to the swarm.")

    @model_validator(mode="before")
    @classmethod
    def _names_the_check(cls, data: Any) -> Any:
        """A kind's missing field is reported with the check's name, not only its index."""
        if not isinstance(data, dict):
            return data
        # A null of another kind's field says nothing (models often send every key of the
        # union with null): drop it; a real value there is still refused as extra.
        data = {k: v for k, v in data.items() if v is not None or k in cls.model_fields}
        if "name" not in data:
            return data
        fields = cls.model_fields.items()
        missing = [
            n for n, f in fields if n not in _COMMON_FIELDS and f.is_required() and n not in data
        ]
        if missing:
            kind = data.get("kind")
            raise ValueError(f"check {data['name']!r} of kind {kind} needs {', '.join(missing)}")
        return data


class CommandCheck(_CheckBase):
    """Run a shell command on the produced app and compare exit code and output to goldens."""

    kind: Literal[CheckKind.COMMAND]
    cmd: str = Field(description="Shell command (sh -c), run in a fresh copy of the tree.")
    stdin: str | None = Field(default=None, description="Text fed to stdin; None feeds nothing.")
    env: dict[str, str] = Field(
        default_factory=dict, description="Added to the sandbox's scrubbed environment."
    )
    timeout_s: float = Field(
        default=20.0, description="Wall-clock limit in seconds; a timeout is inconclusive."
    )
    expect_exit: int | None = Field(default=0, description="Required exit status; None: any.")
    expect_stdout: ExpectStdout | None = Field(
        default=None, description="Golden stdout; None leaves stdout unchecked."
    )
    expect_stderr_contains: str | None = Field(
        default=None, description="Substring stderr must contain; None leaves stderr unchecked."
    )


class _FileCheck(_CheckBase):
    """A check on one file of the graded tree."""

    path: str = Field(description="Relative to the tree's root; a path escaping it fails.")


class FileExistsCheck(_FileCheck):
    """The file (or directory) at ``path`` exists."""

    kind: Literal[CheckKind.FILE_EXISTS]


class FileContainsCheck(_FileCheck):
    """The file at ``path`` contains ``text``."""

    kind: Literal[CheckKind.FILE_CONTAINS]
    text: str = Field(description="Required substring, case-sensitive.")


class FileMatchesCheck(_FileCheck):
    """The file at ``path`` matches ``regex``."""

    kind: Literal[CheckKind.FILE_MATCHES]
    regex: str = Field(description="Python regex searched in the file with re.MULTILINE.")


class ToolCalledCheck(_CheckBase):
    """The swarm's event log shows a call of ``tool``."""

    kind: Literal[CheckKind.TOOL_CALLED]
    tool: str = Field(description="Tool name a tool_call event must carry (tool or name).")


class ForbidsCheck(_CheckBase):
    """A negative requirement: the produced Python neither uses nor imports these names.

    An AST scan (``verifier/_forbids.py``); each finding names ``file:line``.
    """

    kind: Literal[CheckKind.FORBIDS]
    calls: list[str] = Field(
        default_factory=list,
        description="Builtins that must not be called or referenced, e.g. eval, exec, "
        "compile, __import__ (a module's own function of that name is not the builtin).",
    )
    imports: list[str] = Field(
        default_factory=list,
        description="Modules that must not be imported, submodules included, e.g. subprocess.",
    )
    path: str = Field(
        default="**/*.py",
        description="Glob from the tree's root of the files scanned (`**/` spans folders); "
        "symlinks are never followed.",
    )

    @model_validator(mode="after")
    def _forbids_something(self) -> ForbidsCheck:
        if not self.calls and not self.imports:
            raise ValueError(f"check {self.name!r} of kind forbids needs calls or imports")
        return self


Check = Annotated[
    CommandCheck
    | FileExistsCheck
    | FileContainsCheck
    | FileMatchesCheck
    | ToolCalledCheck
    | ForbidsCheck,
    Field(discriminator="kind"),
]
"""One deterministic check run against the produced app: a model per :class:`CheckKind`."""


class Stage(BaseModel):
    """A follow-up amendment (turn 2..6) with the checks it adds."""

    model_config = {"extra": "forbid"}

    n: int = Field(ge=2, le=6, description="Stage number; stage 1 is the opening spec.")
    move: Move = Field(description="The kind of follow-up the user makes.")
    text: str = Field(min_length=1, description="What the user asks for at this stage.")
    checks: list[Check] = Field(
        default_factory=list, description="Checks added; in force from this stage on."
    )
    retire: list[str] = Field(default_factory=list, description="Check names no longer valid.")
    hidden: list[str] = Field(default_factory=list, description="Hidden requirements added.")


class Control(BaseModel):
    """A deliberately broken tree and the dimension it must fail."""

    model_config = {"extra": "forbid"}

    dimension: Literal["swarm", "checks", "diagnostics", "cluster"] = Field(
        description="Deterministic dimension the tree must grade red (fail or partial) on."
    )
    stage: int = Field(default=1, description="Stage whose checks the tree is graded at.")
    why: str = Field(default="", description="What is broken, for the self-test report.")


class Task(BaseModel):
    """A benchmark task (contract 1)."""

    model_config = {"extra": "forbid"}

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$", description="Lowercase-with-dashes; the directory name."
    )
    title: str
    archetype: Archetype
    difficulty: int = Field(ge=1, le=5, description="Rung: 1 = 2-module CLI, 5 = ~1500 lines.")
    spec: str = Field(min_length=1, description="Visible text given to the swarm.")
    hidden: list[str] = Field(
        default_factory=list,
        description="Requirements never shown to the swarm; the judge reads them.",
    )
    entry: str = Field(description="How the app is run, e.g. 'python -m inventory'.")
    budget_s: float = Field(
        default=300.0, description="Wall-time budget in seconds for the cluster grade."
    )
    protected: list[str] = Field(
        default_factory=list,
        description="Glob patterns (from the tree root) the swarm must not change; restored "
        "from pristine at grading, a changed seeded file is tampering.",
    )
    checks: list[Check] = Field(default_factory=list, description="Checks in force at stage 1.")
    stages: list[Stage] = Field(default_factory=list, description="Follow-ups 2, 3, ... in order.")
    controls: dict[str, Control] = Field(
        default_factory=dict, description="Broken trees by name (broken_<what>) under controls/."
    )
    tags: list[str] = Field(default_factory=list, description="Free-form labels; never graded.")

    root: Path | None = Field(default=None, exclude=True, description="Directory it was read from.")

    @field_validator("entry")
    @classmethod
    def _runnable_entry(cls, value: str) -> str:
        # ``package`` reads the word after -m (or the last word): there has to be one.
        parts = value.split()
        if not parts or parts[-1] == "-m":
            raise ValueError(f"entry {value!r} does not say how the app is run (python -m PACKAGE)")
        return value

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


_KINDS = frozenset(k.value for k in CheckKind)
# A check without a valid kind fails the union's tag lookup; say it as a plain enum field would.
_KIND_ERRORS = {
    "union_tag_not_found": "Field required",
    "union_tag_invalid": "Input should be one of " + ", ".join(k.value for k in CheckKind),
}


def _field_path(loc: tuple[int | str, ...]) -> str:
    """The dotted path as the file spells it: a check's kind tag (checks.0.command) is no key."""
    kept = [p for i, p in enumerate(loc) if not (i and isinstance(loc[i - 1], int) and p in _KINDS)]
    return ".".join(str(p) for p in kept) or "(top level)"


def _one_line(exc: ValidationError) -> str:
    """The first error as ``field PATH: MESSAGE``, and how many more there are."""
    err = exc.errors()[0]
    path, msg = _field_path(err["loc"]), err["msg"]
    if err["type"] in _KIND_ERRORS:
        path, msg = f"{path}.kind", _KIND_ERRORS[err["type"]]
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"field {path}: {msg}{more}"


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
        raise TaskError(f"{toml_path}: {_one_line(exc)}") from None
    task.root = toml_path.parent
    return task
