"""The typed knob registry: every tunable of the swarm, declared once where it is used.

A module owning a knob registers it at import time::

    POLICY = register_knob("scheduler.policy", str, "critical_path", "Ready-set order.",
                           choices=("fanout", "critical_path"), tunable=True)

Values are resolved from (lowest to highest) the default, a TOML knob file
(``load_knob_file``) and ``--knob k=v`` arguments (``parse_knob_args``). ``Knobs`` holds
the resolved values and where each came from; the run report records ``Knobs.as_dict()``.
The gym's tweaker reads ``all_knobs()`` and only proposes changes to ``tunable`` knobs,
inside their bounds or choices.
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from swarm.errors import KnobError

#: Modules that register knobs; ``all_knobs()`` imports them so the registry is complete.
#: Owners of new knob modules add their module name here (imported lazily, never at
#: import time of this module, so the scheduler stays free of model clients).
KNOB_MODULES: list[str] = [
    "swarm.scheduler._scheduler",
    "swarm.scheduler.priority",
    "swarm.retry",
    "swarm.fleet",
    "swarm.judge",
    "swarm.pipeline.worker",
    "swarm.pipeline.planner",
    "swarm.pipeline.contracts",
    "swarm.pipeline.mcp",
    "swarm.pipeline.gates",
    "swarm.pipeline.run",
    "swarm.pipeline.review",
]

_TYPES = (bool, int, float, str)
_REGISTRY: dict[str, Knob] = {}


@dataclass(frozen=True)
class Knob:
    """One declared knob: its type, default, documentation and the values it accepts."""

    name: str
    """Dotted, prefixed by the owning area (``scheduler.tick_s``)."""
    type: type
    """One of bool, int, float, str: what a command-line or TOML value is converted to."""
    default: Any
    doc: str
    """One line for ``swarm knobs``; the reason for the default sits in a comment beside it."""
    choices: tuple[Any, ...] | None = None
    """The only values accepted; None accepts any value of ``type``."""
    bounds: tuple[float | None, float | None] | None = None
    """Inclusive [low, high] of what is valid at all; None on a side leaves it open."""
    tunable: bool = False
    """The gym's tweaker may propose changes to it."""
    tune_bounds: tuple[float, float] | None = None
    """The narrower range the tweaker explores, inside ``bounds``; None means ``bounds``."""

    @property
    def search_range(self) -> tuple[float | None, float | None] | None:
        """Where the tweaker may move a numeric knob: ``tune_bounds``, else ``bounds``."""
        return self.tune_bounds or self.bounds

    def coerce(self, value: Any) -> Any:
        """Convert ``value`` (a string from the command line or a TOML value) and check it."""
        converted = _convert(self, value)
        self._check(converted)
        return converted

    def _check(self, value: Any) -> None:
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            raise KnobError(f"knob {self.name}={value!r} is not one of: {allowed}")
        if self.bounds is not None:
            low, high = self.bounds
            if (low is not None and value < low) or (high is not None and value > high):
                raise KnobError(f"knob {self.name}={value!r} is outside [{low}, {high}]")


