"""The users the harness brain plays across an episode's turns, and the answer it gives.

Each persona has a voice (how it writes) and a temperament (which moves it tends
to make). The brain reads both from the prompt after ``PERSONA:`` and answers
with a :class:`UserTurn`: the next move and the message in the persona's voice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

MoveName = Literal["feature", "fix", "tests", "refactor", "mcp-feature", "change-direction", "done"]


class UserTurn(BaseModel):
    """The persona's next move and what it says to the swarm (schema name ``UserTurn``)."""

    move: MoveName = Field(description="What the user asks for next; 'done' ends the episode.")
    message: str = Field(min_length=1, description="The user's message, in the persona's voice.")


@dataclass(frozen=True)
class Persona:
    """A user archetype the brain role-plays."""

    name: str
    #: How the persona writes; the brain's message must sound like this.
    voice: str
    #: Which moves it tends to make after a turn (feature, fix, tests, done, ...).
    temperament: str


PERSONAS: dict[str, Persona] = {
    p.name: p
    for p in (
        Persona(
            "demanding-pm",
            "Terse and deadline-driven; lists acceptance criteria as bullets; no pleasantries.",
            "Asks for the next feature as soon as the last one works; demands a fix when a "
            "check is red; says done only when every stage is delivered.",
        ),
        Persona(
            "vague-user",
            "Casual and imprecise; describes what they want by example rather than by rule.",
            "Drifts between features; sometimes changes direction; rarely names failing checks.",
        ),
        Persona(
            "perfectionist",
            "Precise and exacting; quotes the failing output; cares about edge cases and tests.",
            "Asks for a fix or for tests before any new feature whenever anything is off.",
        ),
        Persona(
            "feature-hungry",
            "Enthusiastic; every message adds 'and while you are at it…'.",
            "Always asks for the next feature, even when the last turn was red.",
        ),
        Persona(
            "pragmatic",
            "Plain and friendly; explains the goal and accepts reasonable trade-offs.",
            "Fixes what is broken, then moves on; says done once the app works.",
        ),
    )
}


def persona(name: str) -> Persona:
    """The persona called ``name``; KeyError lists the known ones."""
    try:
        return PERSONAS[name]
    except KeyError:
        raise KeyError(f"unknown persona {name!r}; known: {', '.join(PERSONAS)}") from None
