"""Structured calls that survive a flaky node: retry transient failures on the next node.

Planning, detailing and contract calls happen before the scheduler exists, so they get
their own small retry rule: a transient error (5xx, dropped or stalled stream) or an
answer that stays invalid moves the call to the next node of the fleet, up to
``planner.call_attempts`` tries; a fatal error (bad key, unknown model) is raised at once.

``planner_strength`` reads how strong a planner is likely to be from its model name alone
(``35b-a3b``: a mixture of experts with ~3B active parameters; ``32b``: dense 32B); the
clarify handshake raises its floor for weak planners (``swarm.pipeline.clarify``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel

from brain import (
    ContentError,
    Message,
    TransientError,
    Transport,
    ask_structured,
    honour_retry_after,
)
from swarm.knobs import register_knob

register_knob(
    "planner.call_attempts",
    int,
    3,
    "Tries of one planning/detail/contract call, each on the next node, before "
    "it counts as failed.",
    bounds=(1, 20),
)

register_knob(
    "ask.strength_scaling",
    bool,
    True,
    "Raise the clarify floor for weak planners (read from the model name) and force "
    "best-of-N planning when one draft's confidence is below it.",
    tunable=True,
)

T = TypeVar("T", bound=BaseModel)

#: ``35b-a3b`` (total-active, a mixture of experts), then a plain size such as ``32b``/``135m``.
_MOE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)b-a(\d+(?:\.\d+)?)b(?![a-z])")
_DENSE = re.compile(r"(?<![\d.a-z])(\d+(?:\.\d+)?)([bm])(?![a-z])")


@dataclass(frozen=True)
class PlannerStrength:
    """What a model name says about a planner: parameters in billions, None when unknown."""

    model: str
    active_b: float | None = None
    """Parameters used per token (all of them for a dense model)."""
    total_b: float | None = None
    moe: bool = False

    @property
    def known(self) -> bool:
        """The name carried a size this parser reads."""
        return self.active_b is not None

    def weakness(self, strong_b: float = 30.0, weak_b: float = 1.0) -> float:
        """0 (``strong_b`` active or more) .. 1 (``weak_b`` or less), log-scaled; 0 if unknown."""
        if self.active_b is None:
            return 0.0
        active = min(max(self.active_b, weak_b), strong_b)
        return math.log(strong_b / active) / math.log(strong_b / weak_b)

    def as_dict(self) -> dict[str, object]:
        """The event's ``planner_strength`` field."""
        return {
            "model": self.model,
            "active_b": self.active_b,
            "total_b": self.total_b,
            "moe": self.moe,
        }


def planner_strength(model: str) -> PlannerStrength:
    """Parse a model name generically: ``qwen3-35b-a3b`` → MoE, 3B active; ``qwen3-32b`` →
    dense 32B; ``smollm2-135m`` → dense 0.135B; a name without a size → unknown."""
    name = model.lower().replace("_", "-")
    moe = _MOE.search(name)
    if moe:
        return PlannerStrength(model, float(moe[2]), float(moe[1]), moe=True)
    dense = _DENSE.search(name)
    if dense:
        size = float(dense[1]) / (1000.0 if dense[2] == "m" else 1.0)
        return PlannerStrength(model, size, size)
    return PlannerStrength(model)


def weakest(models: Sequence[str]) -> PlannerStrength:
    """The weakest known planner among ``models`` (drafts and details spread over all of
    them); unknown when no name carries a size."""
    known = [s for s in map(planner_strength, models) if s.known]
    if not known:
        return PlannerStrength(models[0] if models else "")
    return min(known, key=lambda s: s.active_b or 0.0)


async def ask_across(
    transports: Sequence[Transport],
    start: int,
    messages: list[Message],
    model_cls: type[T],
    *,
    attempts: int,
) -> T:
    """``ask_structured`` on ``transports[start]``, moving on to the next node on failure."""
    last: Exception | None = None
    for offset in range(max(1, attempts)):
        transport = transports[(start + offset) % len(transports)]
        try:
            return await ask_structured(transport, messages, model_cls)
        except (TransientError, ContentError) as exc:
            last = exc
            await honour_retry_after(exc)
    assert last is not None
    raise last
