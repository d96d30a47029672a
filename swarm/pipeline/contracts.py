"""Interface contracts: freeze every module's signatures before anyone implements them.

One ``ModuleContract`` call per module, fanned across the fleet. The stubs (annotated
signatures, bodies ``...``), one ``# SCHEMA`` block (every table's exact columns and
types) and the entry point's CLI shape (subcommands and flags as verbatim strings,
nesting kept) are rendered into the ``FROZEN INTERFACES:`` section of every worker
prompt. A stub that does not parse is dropped and logged, never frozen.
"""

from __future__ import annotations

import ast
import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from brain import Message, Role, Transport
from swarm.knobs import register_knob
from swarm.pipeline._ask import ask_across
from swarm.pipeline._planner_prompts import CONTRACT_SYSTEM, CONTRACT_USER
from swarm.pipeline.examples import Example
from swarm.protocols import EventSink, Subtask

register_knob(
    "contracts.enabled",
    bool,
    True,
    "Freeze module signature stubs + schema + CLI shape into every worker prompt.",
    tunable=True,
)
register_knob(
    "contracts.freeze_cli",
    bool,
    True,
    "Freeze the entry point's CLI shape (subcommands and flags, verbatim).",
    tunable=True,
)

_ENTRY_NAMES = ("__main__.py", "cli.py", "main.py")


class ModuleContract(BaseModel):
    """The frozen interface of one module, as the model writes it."""

    model_config = ConfigDict(populate_by_name=True)

    path: str = Field(description="The module's relative path, exactly as given.")
    stub: str = Field(
        description="Python source: imports, classes, annotated signatures, bodies `...`."
    )
    schema_: str = Field(
        default="",
        alias="schema",
        description="Tables/records with exact columns and types, or empty.",
    )


@dataclass
class FrozenContracts:
    """The frozen interfaces of a run, ready to render into worker prompts."""

    stubs: dict[str, str] = field(default_factory=dict)
    schema: list[str] = field(default_factory=list)
    cli_shape: list[str] = field(default_factory=list)
    spec_commands: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)
    """The spec's examples (``swarm.pipeline.examples``), frozen before the build for the
    sink gate; not rendered (the spec itself is in every prompt), briefed to the sink."""

    def render(self) -> str:
        """The text after ``FROZEN INTERFACES:`` (empty when nothing was frozen)."""
        parts: list[str] = []
        if self.stubs:
            parts.append(
                "Every module's public interface is frozen: implement these bodies and "
                "keep every import path, name, signature and field exactly as written."
            )
            parts += [f"--- stub: {path} ---\n{stub.strip()}" for path, stub in self.stubs.items()]
        if self.schema:
            parts.append("# SCHEMA\n" + "\n".join(s.strip() for s in self.schema))
        if self.cli_shape or self.spec_commands:
            lines = ["# CLI SHAPE (subcommand and flag names are verbatim strings; keep nesting)"]
            lines += self.cli_shape
            lines += [f"example: {c}" for c in self.spec_commands]
            parts.append("\n".join(lines))
        return "\n\n".join(parts)


def contract_targets(tasks: Sequence[Subtask]) -> list[tuple[Subtask, str]]:
    """The modules worth freezing: owned ``.py`` files that are not tests or ``__init__``."""
    targets = []
    for task in tasks:
        for path in task.owned_files:
            name = path.rsplit("/", 1)[-1]
            if not name.endswith(".py") or name == "__init__.py" or name == "conftest.py":
                continue
            if name.startswith("test_") or name.endswith("_test.py") or "tests/" in path:
                continue
            targets.append((task, path))
    return targets


def spec_commands(spec: str) -> list[str]:
    """Command lines of the spec that run the app (``python -m pkg ...``), verbatim."""
    found = re.findall(r"(?:^|[`$>\s])(python3? -m [A-Za-z_][\w.]*[^\n`]*)", spec)
    return list(dict.fromkeys(c.strip() for c in found))


def cli_shape(stub: str) -> list[str]:
    """Subcommand paths with their flags from an argparse stub, e.g. ``report monthly --month``."""
    try:
        tree = ast.parse(stub)
    except SyntaxError:
        return []
    shape = _ArgparseShape()
    shape.visit(tree)
    return shape.lines()


