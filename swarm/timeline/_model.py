"""The timeline's data: spans in seconds since the run started, JSON-ready."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ModelCall:
    """One model call on one node: when it ran and what it cost."""

    device: str
    start: float
    end: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    ok: bool = True
    model_s: float | None = None
    """The latency the transport reported (the simulator's modelled one); None if unknown."""


@dataclass
class Attempt:
    """One attempt of one task on one device; model time is the calls inside it."""

    device: str
    task_id: str
    attempt: int
    start: float
    end: float
    status: str
    model_s: float = 0.0
    non_model_s: float = 0.0
    calls: int = 0
    tokens: int = 0


@dataclass
class Span:
    """A named stretch of the run: a phase piece or a gate."""

    name: str
    start: float
    end: float
    status: str | None = None


@dataclass
class Timeline:
    """Where a run's wall time went: phases, gates, and each device's attempts and calls.

    ``scale`` is 1 for a measured timeline; a projection (:func:`project`) says how much
    model time was stretched and is labelled ``projected``.
    """

    run_id: str
    wall_s: float
    devices: list[str]
    phases: list[Span] = field(default_factory=list)
    gates: list[Span] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    calls: list[ModelCall] = field(default_factory=list)
    scale: float = 1.0
    label: str = "measured"

    def to_dict(self) -> dict[str, Any]:
        """The timeline and its figures as plain JSON data."""
        from swarm.timeline._figures import figures

        data = asdict(self)
        data["figures"] = asdict(figures(self))
        return data
