"""An A/B experiment as the report shows it: a table of its endpoints and a decision in words.

The tweaker stores flat statistics (``pass_rate_a``, ``pass_rate_p_holm``, ``mde_pass_rate``
...). Here they become rows a reader can scan and one sentence that says what was decided
and how sure the test was, instead of a dump of keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Endpoint prefixes the tweaker records, and how the report names them.
ENDPOINTS = {"pass_rate": "pass rate", "mean_score": "mean score (deterministic dimensions)"}
_SUFFIXES = ("a", "b", "delta", "p", "p_holm")
_DECISIONS = {
    "adopt": "Adopted: arm B's knobs did significantly better than arm A",
    "reject": "Rejected: arm B's knobs were not better, arm A's are kept",
    "inconclusive": "Inconclusive: the test could not tell the arms apart, nothing changes",
}


@dataclass
class EndpointRow:
    """One measured endpoint of an experiment, arm A against arm B."""

    name: str
    a: float | None
    b: float | None
    delta: float | None
    p: float | None
    p_holm: float | None


@dataclass
class ExperimentView:
    """The readable form of one experiment's recorded statistics."""

    #: Endpoint rows (pass rate, mean score) in a fixed order.
    rows: list[EndpointRow]
    #: One sentence: decision, why, how many pairs and what was detectable.
    sentence: str
    #: Remaining recorded facts as (label, text), e.g. the tests used.
    notes: list[tuple[str, str]] = field(default_factory=list)


def experiment_view(decision: str, statistics: dict[str, Any]) -> ExperimentView:
    """Turn a recorded decision and its flat statistics into a table and a sentence."""
    stats = dict(statistics)
    rows = [
        EndpointRow(name, *(stats.pop(f"{key}_{s}", None) for s in _SUFFIXES))
        for key, name in ENDPOINTS.items()
        if f"{key}_a" in stats or f"{key}_delta" in stats
    ]
    sentence = _sentence(decision, stats)
    notes = [(_label(k), _text(v)) for k, v in stats.items()]
    return ExperimentView(rows, sentence, notes)


def _sentence(decision: str, stats: dict[str, Any]) -> str:
    head = _DECISIONS.get(decision, f"Decision recorded as {decision!r}")
    parts = [head]
    reason = stats.pop("reason", None)
    if reason:
        parts.append(f"({reason})")
    pairs, unpaired = stats.pop("pairs", None), stats.pop("unpaired", None)
    alpha = stats.pop("alpha", None)
    if pairs is not None:
        tail = f" ({unpaired} unpaired left out)" if unpaired else ""
        level = f" at α={alpha}" if alpha is not None else ""
        parts.append(f"— {pairs} paired episodes{tail}, tested{level}.")
    mde = stats.pop("mde_pass_rate", "absent")
    if mde is None:
        parts.append("With so few pairs no pass-rate change could have been detected.")
    elif mde != "absent":
        parts.append(f"The smallest pass-rate change it could detect was {float(mde):.0%}.")
    return " ".join(parts)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _text(value: Any) -> str:
    return "—" if value is None else str(value)
