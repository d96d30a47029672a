"""The tweaker's scope guard: which knobs it may move, and to which values.

The space is read from the swarm's typed knob registry and holds only knobs declared
``tunable=True`` with a *finite, declared* domain: a choice list, a bool, or a numeric
range (``tune_bounds``, else ``bounds``) closed at both ends. A tunable free-text knob
(``mcp.servers`` takes shell commands) is left out on purpose: a model's proposal must
never become a command line. Every proposal — the brain's or the fallback's — passes
:func:`check_delta` before anything runs; a refusal is a :class:`ScopeError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gym.errors import GymConfigError


class ScopeError(GymConfigError):
    """A knob or value outside the tweaker's scope (not tunable, unknown, out of bounds)."""


@dataclass(frozen=True)
class KnobDomain:
    """One tunable knob as the tweaker sees it: its type, default and allowed values."""

    name: str
    type: type
    default: Any
    doc: str
    choices: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None

    def describe(self) -> str:
        """The domain in words, for prompts and error messages."""
        if self.choices is not None:
            return "one of " + ", ".join(_text(c) for c in self.choices)
        return f"{self.type.__name__} in [{_text(self.low)}, {_text(self.high)}]"

    def allows(self, value: Any) -> bool:
        """True when ``value`` (already of the knob's type) lies inside the domain."""
        if self.choices is not None:
            return value in self.choices
        return self.low is not None and self.high is not None and self.low <= value <= self.high


@dataclass(frozen=True)
class KnobDelta:
    """One checked change: the knob and its new value (typed), plus the value it replaces."""

    knob: str
    value: Any
    old: Any

    def arg(self) -> str:
        """The change as a ``--knob`` argument (``name=value``)."""
        return f"{self.knob}={_text(self.value)}"


def _text(value: Any) -> str:
    """A value as the swarm's ``--knob`` parser reads it (bools lower-case)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _registry() -> dict[str, Any]:
    """Every declared knob of the swarm, by name.

    The ONE place the gym reads the swarm's knob registry in-process. The design wants
    gym -> swarm through the CLI contract only, but `swarm knobs` prints text, not data;
    when it gains a JSON form, switch this function to run it and parse its output.
    """
    from swarm import all_knobs

    return all_knobs()


def _domain(declared: Any) -> KnobDomain | None:
    """The knob's domain, or None when it has no finite declared domain (left out)."""
    base = dict(name=declared.name, type=declared.type, default=declared.default, doc=declared.doc)
    if declared.choices is not None:
        return KnobDomain(**base, choices=tuple(declared.choices))
    if declared.type is bool:
        return KnobDomain(**base, choices=(False, True))
    if declared.type in (int, float) and declared.search_range is not None:
        low, high = declared.search_range
        if low is not None and high is not None:
            return KnobDomain(**base, low=low, high=high)
    return None


def tunable_space(candidates: Iterable[str] | None = None) -> dict[str, KnobDomain]:
    """The knobs the tweaker may move, by name; ``candidates`` narrows it further.

    ScopeError names a candidate that is unknown, not tunable or has no finite domain.
    """
    registry = _registry()
    space = {
        name: domain
        for name, declared in registry.items()
        if declared.tunable and (domain := _domain(declared)) is not None
    }
    if candidates is None:
        return space
    wanted = [c.strip() for c in candidates if c.strip()]
    for name in wanted:
        if name not in space:
            why = "an unknown knob" if name not in registry else "not a tunable knob with bounds"
            raise ScopeError(f"--knob-candidates: {name!r} is {why}; tunable: {', '.join(space)}")
    return {name: space[name] for name in wanted}


def check_delta(
    space: dict[str, KnobDomain], baseline: dict[str, Any], knob: str, value: Any
) -> KnobDelta:
    """Check a proposed change against the scope; ScopeError says why it is refused.

    ``value`` may be text (a model's answer) or typed; it is converted with the swarm's own
    parser, then must lie inside the tweaker's domain and differ from the baseline.
    """
    domain = space.get(knob)
    if domain is None:
        raise ScopeError(f"knob {knob!r} is outside the tweaker's scope")
    typed = _coerce(knob, value)
    if not domain.allows(typed):
        raise ScopeError(
            f"{knob}={_text(typed)} is outside its tuning domain ({domain.describe()})"
        )
    old = baseline.get(knob, domain.default)
    if typed == old:
        raise ScopeError(f"{knob}={_text(typed)} is already the baseline value")
    return KnobDelta(knob, typed, old)


def _coerce(knob: str, value: Any) -> Any:
    from swarm import KnobError  # the swarm's parser is the one authority on values

    try:
        return _registry()[knob].coerce(value)
    except KnobError as exc:
        raise ScopeError(str(exc)) from None


def alternatives(domain: KnobDomain, current: Any) -> list[Any]:
    """Deterministic alternative values of one knob, nearest first (the fallback's menu).

    Choices: every other choice in declared order. Numbers: half and double of the current
    value, then the two ends of the range — each clipped into the range.
    """
    if domain.choices is not None:
        return [c for c in domain.choices if c != current]
    assert domain.low is not None and domain.high is not None  # _domain guarantees both ends
    raw = (
        [current / 2, current * 2, domain.low, domain.high]
        if current
        else [domain.low + (domain.high - domain.low) / 2, domain.low, domain.high]
    )
    out: list[Any] = []
    for value in raw:
        clipped = min(max(value, domain.low), domain.high)
        typed = round(clipped) if domain.type is int else float(clipped)
        if typed != current and typed not in out:
            out.append(typed)
    return out


def baseline_values(args: Iterable[str]) -> dict[str, Any]:
    """``["k=v", ...]`` (the run's ``--knob`` list) as typed values; ScopeError when invalid."""
    values: dict[str, Any] = {}
    for item in args:
        name, _, text = item.partition("=")
        name = name.strip()
        if name not in _registry():
            raise ScopeError(f"--knob {item!r}: unknown knob {name!r}")
        values[name] = _coerce(name, text)
    return values


def knob_args(knobs: dict[str, Any]) -> list[str]:
    """Typed knob values back to sorted ``name=value`` arguments."""
    return [f"{name}={_text(value)}" for name, value in sorted(knobs.items())]
