"""The tweaker's scope guard: which knobs it may move, and to which values.

The scope is the *safe set* only — knobs that change how much of the fleet a task gets,
never how the engine is built:

- the fleet knobs (gym.tweaker._fleet): per-node pool weight and enabled, which node plans;
- three swarm knobs: the worker's context cap (``worker.context_chars``), its turn cap
  (``worker.turn_cap``) and the attempt ceiling (``retry.max_attempts``), each inside its
  declared finite domain (``tune_bounds``, else ``bounds``).

Every other swarm knob is *structural* (gates, contracts, judge, scheduler policy, planner
and worker behaviour, prompts, MCP servers): the tweaker refuses it whole — a candidate
list or a proposal holding one is refused before anything runs — and it is A/B-tested only
by hand (``gym ab --knob k=v``). Every proposal — the brain's or the rules' — passes
:func:`check_delta` before anything runs; a refusal is a :class:`ScopeError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gym.errors import GymConfigError
from gym.tweaker import _fleet

#: The swarm knobs in the tweaker's scope: context cap, turn cap, attempt ceiling.
SAFE_SWARM_KNOBS = ("worker.context_chars", "worker.turn_cap", "retry.max_attempts")


class ScopeError(GymConfigError):
    """A knob or value outside the tweaker's scope (not tunable, unknown, out of bounds)."""


class StructuralKnobError(ScopeError):
    """A structural knob offered to the tweaker: refused whole, A/B-tested only by hand."""


def structural_refusal(name: str, where: str = "") -> StructuralKnobError:
    """The one line that refuses a structural knob and says how to test it instead."""
    return StructuralKnobError(
        f"{where}{name!r} is a structural knob (not pool weight, planner node, context cap, "
        f"turn cap or attempt ceiling): the tweaker never moves it; A/B it by hand with "
        f"`gym ab --knob {name}=VALUE`"
    )


def is_structural(name: str) -> bool:
    """True for a swarm knob outside the safe set (the fleet knobs are never structural)."""
    return not _fleet.is_fleet_knob(name) and name in _registry() and name not in SAFE_SWARM_KNOBS


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


def tunable_space(
    candidates: Iterable[str] | None = None, fleet: str | None = None
) -> dict[str, KnobDomain]:
    """The knobs the tweaker may move, by name; ``candidates`` narrows it further.

    With ``fleet`` the fleet knobs of its nodes are in scope too. A candidate that is
    structural refuses the whole list (StructuralKnobError); one that is unknown or has
    no finite domain is a ScopeError.
    """
    registry = _registry()
    space = {
        name: domain
        for name in SAFE_SWARM_KNOBS
        if name in registry
        and registry[name].tunable
        and (domain := _domain(registry[name])) is not None
    }
    if fleet is not None:
        space.update(fleet_space(fleet))
    if candidates is None:
        return space
    wanted = [c.strip() for c in candidates if c.strip()]
    for name in wanted:
        if is_structural(name):
            raise structural_refusal(name, "--knob-candidates: ")
        if name not in space:
            why = "an unknown knob" if name not in registry else "not a tunable knob with bounds"
            raise ScopeError(f"--knob-candidates: {name!r} is {why}; tunable: {', '.join(space)}")
    return {name: space[name] for name in wanted}


def fleet_space(fleet: str) -> dict[str, KnobDomain]:
    """The fleet knobs of this fleet with their tuning domains."""
    names = _fleet.node_names(fleet)
    base = _fleet.fleet_baseline(fleet)
    space: dict[str, KnobDomain] = {}
    for node in names:
        weight = f"{_fleet.NODE_PREFIX}{node}.weight"
        enabled = f"{_fleet.NODE_PREFIX}{node}.enabled"
        high = max(_fleet.MAX_WEIGHT, base[weight])
        doc = f"slots on node {node}; 0 = no slots (left out of the fleet)"
        space[weight] = KnobDomain(weight, int, base[weight], doc, low=0, high=high)
        space[enabled] = KnobDomain(
            enabled, bool, True, f"node {node} in the fleet", choices=(False, True)
        )
    if len(names) > 1:
        space[_fleet.PLANNER] = KnobDomain(
            _fleet.PLANNER, str, names[0], "the node that plans", choices=tuple(names)
        )
    return space


def check_delta(
    space: dict[str, KnobDomain], baseline: dict[str, Any], knob: str, value: Any
) -> KnobDelta:
    """Check a proposed change against the scope; ScopeError says why it is refused.

    ``value`` may be text (a model's answer) or typed; it is converted with the swarm's own
    parser (the gym's for fleet knobs), then must lie inside the tweaker's domain and
    differ from the baseline. A structural knob is a StructuralKnobError.
    """
    domain = space.get(knob)
    if domain is None:
        if is_structural(knob):
            raise structural_refusal(knob)
        raise ScopeError(f"knob {knob!r} is outside the tweaker's scope")
    typed = _coerce(knob, value, space)
    if not domain.allows(typed):
        raise ScopeError(
            f"{knob}={_text(typed)} is outside its tuning domain ({domain.describe()})"
        )
    old = baseline.get(knob, domain.default)
    if typed == old:
        raise ScopeError(f"{knob}={_text(typed)} is already the baseline value")
    return KnobDelta(knob, typed, old)


def _coerce(knob: str, value: Any, space: dict[str, KnobDomain] | None = None) -> Any:
    from swarm import KnobError  # the swarm's parser is the one authority on its values

    if _fleet.is_fleet_knob(knob):
        nodes = _fleet_nodes(space or {})
        try:
            return _fleet.coerce(knob, value, nodes)
        except _fleet.FleetKnobError as exc:
            raise ScopeError(str(exc)) from None
    try:
        return _registry()[knob].coerce(value)
    except KnobError as exc:
        raise ScopeError(str(exc)) from None


def _fleet_nodes(space: dict[str, KnobDomain]) -> list[str]:
    planner = space.get(_fleet.PLANNER)
    if planner is not None and planner.choices:
        return [str(c) for c in planner.choices]
    return sorted(parts[0] for name in space if (parts := _fleet.split_node_knob(name)) is not None)


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
