"""The harness brain as a user persona, and as a task inventor drawing from the catalog."""

from __future__ import annotations

import random
import re
from typing import Any

from brain.sim._catalog import Catalog, SimTask
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


#: The archetype an invention prompt asks for: ``archetype "heavy-spec"``.
_ARCHETYPE = re.compile(r'archetype "([a-z-]+)"')
#: How many of a catalog task's checks a variation keeps at least (all, when it has fewer).
_MIN_CHECKS = 4


def invented_task(
    view: RequestView, catalog: Catalog, rnd: random.Random, *, wrong_golden: bool = False
) -> dict[str, Any]:
    """An InventedTask: a seeded variation of a catalog task, with its reference solution.

    The spec stays verbatim (the simulated fleet recognises the task by it); the variation
    is its id, a seeded subset of its stage-1 checks and no follow-up stages. With
    ``wrong_golden`` one golden value is miscomputed, as a careless inventor would: the
    harness's self-test must reject it.
    """
    pool = _inventable(catalog, view.prompt)
    if not pool:
        return minimal(view.schema)
    task = rnd.choice(pool)
    checks = _some_checks(list(task.data.get("checks") or []), rnd)
    if wrong_golden:
        checks = _miscompute(checks, rnd)
    data = {
        **{k: v for k, v in task.data.items() if k not in ("stages", "controls", "checks")},
        "id": f"{task.id}-var{rnd.randrange(1000)}",
        "title": f"{task.data.get('title', task.id)} (variation)",
        "checks": checks,
        "reference": [{"path": p, "content": c} for p, c in sorted(task.reference(1).items())],
    }
    return fit(data, view.schema) if view.schema else data


def _inventable(catalog: Catalog, prompt: str) -> list[SimTask]:
    """Catalog tasks with a stage-1 reference and no seed, of the asked archetype if any."""
    tasks = [t for t in catalog.tasks if t.reference(1) and not t.seed() and t.data.get("checks")]
    asked = _ARCHETYPE.search(prompt)
    same = [t for t in tasks if asked and t.archetype == asked[1]]
    return same or tasks


def _some_checks(checks: list[dict[str, Any]], rnd: random.Random) -> list[dict[str, Any]]:
    """A seeded subset, in catalog order, of at least ``_MIN_CHECKS`` checks."""
    if len(checks) <= _MIN_CHECKS:
        return [dict(c) for c in checks]
    keep = set(rnd.sample(range(len(checks)), rnd.randint(_MIN_CHECKS, len(checks))))
    return [dict(c) for i, c in enumerate(checks) if i in keep]


def _miscompute(checks: list[dict[str, Any]], rnd: random.Random) -> list[dict[str, Any]]:
    """One command check's golden value made wrong: expected text altered, else exit code."""
    commands = [c for c in checks if c.get("kind") == "command"]
    if not commands:
        return checks
    victim = rnd.choice(commands)
    expect = dict(victim.get("expect_stdout") or {})
    for key in ("equals", "contains"):
        if isinstance(expect.get(key), str) and expect[key].strip():
            expect[key] = expect[key].rstrip("\n") + " [miscomputed]\n"
            victim["expect_stdout"] = expect
            return checks
    victim["expect_exit"] = int(victim.get("expect_exit", 0) or 0) + 7
    return checks
