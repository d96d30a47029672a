"""The harness brain as a user persona, and as a task inventor drawing from the catalog."""

from __future__ import annotations

import random
from typing import Any

from brain.sim._catalog import Catalog
from brain.sim._request import RequestView
from brain.sim._roles.filler import fit, minimal

#: Openers and closers per persona: flavour around the move's text, which stays verbatim.
_VOICES: dict[str, tuple[tuple[str, ...], str]] = {
    "demanding-pm": (
        ("I need this shipped today.", "Priority one, no excuses."),
        "Make sure every command works exactly as written.",
    ),
    "vague-user": (
        ("hey, so, something like this maybe?", "not sure how to put it, but:"),
        "you get the idea.",
    ),
    "perfectionist": (
        ("Please be precise.", "Every detail matters here."),
        "Edge cases and error messages too, please.",
    ),
    "feature-hungry": (
        ("Love it so far! Next:", "Great, and one more thing:"),
        "And if you have time, anything else cool.",
    ),
    "pragmatic": (("Next step:", "Simple request:"), "Keep it simple."),
}
#: How each persona ends an episode.
_DONE = {
    "demanding-pm": "Delivered. Closing this out.",
    "vague-user": "cool, I think that's it for now!",
    "perfectionist": "Everything is as specified. We are done.",
    "feature-hungry": "Amazing, that's all for today!",
    "pragmatic": "That works for me, thanks. We're done.",
}
_FIX = "The last version does not work: the checks fail. Fix it without changing the interface."
_OPEN = "Please build the project described in the spec."


def _voice(persona: str, body: str, rnd: random.Random) -> str:
    openers, closer = _VOICES.get(persona, (("Next:",), ""))
    return " ".join(p for p in (rnd.choice(openers), body, closer) if p)


def user_turn(view: RequestView, rnd: random.Random) -> dict[str, Any]:
    """A UserTurn: fix after a failing turn, else the next stage's move, else done."""
    verdict, stages, persona = view.last_verdict, view.next_stages, view.persona
    if not verdict:
        spec = view.section("PROJECT SPEC:").strip() or _OPEN
        return {"move": "feature", "message": _voice(persona, spec, rnd)}
    if verdict in ("fail", "partial"):
        return {"move": "fix", "message": _voice(persona, _FIX, rnd)}
    if stages:
        _, move, text = stages[0]
        return {"move": move, "message": _voice(persona, text, rnd)}
    return {"move": "done", "message": _DONE.get(persona, "That is everything I need, thanks.")}


def invented_task(view: RequestView, catalog: Catalog, rnd: random.Random) -> dict[str, Any]:
    """An InventedTask: a catalog task (chosen by seed) shaped to the requested schema."""
    if not catalog.tasks:
        return minimal(view.schema)
    task = rnd.choice(catalog.tasks)
    return fit(dict(task.data), view.schema) if view.schema else dict(task.data)
