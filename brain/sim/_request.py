"""Reading a chat request the way a model would: its role and the plain-text markers in it.

The markers are part of the prompts real models see too (``PROJECT SPEC:``,
``OWNED FILES:``, ``FROZEN INTERFACES:``, ``SUPERVISOR NOTE``, ``REVIEW FINDINGS:``,
``REQUIREMENTS:``, ``=== FILE: path ===``, ``PERSONA:``, ``NEXT STAGES:``,
``LAST VERDICT:``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from brain._types import ChatRequest, Role

#: Tools a worker is offered; a request offering write_file is a worker turn.
WORKER_TOOLS = frozenset({"write_file", "read_file", "list_files", "run_command", "done"})

#: ``=== FILE: path ===`` optionally followed by a note such as ``(summarised: signatures only)``.
_FILE_BLOCK = re.compile(r"^=== FILE: (?P<path>\S+) ===[^\n]*$", re.MULTILINE)
#: The evidence line of a turn when no ``LAST VERDICT:`` marker is given.
_VERDICT_LINE = re.compile(r"verdict[^:\n]*:\s*(pass|partial|fail)\b", re.IGNORECASE)
_STAGE_LINE = re.compile(r"^\s*(?P<n>\d+)\.\s*(?P<move>[a-z-]+)\s*:\s*(?P<text>.*)$")
#: A section ends at two blank lines, the next ``MARKER:`` line or a file block.
_SECTION_END = re.compile(r"\n\s*\n\s*\n|\n(?=[A-Z][A-Z ]{3,}:|=== FILE: )")
_STUB_WORDS = re.compile(r"stub|NotImplementedError|not implemented", re.IGNORECASE)


class Kind(StrEnum):
    """What the request asks the simulator to be."""

    STRUCTURED = "structured"
    WORKER = "worker"
    CHAT = "chat"


def clean_path(path: str) -> str:
    """A relative POSIX path as a worker would name it (no ``./``, no quotes)."""
    path = path.strip().strip("`'\"").replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


@dataclass(frozen=True)
class RequestView:
    """The parts of a :class:`ChatRequest` the policy reasons about."""

    request: ChatRequest

    @functools.cached_property
    def prompt(self) -> str:
        """System and user text: what the caller told the model (never tool output)."""
        parts = [m.content for m in self.request.messages if m.role in (Role.SYSTEM, Role.USER)]
        return "\n".join(parts)

    @property
    def tool_names(self) -> set[str]:
        """Names of the tools offered."""
        return {t.name for t in self.request.tools}

    @property
    def schema_name(self) -> str | None:
        """The structured answer wanted: a response schema, or one forced non-worker tool."""
        if self.request.response_schema_name:
            return self.request.response_schema_name
        others = [t for t in self.request.tools if t.name not in WORKER_TOOLS]
        return others[0].name if len(self.request.tools) == 1 and others else None

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema of the wanted structured answer (empty when none was given)."""
        if self.request.response_schema is not None:
            return self.request.response_schema
        named = [t for t in self.request.tools if t.name == self.schema_name]
        return named[0].parameters if named else {}

    @property
    def via_tool(self) -> bool:
        """The structured answer is expected as a forced tool call (Claude style)."""
        return self.request.response_schema_name is None and self.schema_name is not None

    @property
    def role(self) -> Kind:
        """Structured answer, worker turn, or plain chat."""
        if self.schema_name:
            return Kind.STRUCTURED
        if "write_file" in self.tool_names:
            return Kind.WORKER
        return Kind.CHAT

    def section(self, marker: str) -> str:
        """The text after the last line starting with ``marker`` up to the next blank line pair."""
        index = self.prompt.rfind(marker)
        if index < 0:
            return ""
        rest = self.prompt[index + len(marker) :]
        return _SECTION_END.split(rest, maxsplit=1)[0]

    def line_after(self, marker: str) -> str:
        """The rest of the last line that starts with ``marker``."""
        found = re.findall(rf"^\s*{re.escape(marker)}[ \t]*(.*)$", self.prompt, re.MULTILINE)
        return found[-1].strip() if found else ""

    @property
    def owned_files(self) -> list[str]:
        """Paths after ``OWNED FILES:``, in order."""
        line = self.line_after("OWNED FILES:")
        return [clean_path(p) for p in re.split(r"[,\s]+", line) if clean_path(p)]

    @property
    def frozen(self) -> bool:
        """Frozen interface contracts were given."""
        return "FROZEN INTERFACES:" in self.prompt

    @property
    def supervisor_note(self) -> str:
        """The supervisor's retry note ('' on a first attempt)."""
        index = self.prompt.find("SUPERVISOR NOTE")
        return self.prompt[index : index + 2000] if index >= 0 else ""

    @property
    def review_findings(self) -> str:
        """The gate's findings for a repair ('' when none)."""
        index = self.prompt.find("REVIEW FINDINGS:")
        return self.prompt[index : index + 4000] if index >= 0 else ""

    @property
    def first_attempt(self) -> bool:
        """Neither a supervisor's retry note nor review findings: the task's first try."""
        return not self.supervisor_note and not self.review_findings

    @property
    def told_about_stubs(self) -> bool:
        """Review findings, or a supervisor note that mentions stubs."""
        return bool(self.review_findings) or bool(_STUB_WORDS.search(self.supervisor_note))

    @property
    def written(self) -> list[str]:
        """Paths this conversation already wrote through write_file, in order."""
        paths: list[str] = []
        for message in self.request.messages:
            for call in message.tool_calls:
                path = clean_path(str(call.arguments.get("path", "")))
                if call.name == "write_file" and path and path not in paths:
                    paths.append(path)
        return paths

    @property
    def conversation_key(self) -> tuple[str, ...]:
        """The conversation's opening (system + first user message): stable across its turns."""
        system = [m.content for m in self.request.messages if m.role == Role.SYSTEM][:1]
        first = [m.content for m in self.request.messages if m.role == Role.USER][:1]
        return tuple(system + first)

    def file_blocks(self) -> dict[str, str]:
        """Code blocks ``=== FILE: path ===`` → their text."""
        text = self.prompt
        marks = list(_FILE_BLOCK.finditer(text))
        blocks: dict[str, str] = {}
        for mark, nxt in zip(marks, marks[1:] + [None], strict=False):
            end = nxt.start() if nxt else len(text)
            blocks[clean_path(mark["path"])] = _trim_block(text[mark.end() + 1 : end])
        return blocks

    def numbered(self, marker: str) -> list[str]:
        """Numbered lines (``1. text``) following ``marker``."""
        lines = self.section(marker).splitlines()
        items = [re.match(r"^\s*\d+[.)]\s*(.+)$", ln) for ln in lines]
        return [m[1].strip() for m in items if m]

    @property
    def next_stages(self) -> list[tuple[int, str, str]]:
        """Follow-ups still available: (n, move, text) after ``NEXT STAGES:``."""
        found = [_STAGE_LINE.match(ln) for ln in self.section("NEXT STAGES:").splitlines()]
        return [(int(m["n"]), m["move"], m["text"].strip()) for m in found if m]

    @property
    def last_verdict(self) -> str:
        """``pass``, ``partial``, ``fail`` or '' (an opening turn).

        From the ``LAST VERDICT:`` line, else from an evidence line like ``Verdict ...: pass``.
        """
        word = self.line_after("LAST VERDICT:").split()
        if word:
            return word[0].lower().strip(".,")
        found = _VERDICT_LINE.findall(self.prompt)
        return found[-1].lower() if found else ""

    @property
    def persona(self) -> str:
        """The persona named after ``PERSONA:``."""
        words = self.line_after("PERSONA:").split()
        return words[0].strip(".,:;").lower() if words else ""


def _trim_block(text: str) -> str:
    """A file block ends at the next marker section (e.g. a closing instruction)."""
    return re.split(r"\n(?=[A-Z][A-Z ]{3,}:\s*$)", text, maxsplit=1, flags=re.MULTILINE)[0]
