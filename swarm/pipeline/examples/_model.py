"""What an extracted example is, and what running one gave.

An :class:`Example` is frozen with the run's contracts and written to the event log, so it
is a pydantic model (a boundary); the model call that reads what the parsers could not
answers with :class:`SpecExamples`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field


class Example(BaseModel):
    """One command of the spec with the output the spec says it prints."""

    command: str = Field(description="Shell command (sh -c) run from the tree's root.")
    expected: str = Field(
        description="What the spec says the command prints (stdout, then stderr)."
    )
    files: dict[str, str] = Field(
        default_factory=dict,
        description="Input files the spec defines first (relative path -> content).",
    )
    setup: list[str] = Field(
        default_factory=list,
        description="Commands run first in the same copy, output unchecked (a transcript's "
        "earlier lines, or the state a prose example assumes).",
    )
    stdin: str | None = Field(default=None, description="Text fed to stdin; None feeds nothing.")
    notation: str = Field(
        default="model", description="Which notation parser read it ('model' for the model call)."
    )
    line: int | None = Field(default=None, description="1-based line of the spec it came from.")


class SpecExamples(BaseModel):
    """The model's answer: the examples it could read in the fragments it was shown."""

    examples: list[Example] = Field(
        default_factory=list,
        description="Only commands with a literal expected output written in the spec; "
        "leave out anything whose output the spec does not state exactly.",
    )


@dataclass(frozen=True)
class Fragment:
    """A piece of the spec that looks like an example but no parser could read."""

    line: int
    text: str


@dataclass
class Extraction:
    """The spec's examples and the fragments left unread."""

    examples: list[Example]
    unread: list[Fragment]


class Verdict(StrEnum):
    """One example's outcome; a timeout says nothing about the app, so it is inconclusive."""

    MATCHED = "matched"
    MISMATCH = "mismatch"
    INCONCLUSIVE = "inconclusive"


@dataclass
class ExampleResult:
    """One example run in the sandbox and compared in code."""

    example: Example
    got: str
    verdict: Verdict
    exit_code: int | None = None
    reason: str = ""

    @property
    def matched(self) -> bool:
        """The output equals the expected text (trailing whitespace aside)."""
        return self.verdict is Verdict.MATCHED

    def as_dict(self) -> dict[str, object]:
        """The report's and the CLI's JSON form."""
        return {
            "command": self.example.command,
            "expected": self.example.expected,
            "got": self.got,
            "matched": self.matched,
            "verdict": self.verdict.value,
            "exit_code": self.exit_code,
            "notation": self.example.notation,
            "line": self.example.line,
            "reason": self.reason,
        }
