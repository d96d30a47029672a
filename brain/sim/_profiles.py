"""Simulator profiles: the misbehaviours of small local models, each at a seeded rate.

A profile spec combines names with ``+`` and may give a rate per name::

    competent                 always does the job
    drifter+flaky             renames a cross-module function and sometimes returns 503s
    stubber:0.5+slow          stubs about half of all attempts' files; 5x slower

A behaviour is drawn at its rate on every attempt, seeded per attempt — a retry misbehaves
again as often as a first try, so simulated figures show what the defences cost. A ``rate``
option (the ``rate=`` query of a ``sim:`` URL) overrides every rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from brain._errors import ConfigError


@dataclass(frozen=True)
class Profile:
    """One behaviour the simulator can show, with the rate it shows it at by default."""

    name: str
    #: Share of eligible requests (0..1) that show the behaviour when the spec gives no rate.
    default_rate: float
    #: One line: what the behaviour looks like to a caller.
    doc: str


_ALL = (
    Profile("competent", 1.0, "writes the reference files through tool calls, then done"),
    Profile("narrator", 1.0, "explains in prose with zero tool calls at an attempt's opening"),
    Profile("fake-done", 1.0, "calls done with nothing written at an attempt's opening"),
    Profile("drifter", 1.0, "renames a cross-module function unless interfaces are frozen"),
    Profile("stubber", 1.0, "writes NotImplementedError bodies until told about stubs"),
    # Fault rates below 1: a fault on every request would only test the retry cap.
    Profile("staller", 0.3, "the stream goes silent (trips the idle watchdog)"),
    Profile("flaky", 0.3, "503 'model is unloaded', 500 or a dropped connection"),
    Profile("slow", 1.0, "answers at a fifth of the modelled speed"),
    # An inventor that miscomputes one golden value; below 1 so a retried invention can pass.
    Profile("wrong-golden", 0.3, "invents a task with one wrong golden value"),
)

#: Every known profile by name (iterating yields the names).
PROFILES: Mapping[str, Profile] = MappingProxyType({p.name: p for p in _ALL})

#: How much slower the ``slow`` profile answers.
SLOW_FACTOR = 5.0


@dataclass(frozen=True)
class ProfileMix:
    """A parsed profile spec: the active behaviours and the rate of each."""

    #: Behaviour name -> rate in 0..1, in spec order; never empty (``competent`` by default).
    rates: Mapping[str, float]

    @property
    def label(self) -> str:
        """The canonical spec text, e.g. ``drifter+flaky``."""
        return "+".join(self.rates)

    def rate(self, name: str) -> float:
        """The rate of behaviour ``name``; 0 when it is not part of the mix."""
        return self.rates.get(name, 0.0)


def _unknown(name: str) -> ConfigError:
    return ConfigError(f"unknown sim profile {name!r}; known: {', '.join(PROFILES)}")


def _parse_rate(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"bad sim rate {text!r} in {where!r}; use a number in 0..1") from None
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"bad sim rate {text!r} in {where!r}; use a number in 0..1")
    return value


def parse_profiles(spec: str, *, rate: float | None = None) -> ProfileMix:
    """Parse ``name[:rate][+name[:rate]...]``; ConfigError (one line) for an unknown name."""
    rates: dict[str, float] = {}
    for part in (p.strip() for p in (spec or "competent").split("+")):
        if not part:
            continue
        name, _, rate_text = part.partition(":")
        name = name.strip().lower()
        if name not in PROFILES:
            raise _unknown(name)
        value = _parse_rate(rate_text, spec) if rate_text else PROFILES[name].default_rate
        rates[name] = value
    if rate is not None:
        checked = _parse_rate(str(rate), spec)
        rates = {n: checked for n in rates}
    return ProfileMix(MappingProxyType(rates or {"competent": 1.0}))
