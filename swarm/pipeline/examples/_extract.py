"""Extraction: the notation parsers first, then one bounded model call for what they left.

The model may only pair commands with outputs the spec writes literally: an example whose
expected lines are not all in the spec is dropped (a model that invents a golden value
would otherwise fail a correct app). Its file paths must stay inside the tree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from brain import BrainError, Message, Role, Transport
from swarm.knobs import register_knob
from swarm.pipeline._ask import ask_across
from swarm.pipeline.examples._compare import normalise
from swarm.pipeline.examples._document import SpecDoc, Unit, split_spec
from swarm.pipeline.examples._model import Example, Extraction, Fragment, SpecExamples
from swarm.pipeline.examples._notations import notation_parsers
from swarm.pipeline.examples._phrases import phrases
from swarm.protocols import EventSink

register_knob(
    "examples.model",
    bool,
    True,
    "Ask the model once for the spec examples no notation parser could read.",
    tunable=True,
)
register_knob(
    "examples.model_timeout_s",
    float,
    120.0,
    "Wall limit of the one examples model call (seconds); past it, parsed examples stand.",
    bounds=(1.0, 3600.0),
)

#: The model call sees at most this much: the spec (truncated) and the unread fragments.
SPEC_CHARS = 12_000
FRAGMENT_CHARS = 6_000
MAX_FRAGMENTS = 12
#: More examples than this from one model answer is noise, not a spec's examples.
MAX_MODEL_EXAMPLES = 20

SYSTEM = (
    "You read a software spec and list its runnable examples: a shell command and the exact "
    "output the spec says it prints. Only use outputs written literally in the spec; never "
    "invent or compute one. Input files the spec shows go in `files`; commands that must "
    "run first (state the prose sets up) go in `setup`. Leave out anything unclear."
)


def _looks_like_example(unit: Unit) -> bool:
    text = unit.text.lower()
    return bool(phrases(unit)) or "example" in text or (unit.block is not None and "print" in text)


def _fragment(unit: Unit) -> Fragment:
    text = unit.text if unit.block is None else f"{unit.text}\n{unit.block.text}"
    return Fragment(unit.line, text)


def read_examples(spec: str) -> Extraction:
    """Every example the registered notation parsers read, and the units none could."""
    doc = split_spec(spec)
    read: set[int] = set(doc.file_units)
    examples: dict[tuple[str, tuple[str, ...], str], Example] = {}
    for parser in notation_parsers().values():
        for index, example in parser.parse(doc):
            read.add(index)
            key = (example.command, tuple(example.setup), normalise(example.expected))
            examples.setdefault(key, example)
    return Extraction(sorted(examples.values(), key=lambda e: e.line or 0), _unread(doc, read))


def _unread(doc: SpecDoc, read: set[int]) -> list[Fragment]:
    return [
        _fragment(u) for i, u in enumerate(doc.units) if i not in read and _looks_like_example(u)
    ]


def _literal_in_spec(example: Example, spec: str) -> bool:
    """Every non-blank expected line is written in the spec (whitespace aside)."""
    flat = " ".join(spec.split())
    lines = [" ".join(ln.split()) for ln in example.expected.splitlines() if ln.strip()]
    return bool(lines) and all(ln in flat for ln in lines)


def _safe_paths(example: Example) -> bool:
    for name in example.files:
        path = PurePosixPath(name)
        if not name or path.is_absolute() or ".." in path.parts or name.startswith(".swarm"):
            return False
    return True


def admissible(example: Example, spec: str) -> bool:
    """A model's example is kept only when it is runnable, safe and golden from the spec."""
    return (
        bool(example.command.strip()) and _safe_paths(example) and _literal_in_spec(example, spec)
    )


def _prompt(spec: str, unread: Sequence[Fragment]) -> list[Message]:
    shown, fragments = spec[:SPEC_CHARS], []
    for fragment in unread[:MAX_FRAGMENTS]:
        fragments.append(f"(line {fragment.line})\n{fragment.text}")
    body = "\n\n".join(fragments)[:FRAGMENT_CHARS]
    user = f"PROJECT SPEC:\n{shown}\n\nUNREAD EXAMPLES:\n{body}\n\nList the examples these show."
    return [Message(role=Role.SYSTEM, content=SYSTEM), Message(role=Role.USER, content=user)]


async def ask_model(
    spec: str,
    unread: Sequence[Fragment],
    transports: Sequence[Transport],
    *,
    attempts: int = 3,
    timeout_s: float = 120.0,
) -> tuple[list[Example], str | None]:
    """One structured call for the unread fragments: (admitted examples, error or None)."""
    try:
        async with asyncio.timeout(timeout_s):
            answer = await ask_across(
                transports, 0, _prompt(spec, unread), SpecExamples, attempts=attempts
            )
    except (BrainError, TimeoutError) as exc:
        return [], f"{type(exc).__name__}: {exc}"[:300]
    kept = []
    for example in answer.examples[:MAX_MODEL_EXAMPLES]:
        if admissible(example, spec):
            kept.append(example.model_copy(update={"notation": "model"}))
    return kept, None


async def extract_examples(
    spec: str,
    transports: Sequence[Transport],
    events: EventSink,
    *,
    use_model: bool = True,
    attempts: int = 3,
    timeout_s: float = 120.0,
) -> list[Example]:
    """Parse, ask the model once when something is unread, emit ``examples_extracted``."""
    found = read_examples(spec)
    extra: list[Example] = []
    model: dict[str, Any] = {"asked": False}
    if found.unread and use_model and transports:
        extra, error = await ask_model(
            spec, found.unread, transports, attempts=attempts, timeout_s=timeout_s
        )
        model = {"asked": True, "admitted": len(extra), "error": error}
    known = {(e.command, normalise(e.expected)) for e in found.examples}
    examples = found.examples + [
        e for e in extra if (e.command, normalise(e.expected)) not in known
    ]
    events.emit(
        "examples_extracted",
        count=len(examples),
        examples=[e.model_dump() for e in examples],
        unread=[{"line": f.line, "text": f.text[:300]} for f in found.unread],
        model=model,
    )
    return examples
