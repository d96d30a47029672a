"""Fleet knobs: per-node pool weight and enabled, and which node plans.

They are not swarm knobs (the swarm's registry is static; node names come from each
fleet), so the gym owns them and applies them to the fleet the swarm is given:

==================================  ====  ==================================================
knob                                type  applied as
==================================  ====  ==================================================
``fleet.node.<name>.weight``        int   the node's ``weight=`` (concurrent slots); 0 = no
                                          slots, the node is left out of the fleet
``fleet.node.<name>.enabled``       bool  false leaves the node out of the fleet
``fleet.planner``                   str   that node is listed first: the swarm's planner
                                          asks the fleet's first node (then the next on a
                                          failure), so the first node plans, with its model
==================================  ====  ==================================================

A fleet that would be left without a node, or whose planner is left out, is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from brain import BrainError, parse_node_spec
from gym.errors import GymConfigError

PREFIX = "fleet."
NODE_PREFIX = "fleet.node."
PLANNER = "fleet.planner"
#: The most slots the tweaker may give one node (the swarm accepts up to 64).
MAX_WEIGHT = 8


class FleetKnobError(GymConfigError):
    """A fleet knob that names no node of the fleet, or a fleet it would leave unusable."""


def is_fleet_knob(name: str) -> bool:
    """True for a ``fleet.…`` knob (the gym's, never the swarm's)."""
    return name.startswith(PREFIX)


def split_node_knob(name: str) -> tuple[str, str] | None:
    """``fleet.node.<node>.<field>`` → (node, field); None for any other name."""
    if not name.startswith(NODE_PREFIX):
        return None
    node, _, attr = name[len(NODE_PREFIX) :].rpartition(".")
    return (node, attr) if node and attr in ("weight", "enabled") else None


def _items(fleet: str) -> list[str]:
    return [item.strip() for item in fleet.split(",") if item.strip()]


def node_names(fleet: str) -> list[str]:
    """The fleet's node names in order (FleetKnobError when the fleet does not parse)."""
    try:
        return [parse_node_spec(item, i).name for i, item in enumerate(_items(fleet))]
    except BrainError as exc:
        raise FleetKnobError(str(exc)) from None


def fleet_baseline(fleet: str) -> dict[str, Any]:
    """Every fleet knob's value in this fleet (weights as configured, all enabled)."""
    values: dict[str, Any] = {}
    for i, item in enumerate(_items(fleet)):
        node = parse_node_spec(item, i)
        values[f"{NODE_PREFIX}{node.name}.weight"] = node.weight
        values[f"{NODE_PREFIX}{node.name}.enabled"] = True
    names = node_names(fleet)
    if names:
        values[PLANNER] = names[0]
    return values


def coerce(name: str, value: Any, nodes: list[str]) -> Any:
    """A fleet knob's value typed (int weight, bool enabled, node name); FleetKnobError if bad."""
    if name == PLANNER:
        text = str(value).strip()
        if text not in nodes:
            raise FleetKnobError(
                f"{name}={text}: no node {text!r} in the fleet ({', '.join(nodes)})"
            )
        return text
    parts = split_node_knob(name)
    if parts is None or parts[0] not in nodes:
        raise FleetKnobError(f"unknown fleet knob {name!r}; nodes: {', '.join(nodes)}")
    return _typed(name, parts[1], value)


def _typed(name: str, attr: str, value: Any) -> Any:
    text = str(value).strip().lower()
    if attr == "enabled":
        if isinstance(value, bool):
            return value
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
        raise FleetKnobError(f"{name}={value}: wants true or false")
    try:
        weight = int(value) if not isinstance(value, bool) else -1
    except ValueError:
        raise FleetKnobError(f"{name}={value}: wants an integer weight") from None
    if not 0 <= weight <= 64:
        raise FleetKnobError(f"{name}={value}: weight must lie in [0, 64]")
    return weight


def apply_fleet(fleet: str, values: Mapping[str, Any]) -> str:
    """The fleet string with these fleet knob values applied (module docstring)."""
    items = _items(fleet)
    names = node_names(fleet)
    kept: list[tuple[str, str]] = []
    for name, item in zip(names, items, strict=True):
        weight = values.get(f"{NODE_PREFIX}{name}.weight")
        enabled = values.get(f"{NODE_PREFIX}{name}.enabled", True)
        if not enabled or weight == 0:
            continue
        # names pinned: a default name comes from the node's position, which may change here
        item = _with_param(item, "name", name)
        kept.append((name, item if weight is None else _with_param(item, "weight", str(weight))))
    if not kept:
        raise FleetKnobError("the fleet knobs leave no node in the fleet")
    planner = values.get(PLANNER)
    if planner is not None:
        first = [k for k in kept if k[0] == planner]
        if not first:
            raise FleetKnobError(f"planner node {planner!r} is left out of the fleet")
        kept = first + [k for k in kept if k[0] != planner]
    return ",".join(item for _, item in kept)


def _with_param(item: str, key: str, value: str) -> str:
    """The node URL with one query parameter set (added or replaced), the rest untouched."""
    parts = urlsplit(item)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if (key, value) in query:
        return item  # already so: keep the text as the user wrote it
    query = [(k, v) for k, v in query if k != key]
    return urlunsplit(parts._replace(query=urlencode([*query, (key, value)], safe=":+")))
