"""Where the next knob change comes from: the harness brain, checked, else a fallback.

The brain answers a ``KnobProposal`` (structured output). Its answer is untrusted text:
it goes through the scope guard, and when it is refused (out of scope, a repeat of a
change already tried, or no valid answer at all) the deterministic fallback proposer
walks the tunable knobs' alternative values in a fixed order instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from brain import BrainError, Message, Role, Transport, ask_structured
from gym.tweaker._space import KnobDelta, KnobDomain, ScopeError, alternatives, check_delta
from verifier import clean_line  # one line, no control characters: model text is untrusted


class KnobProposal(BaseModel):
    """The brain's proposal (schema name ``KnobProposal``): one knob, its new value, why."""

    knob: str = Field(description="Dotted name of ONE knob from the list, e.g. scheduler.policy.")
    value: str = Field(description="The new value as text, e.g. fanout, 12, 0.9, true.")
    rationale: str = Field(default="", description="One or two sentences: why it should help.")
    trigger: str = Field(
        default="", description="The code of the trigger it answers, e.g. node_retry_share."
    )


@dataclass(frozen=True)
class Proposal:
    """A checked change and where it came from (``brain`` or ``fallback``)."""

    delta: KnobDelta
    #: ``brain`` or ``fallback``.
    source: str
    #: Why the change should help, one clean line (the brain's text is untrusted).
    rationale: str
    #: Why the brain's proposal was not used, when the fallback stepped in; '' otherwise.
    refused: str = ""
    #: The cluster red it answers (``code[node]: evidence``); '' for an untriggered session.
    trigger: str = ""
    #: Further changes tested together with ``delta`` in the same arm (a hand-made proposal).
    extra: tuple[KnobDelta, ...] = ()

    @property
    def deltas(self) -> tuple[KnobDelta, ...]:
        """Every change of the proposal, ``delta`` first."""
        return (self.delta, *self.extra)

    def arg(self) -> str:
        """The proposal as ``--knob`` arguments, space-separated."""
        return " ".join(d.arg() for d in self.deltas)


def _prompt(
    space: dict[str, KnobDomain],
    baseline: dict[str, Any],
    history: Iterable[str],
    triggers: Iterable[str] = (),
) -> str:
    lines = [
        "You tune a multi-agent coding swarm. Propose ONE knob change that should raise the",
        "pass rate of the episodes. Only these knobs, only these values, are allowed:",
        "",
    ]
    reds = list(triggers)
    if reds:
        lines = [
            *lines[:2],
            "The last run showed these cluster problems (answer one; name its code as trigger):",
            *(f"- {r}" for r in reds),
            "",
            "Allowed knobs and values:",
            "",
        ]
    for name, domain in space.items():
        current = baseline.get(name, domain.default)
        lines.append(f"- {name} (now {current!r}; {domain.describe()}): {domain.doc}")
    tried = list(history)
    if tried:
        lines += ["", "EXPERIMENTS SO FAR:", *(f"- {h}" for h in tried)]
    lines += ["", "Answer with the knob's name, the new value and a short rationale."]
    return "\n".join(lines)


async def ask_brain(
    brain: Transport,
    space: dict[str, KnobDomain],
    baseline: dict[str, Any],
    history: Iterable[str],
    triggers: Iterable[str] = (),
) -> KnobProposal | str:
    """The brain's proposal, or a one-line reason why there is none."""
    message = Message(role=Role.USER, content=_prompt(space, baseline, history, triggers))
    try:
        return await ask_structured(brain, [message], KnobProposal)
    except BrainError as exc:
        return f"brain gave no proposal: {str(exc).splitlines()[0] if str(exc) else exc!r}"


def fallback(
    space: dict[str, KnobDomain],
    baseline: dict[str, Any],
    tried: set[tuple[str, Any]],
    seed: int = 0,
) -> KnobDelta | None:
    """The first untried alternative, walking knobs in name order from a seeded start."""
    names = sorted(space)
    if not names:
        return None
    start = seed % len(names)
    for name in names[start:] + names[:start]:
        current = baseline.get(name, space[name].default)
        for value in alternatives(space[name], current):
            if (name, value) not in tried:
                return check_delta(space, baseline, name, value)
    return None


def choose(
    answer: KnobProposal | str,
    space: dict[str, KnobDomain],
    baseline: dict[str, Any],
    tried: set[tuple[str, Any]],
    seed: int = 0,
) -> Proposal | None:
    """The brain's proposal when it is in scope and new, else the fallback (None: exhausted)."""
    refused = answer if isinstance(answer, str) else ""
    if isinstance(answer, KnobProposal):
        try:
            delta = check_delta(space, baseline, answer.knob.strip(), answer.value)
        except ScopeError as exc:
            refused = f"brain proposal refused: {exc}"
        else:
            if (delta.knob, delta.value) not in tried:
                return Proposal(delta, "brain", clean_line(answer.rationale))
            refused = f"brain proposal refused: {delta.arg()} was already tried"
    walked = fallback(space, baseline, tried, seed)
    if walked is None:
        return None
    return Proposal(
        walked, "fallback", "next untried alternative in a fixed order", clean_line(refused)
    )
