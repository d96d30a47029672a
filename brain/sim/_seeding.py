"""Deterministic randomness: every draw is a hash of its inputs, never of call order.

Two concurrent requests get the same answers whichever is served first; an
identical request sent again differs only by its occurrence index, so a retry
can succeed where the first try faulted.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
from collections import Counter

from brain._types import ChatRequest


def _digest(parts: tuple[object, ...]) -> bytes:
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).digest()


def draw(*parts: object) -> float:
    """A uniform number in [0, 1) determined only by ``parts``."""
    return int.from_bytes(_digest(parts)[:8], "big") / 2**64


def rng(*parts: object) -> random.Random:
    """A private random generator seeded only by ``parts``."""
    return random.Random(int.from_bytes(_digest(parts)[:8], "big"))


def short_hash(*parts: object) -> str:
    """Twelve hex digits naming ``parts`` (tool-call ids, drift suffixes)."""
    return _digest(parts).hex()[:12]


def fingerprint(request: ChatRequest) -> str:
    """What makes two requests 'the same': messages, offered tools and the wanted schema."""
    body = {
        "messages": [m.model_dump(mode="json") for m in request.messages],
        "tools": [t.name for t in request.tools],
        "schema": request.response_schema_name,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


class OccurrenceCounter:
    """Counts how often each key was seen; thread-safe (the HTTP server answers in threads)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def next(self, key: str) -> int:
        """The occurrence index of this sighting of ``key`` (0 for the first)."""
        with self._lock:
            index = self._counts[key]
            self._counts[key] += 1
            return index

    def peek(self, key: str) -> int:
        """How often ``key`` was counted so far."""
        with self._lock:
            return self._counts[key]

    def bump(self, key: str) -> None:
        """Count ``key`` once more without asking for an index."""
        with self._lock:
            self._counts[key] += 1