def _convert(knob: Knob, value: Any) -> Any:
    kind = knob.type
    if isinstance(value, str) and kind is not str:
        return _parse_text(knob, value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if type(value) is not kind:
        raise KnobError(f"knob {knob.name} wants {kind.__name__}, got {value!r}")
    return value


def _parse_text(knob: Knob, text: str) -> Any:
    text = text.strip()
    if knob.type is bool:
        lowered = text.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise KnobError(f"knob {knob.name} wants true/false, got {text!r}")
    try:
        return knob.type(text)
    except ValueError:
        raise KnobError(f"knob {knob.name} wants {knob.type.__name__}, got {text!r}") from None


def register_knob(
    name: str,
    type: type,  # noqa: A002 - the documented keyword of the interface
    default: Any,
    doc: str,
    *,
    choices: Iterable[Any] | None = None,
    bounds: tuple[float | None, float | None] | None = None,
    tunable: bool = False,
    tune_bounds: tuple[float, float] | None = None,
) -> Knob:
    """Declare a knob; re-registering the same declaration (a module re-import) is a no-op.

    ``bounds`` are what is valid at all (tests use tiny time windows); ``tune_bounds``,
    when given, is the narrower range the gym's tweaker explores.
    """
    if type not in _TYPES:
        raise KnobError(f"knob {name}: type must be one of bool, int, float, str")
    knob = Knob(
        name,
        type,
        default,
        doc,
        tuple(choices) if choices is not None else None,
        bounds,
        tunable,
        tune_bounds,
    )
    knob._check(_convert(knob, default))
    existing = _REGISTRY.get(name)
    if existing is not None and existing != knob:
        raise KnobError(f"knob {name} is registered twice with different declarations")
    _REGISTRY[name] = knob
    return knob


def knob(name: str) -> Knob:
    """The declaration of one knob; ``KnobError`` names the unknown knob."""
    found = _REGISTRY.get(name)
    if found is None:
        _import_knob_modules()
        found = _REGISTRY.get(name)
    if found is None:
        raise KnobError(f"unknown knob {name!r} (see `swarm knobs` for the list)")
    return found


def all_knobs() -> dict[str, Knob]:
    """Every registered knob, sorted by name, after importing all knob-owning modules."""
    _import_knob_modules()
    return dict(sorted(_REGISTRY.items()))


def _import_knob_modules() -> None:
    for module in KNOB_MODULES:
        try:
            importlib.import_module(module)
        except ImportError:
            continue  # a module still being written must not break the registry


class Knobs:
    """Resolved knob values: defaults overridden by a file, then by command-line arguments."""

    def __init__(
        self, overrides: Mapping[str, Any] | None = None, sources: Mapping[str, str] | None = None
    ):
        self._values: dict[str, Any] = {}
        self._sources: dict[str, str] = {}
        for name, value in (overrides or {}).items():
            self._values[name] = knob(name).coerce(value)
            self._sources[name] = (sources or {}).get(name, "override")

    def get(self, name: str) -> Any:
        """The resolved value of ``name`` (its default unless overridden)."""
        if name in self._values:
            return self._values[name]
        return knob(name).default

    def source(self, name: str) -> str:
        """Where the value came from: ``default``, ``file``, ``cli`` or ``override``."""
        knob(name)
        return self._sources.get(name, "default")

    def overridden(self) -> dict[str, Any]:
        """Only the values set explicitly (by file, CLI or override), not the defaults."""
        return dict(self._values)

    def with_overrides(self, overrides: Mapping[str, Any], source: str = "override") -> Knobs:
        """A copy with more overrides applied on top."""
        values = {**self._values, **overrides}
        sources = {**self._sources, **{k: source for k in overrides}}
        return Knobs(values, sources)

    def as_dict(self) -> dict[str, Any]:
        """Every registered knob with its resolved value (what the report records)."""
        return {name: self.get(name) for name in all_knobs()}


def parse_knob_args(args: Iterable[str]) -> dict[str, Any]:
    """Parse ``["k=v", ...]`` into checked values; a malformed item is a one-line KnobError."""
    values: dict[str, Any] = {}
    for item in args:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise KnobError(f"knob argument {item!r} is not of the form name=value")
        values[name.strip()] = knob(name.strip()).coerce(text)
    return values


def load_knob_file(path: Path) -> dict[str, Any]:
    """Read a TOML knob file: dotted keys (``"scheduler.policy" = ...``) or nested tables."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnobError(f"cannot read knob file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KnobError(f"knob file {path} is not valid TOML: {exc}") from None
    flat = _flatten(data.get("knobs", data))
    return {name: knob(name).coerce(value) for name, value in flat.items()}


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def resolve_knobs(file: Path | None = None, args: Iterable[str] = ()) -> Knobs:
    """Defaults, then the knob file, then ``--knob`` arguments (the CLI's one call)."""
    from_file = load_knob_file(file) if file is not None else {}
    from_args = parse_knob_args(args)
    sources = {**{k: "file" for k in from_file}, **{k: "cli" for k in from_args}}
    return Knobs({**from_file, **from_args}, sources)
