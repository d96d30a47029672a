"""The stored timeline JSON (``swarm.timeline``, written by the gym per turn), read leniently.

The file is an artifact of a run whose names (tasks, devices) came from models: parsed into
these models, unknown fields ignored, and a file that does not fit is no timeline.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SpanData(_Lenient):
    """A phase piece or a gate, in seconds since the run started."""

    name: str
    start: float
    end: float
    status: str | None = None


class AttemptData(_Lenient):
    """One attempt of one task on one device."""

    device: str
    task_id: str
    attempt: int = 1
    start: float
    end: float
    status: str = ""
    model_s: float = Field(0.0, description="Seconds of the attempt with a model call in flight.")
    non_model_s: float = Field(0.0, description="The rest: tools, sandbox, the engine.")
    calls: int = 0
    tokens: int = 0


class CallData(_Lenient):
    """One model call on one device."""

    device: str
    start: float
    end: float
    prompt_tokens: int = 0
    completion_tokens: int = 0


class TimelineData(_Lenient):
    """One turn's timeline: phases, gates, attempts and model calls per device."""

    run_id: str = ""
    wall_s: float = 0.0
    devices: list[str] = Field(default_factory=list)
    phases: list[SpanData] = Field(default_factory=list)
    gates: list[SpanData] = Field(default_factory=list)
    attempts: list[AttemptData] = Field(default_factory=list)
    calls: list[CallData] = Field(default_factory=list)
    label: str = Field("measured", description="measured, or projected (model time stretched).")
    figures: dict[str, object] = Field(default_factory=dict)


def load_timeline(path: Path) -> TimelineData | None:
    """The timeline stored at ``path``; None when it is unreadable or not a timeline."""
    try:
        return TimelineData.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return None
