"""The clarify handshake: ask the user when plan confidence is low, wait for answers a while.

Files (contract 2), under ``WORKDIR/.swarm/``:

- ``clarify-questions.json`` — written by the swarm: ``{"questions": [...],
  "plan_confidence": x, "answers_file": "clarify-answers.json", "timeout_s": t}``;
- ``clarify-answers.json`` — written by the user or the gym: a JSON array of strings,
  passed verbatim to every worker.

The floor (``ask_floor``): ``planner.confidence_floor``, raised for weak planners when
``ask.strength_scaling`` is on — up to :data:`WEAK_FLOOR` for a planner with ~1B active
parameters or fewer, not at all from ~30B active up, log-scaled between; a model name
without a size keeps the base floor. Below the floor one draft is not enough to judge
(it gives no agreement signal): ``needs_more_drafts`` says when to re-plan best-of-N.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from swarm.knobs import Knobs
from swarm.pipeline._ask import PlannerStrength, weakest
from swarm.protocols import EventSink

QUESTIONS_FILE = "clarify-questions.json"
ANSWERS_FILE = "clarify-answers.json"

#: Asked when the planner gave no questions of its own: the usual sources of rework.
DEFAULT_QUESTIONS = (
    "Which parts of the spec are most important to get exactly right?",
    "Are there any behaviours or command-line details the spec leaves open that you care about?",
    "How should the program store its data and name its files?",
)


#: The floor asked for the weakest planners (a weakness of 1); the base floor is the least.
WEAK_FLOOR = 0.6
#: Drafts asked for when low confidence forces best-of-N (the fewest that can disagree
#: two ways); a larger ``planner.drafts`` is kept.
FORCED_DRAFTS = 3


@dataclass(frozen=True)
class AskFloor:
    """The confidence floor of this run and what it was derived from."""

    floor: float
    base: float
    """``planner.confidence_floor`` as configured."""
    strength: PlannerStrength
    scaled: bool
    """``ask.strength_scaling`` was on."""

    def as_dict(self) -> dict[str, Any]:
        """The event fields: the floor used and the planner strength estimate behind it."""
        return {
            "floor": self.floor,
            "base_floor": self.base,
            "strength_scaling": self.scaled,
            "planner_strength": self.strength.as_dict(),
        }


def ask_floor(knobs: Knobs, models: Sequence[str]) -> AskFloor:
    """The floor below which the swarm asks, raised for the fleet's weakest planner."""
    base = float(knobs.get("planner.confidence_floor"))
    strength = weakest(models)
    if not knobs.get("ask.strength_scaling"):
        return AskFloor(base, base, strength, scaled=False)
    raised = base + strength.weakness() * max(0.0, WEAK_FLOOR - base)
    return AskFloor(round(raised, 4), base, strength, scaled=True)


def needs_more_drafts(
    floor: AskFloor, confidence: float, consistency: float | None, fallback: bool
) -> bool:
    """Low confidence from a lone draft (no agreement measured) forces best-of-N planning."""
    return floor.scaled and not fallback and consistency is None and confidence < floor.floor


def forced_drafts(knobs: Knobs) -> int:
    """How many drafts the forced best-of-N asks for."""
    return max(FORCED_DRAFTS, int(knobs.get("planner.drafts")))


def read_answers(path: Path) -> list[str] | None:
    """The answers as a list of strings, or None while the file is absent or not yet valid."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # absent, or half-written: keep polling
    if isinstance(data, list) and all(isinstance(a, str) for a in data):
        return list(data)
    return None


async def ask_user(
    workdir: Path,
    questions: Sequence[str],
    confidence: float,
    *,
    timeout_s: float,
    poll_s: float,
    events: EventSink,
    floor: AskFloor | None = None,
) -> list[str]:
    """Write the questions, emit ``low_confidence_ask`` and poll for answers until timeout.

    ``floor``, when given, is recorded in the event (the floor used and the planner
    strength estimate behind it)."""
    folder = workdir / ".swarm"
    folder.mkdir(parents=True, exist_ok=True)
    asked = [q.strip() for q in questions if q.strip()] or list(DEFAULT_QUESTIONS)
    payload = {
        "questions": asked,
        "plan_confidence": round(confidence, 4),
        "answers_file": ANSWERS_FILE,
        "timeout_s": timeout_s,
    }
    (folder / QUESTIONS_FILE).write_text(json.dumps(payload, indent=2), encoding="utf-8")
    events.emit(
        "low_confidence_ask",
        plan_confidence=round(confidence, 4),
        questions=asked,
        timeout_s=timeout_s,
        **_floor_fields(floor),
    )
    answers = await poll_answers(folder / ANSWERS_FILE, timeout_s=timeout_s, poll_s=poll_s)
    events.emit(
        "clarify_answered" if answers is not None else "clarify_timeout", answers=len(answers or [])
    )
    return answers or []


def _floor_fields(floor: AskFloor | None) -> dict[str, Any]:
    return {} if floor is None else floor.as_dict()


async def poll_answers(path: Path, *, timeout_s: float, poll_s: float) -> list[str] | None:
    """Poll ``path`` until it holds a JSON array of strings or ``timeout_s`` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        answers = await asyncio.to_thread(read_answers, path)
        if answers is not None:
            return answers
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        await asyncio.sleep(min(poll_s, remaining))