class _ArgparseShape(ast.NodeVisitor):
    """Tracks parser variables through ``add_subparsers`` / ``add_parser`` / ``add_argument``."""

    def __init__(self) -> None:
        self.parsers: dict[str, tuple[str, ...]] = {}
        self.subparsers: dict[str, tuple[str, ...]] = {}
        self.commands: dict[tuple[str, ...], list[str]] = {}

    def visit_Assign(self, node: ast.Assign) -> None:  # noqa: N802 - ast visitor API
        target = node.targets[0]
        if isinstance(target, ast.Name) and isinstance(node.value, ast.Call):
            self._bind(target.id, node.value)
        self.generic_visit(node)

    def _bind(self, name: str, call: ast.Call) -> None:
        func = call.func
        named = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if named == "ArgumentParser":
            self.parsers[name] = ()
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = func.value.id
            if func.attr == "add_subparsers":
                self.subparsers[name] = self.parsers.get(owner, ())
            elif func.attr == "add_parser" and _first_str(call):
                path = self.subparsers.get(owner, ()) + (_first_str(call) or "",)
                self.parsers[name] = path
                self.commands.setdefault(path, [])

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802 - ast visitor API
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner, text = func.value.id, _first_str(node)
            if func.attr == "add_argument" and text:
                path = self.parsers.get(owner, ())
                self.commands.setdefault(path, []).append(text)
            elif func.attr == "add_parser" and text and owner in self.subparsers:
                self.commands.setdefault(self.subparsers[owner] + (text,), [])
        self.generic_visit(node)

    def lines(self) -> list[str]:
        return [
            " ".join(("(top level)",) if not path else path)
            + (" " + " ".join(args) if args else "")
            for path, args in self.commands.items()
        ]


def _first_str(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _entry_path(paths: Sequence[str]) -> str | None:
    for name in _ENTRY_NAMES:
        for path in paths:
            if path.rsplit("/", 1)[-1] == name:
                return path
    return None


class ContractWriter:
    """Asks one ``ModuleContract`` per module across the fleet and freezes what parses."""

    def __init__(
        self,
        transports: Sequence[Transport],
        events: EventSink,
        *,
        freeze_cli: bool = True,
        attempts: int = 3,
        briefing: str = "",
    ) -> None:
        """``briefing``: the scouts' findings block, added to every contract prompt."""
        self.transports = list(transports)
        self.events = events
        self.freeze_cli = freeze_cli
        self.attempts = attempts
        self.briefing = f"\n{briefing.strip()}\n" if briefing.strip() else ""

    async def freeze(self, spec: str, tasks: Sequence[Subtask]) -> FrozenContracts:
        """Freeze every target module; emits ``contract_frozen`` with what was dropped."""
        targets = contract_targets(tasks)
        others = ", ".join(path for _, path in targets)
        answers = await asyncio.gather(
            *(self._ask(spec, task, path, others, i) for i, (task, path) in enumerate(targets)),
            return_exceptions=True,
        )
        frozen = FrozenContracts()
        for (_, path), answer in zip(targets, answers, strict=True):
            if isinstance(answer, BaseException) and not isinstance(answer, Exception):
                raise answer
            self._accept(frozen, path, answer)
        self._freeze_cli(frozen, spec)
        self.events.emit(
            "contract_frozen",
            modules=sorted(frozen.stubs),
            dropped=frozen.dropped,
            schema=bool(frozen.schema),
            cli_shape=frozen.cli_shape,
            spec_commands=frozen.spec_commands,
        )
        return frozen

    async def _ask(
        self, spec: str, task: Subtask, path: str, others: str, index: int
    ) -> ModuleContract:
        user = (
            CONTRACT_USER.format(
                spec=spec.strip(),
                path=path,
                task_id=task.id,
                description=task.description,
                others=others,
            )
            + self.briefing
        )
        messages = [
            Message(role=Role.SYSTEM, content=CONTRACT_SYSTEM),
            Message(role=Role.USER, content=user),
        ]
        return await ask_across(
            self.transports, index, messages, ModuleContract, attempts=self.attempts
        )

    def _accept(
        self, frozen: FrozenContracts, path: str, answer: ModuleContract | Exception
    ) -> None:
        if isinstance(answer, Exception):
            frozen.dropped[path] = f"contract call failed: {answer}"[:300]
            return
        try:
            ast.parse(answer.stub, filename=path)
        except SyntaxError as exc:
            frozen.dropped[path] = f"stub does not parse: {exc.msg} (line {exc.lineno})"
            self.events.emit("contract_dropped", path=path, reason=frozen.dropped[path])
            return
        frozen.stubs[path] = answer.stub  # keyed by the asked path: the model may misname it
        schema = answer.schema_.strip()
        if schema and schema not in frozen.schema:
            frozen.schema.append(schema)

    def _freeze_cli(self, frozen: FrozenContracts, spec: str) -> None:
        if not self.freeze_cli:
            return
        frozen.spec_commands = spec_commands(spec)
        entry = _entry_path(list(frozen.stubs))
        if entry:
            frozen.cli_shape = cli_shape(frozen.stubs[entry])
