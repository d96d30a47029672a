"""Short, unique configuration labels that lead with what differs, and their legend.

A configuration key (``fleet | knobs``) is a wall of URLs; two configurations differing by one
knob used to share a cut-off prefix, and plotly merged them into one bar. A label here is
built from the facets that *differ* between the configurations shown together: the model
first, then the knobs whose values differ (``policy=critical_path``), then the fleet (its
endpoints) when only the fleet tells them apart. Labels are unique by construction; the
legend maps each back to its full definition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

#: Longest label before it is shortened (uniqueness is restored after cutting).
MAX_LABEL = 40
#: Which facets a group key pins down: a ``model`` group may mix knobs and fleets.
FACETS = {
    "config": ("model", "knobs", "fleet"),
    "model": ("model",),
    "fleet": ("model", "fleet"),
    "knobs": ("knobs",),
}


@dataclass
class ConfigLabel:
    """One configuration's short label and its full definition."""

    #: The group key as the data has it (e.g. ``fleet | knobs``).
    key: str
    #: Short unique label, leading with what differs.
    short: str
    #: The fleet's models, '+'-joined.
    model: str
    #: Every node as model@url x weight.
    fleet: str
    #: Non-default knobs as k=v, or ``defaults``.
    knobs: str

    @property
    def definition(self) -> str:
        """The full definition on one line (for a tooltip)."""
        return f"model {self.model} · fleet {self.fleet} · knobs {self.knobs}"


@dataclass
class Labels:
    """Labels of every configuration shown together, in key order."""

    items: list[ConfigLabel] = field(default_factory=list)
    #: The facets that told the configurations apart (model, knobs, fleet), in label order.
    differing: list[str] = field(default_factory=list)

    def short(self, key: str) -> str:
        """The short label of ``key`` (the key itself when unknown)."""
        return next((i.short for i in self.items if i.key == key), key)

    def get(self, key: str) -> ConfigLabel | None:
        """The label of ``key``, or None."""
        return next((i for i in self.items if i.key == key), None)

    def mapping(self) -> dict[str, str]:
        """key -> short label."""
        return {i.key: i.short for i in self.items}


def config_labels(runs: pd.DataFrame, group_by: str) -> Labels:
    """Label every distinct ``runs[group_by]`` value from its first run's record."""
    facets = FACETS.get(group_by, ("model", "knobs", "fleet"))
    firsts = runs.drop_duplicates(group_by).sort_values(group_by)
    specs = {str(k): _facets(rec) for k, rec in zip(firsts[group_by], firsts.record, strict=True)}
    if group_by == "knobs" or group_by == "model":  # the key itself is the one facet
        for key, spec in specs.items():
            spec["model" if group_by == "model" else "knobs_text"] = key
    differing = _differing(specs, facets)
    shorts = _unique({k: _short(spec, differing) for k, spec in specs.items()})
    items = [
        ConfigLabel(k, shorts[k], s["model"], s["fleet"], s["knobs_text"]) for k, s in specs.items()
    ]
    return Labels(items, [d for d in ("model", "knobs", "fleet") if d in differing])


def _facets(record: Any) -> dict[str, Any]:
    record = record if isinstance(record, dict) else {}
    nodes = record.get("fleet") or []
    knobs = record.get("knobs") or {}
    return {
        "model": "+".join(sorted({n.get("model") or n.get("url", "?") for n in nodes}))
        or "(no fleet)",
        "fleet": ", ".join(
            f"{n.get('model') or '?'}@{n.get('url', '?')}x{n.get('weight', 1)}" for n in nodes
        )
        or "(no fleet)",
        "endpoints": "+".join(f"{_host(n.get('url', '?'))}x{n.get('weight', 1)}" for n in nodes),
        "knobs": {str(k): json.dumps(v) for k, v in knobs.items()},
        "knobs_text": " ".join(f"{k}={json.dumps(v)}" for k, v in sorted(knobs.items()))
        or "defaults",
    }


def _host(url: str) -> str:
    """``host:port`` of an endpoint URL (``sim:competent`` stays as it is)."""
    parts = urlsplit(url)
    return parts.netloc or url


def _differing(specs: dict[str, dict[str, Any]], facets: tuple[str, ...]) -> dict[str, Any]:
    """Facet -> what differs: True for model/fleet, the differing knob names for knobs."""
    out: dict[str, Any] = {}
    if "model" in facets and len({s["model"] for s in specs.values()}) > 1:
        out["model"] = True
    if "knobs" in facets:
        names = sorted({k for s in specs.values() for k in s["knobs"]})
        diff = [k for k in names if len({s["knobs"].get(k) for s in specs.values()}) > 1]
        if diff:
            out["knobs"] = diff
    if "fleet" in facets and not out and len({s["fleet"] for s in specs.values()}) > 1:
        out["fleet"] = True  # only when model and knobs do not already tell them apart
    return out


def _short(spec: dict[str, Any], differing: dict[str, Any]) -> str:
    parts = []
    if "model" in differing or not differing:
        parts.append(spec["model"])
    for name in differing.get("knobs", []):
        parts.append(f"{name}={_knob_value(spec['knobs'].get(name))}")
    if "fleet" in differing:
        parts.append(f"fleet {spec['endpoints']}")
    if not differing and spec["knobs"]:
        parts.append(f"{len(spec['knobs'])} knob{'s' if len(spec['knobs']) > 1 else ''} set")
    return " · ".join(parts)


def _knob_value(text: str | None) -> str:
    if text is None:
        return "default"
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, str) else text


def _unique(shorts: dict[str, str]) -> dict[str, str]:
    """Cut long labels, then number any that still collide: plotly merges equal categories."""
    cut = {k: v if len(v) <= MAX_LABEL else v[: MAX_LABEL - 1] + "…" for k, v in shorts.items()}
    seen: dict[str, int] = {}
    out = {}
    for key, label in cut.items():
        seen[label] = seen.get(label, 0) + 1
        out[key] = label if seen[label] == 1 else f"{label} #{seen[label]}"
    if len(set(out.values())) != len(out):  # a '#2' that already existed: number everything
        out = {k: f"C{n} {v}" for n, (k, v) in enumerate(out.items(), start=1)}
    return out
