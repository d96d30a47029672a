"""The clarify handshake: ask the user when plan confidence is low, wait for answers a while.

Files (contract 2), under ``WORKDIR/.swarm/``:

- ``clarify-questions.json`` — written by the swarm: ``{"questions": [...],
  "plan_confidence": x, "answers_file": "clarify-answers.json", "timeout_s": t}``;
- ``clarify-answers.json`` — written by the user or the gym: a JSON array of strings,
  passed verbatim to every worker.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from pathlib import Path

from swarm.protocols import EventSink

QUESTIONS_FILE = "clarify-questions.json"
ANSWERS_FILE = "clarify-answers.json"

#: Asked when the planner gave no questions of its own: the usual sources of rework.
DEFAULT_QUESTIONS = (
    "Which parts of the spec are most important to get exactly right?",
    "Are there any behaviours or command-line details the spec leaves open that you care about?",
    "How should the program store its data and name its files?",
)


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
) -> list[str]:
    """Write the questions, emit ``low_confidence_ask`` and poll for answers until timeout."""
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
    )
    answers = await poll_answers(folder / ANSWERS_FILE, timeout_s=timeout_s, poll_s=poll_s)
    events.emit(
        "clarify_answered" if answers is not None else "clarify_timeout", answers=len(answers or [])
    )
    return answers or []


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
