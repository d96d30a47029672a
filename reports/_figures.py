"""Plotly figures for the report, serialised as inert JSON data blocks.

Figures are embedded as ``<script type="application/json">`` blocks (never executed) and
drawn by one small loader with the single embedded copy of plotly.js. Labels may carry
model-chosen text (task names, node names), so the JSON is escaped so that ``<``, ``>``
and ``&`` cannot close the block; plotly renders labels as text, not HTML.

Every figure autosizes to its box (no fixed width), category labels are short and wrapped
so a 420 px phone keeps most of the width for the plot, and categories are made unique
before plotly sees them: plotly draws two equal category labels as one bar.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder

from reports._cluster import NodeWork, Timeline
from reports._leaderboard import LeaderRow
from reports._quality import Breakdown
from reports._trend import TrendPoint

_LABEL = 60
#: Characters per line of a wrapped axis label: about 120 px, leaving a phone the rest.
_WRAP = 18


@dataclass
class Figure:
    """A figure ready for the template: a div id and its escaped JSON spec."""

    id: str
    title: str
    spec: str


def _short(text: str) -> str:
    return text if len(text) <= _LABEL else text[: _LABEL - 1] + "…"


def unique(labels: Sequence[str]) -> list[str]:
    """The labels, with ' #2', ' #3' added to repeats: plotly merges equal categories."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return out


def wrap(text: str, width: int = _WRAP) -> str:
    """Break a label into lines of about ``width`` characters (plotly's ``<br>``)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


@cache
def _template() -> dict[str, Any]:
    # Assigning a template to each figure deep-copies it (about 80 ms a figure); the JSON
    # form is attached once at serialisation instead.
    return pio.templates["plotly_white"].to_plotly_json()


def _new(data: Any = None) -> go.Figure:
    return go.Figure(data=data, layout={"template": "none"})


def _inert_json(spec: dict[str, Any]) -> str:
    text = json.dumps(spec, cls=PlotlyJSONEncoder)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _figure(fig_id: str, title: str, fig: go.Figure, height: int = 360) -> Figure:
    fig.update_layout(
        title=None, height=height, autosize=True, margin={"l": 10, "r": 10, "t": 30, "b": 10}
    )
    spec = fig.to_plotly_json()
    spec["layout"]["template"] = _template()
    return Figure(fig_id, title, _inert_json(spec))


def leaderboard_figure(fig_id: str, rows: Sequence[LeaderRow]) -> Figure:
    """Final pass rate per configuration (short label) with its 95% Wilson interval."""
    rates = [r.interval.rate for r in rows]
    names = unique([f"{r.rank_label}. {r.label or r.config}" for r in rows])
    wrapped = [wrap(n) for n in names]
    fig = _new(
        go.Bar(
            x=rates,
            y=wrapped,
            orientation="h",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [r.interval.high - r.interval.rate for r in rows],
                "arrayminus": [r.interval.rate - r.interval.low for r in rows],
            },
            hovertext=[r.definition or r.config for r in rows],
        )
    )
    fig.update_xaxes(range=[0, 1], title="final pass rate, last graded turn (95% Wilson)")
    fig.update_yaxes(autorange="reversed", automargin=True)
    lines = sum(w.count("<br>") + 1 for w in wrapped)
    return _figure(
        fig_id,
        "Final pass rate by configuration (each episode's last graded turn)",
        fig,
        130 + 22 * lines + 10 * len(rows),
    )


def breakdown_figure(fig_id: str, data: Breakdown) -> Figure:
    """Heatmap of mean dimension scores (rows: archetype or persona)."""
    z = [[data.means.get((g, d)) for d in data.dimensions] for g in data.groups]
    fig = _new(
        go.Heatmap(
            z=z,
            x=data.dimensions,
            y=[_short(g) for g in data.groups],
            zmin=0,
            zmax=1,
            colorscale="RdYlGn",
        )
    )
    fig.update_yaxes(automargin=True)
    return _figure(
        fig_id,
        f"Mean score by {data.by} (each episode's last graded turn)",
        fig,
        140 + 30 * len(data.groups),
    )


def trend_figure(fig_id: str, points: Sequence[TrendPoint]) -> Figure:
    """Pass rate per run over time, one line per series, regressions as red crosses."""
    fig = _new()
    all_series = list(dict.fromkeys(p.series for p in points))
    for series, name in zip(all_series, unique([_short(s) for s in all_series]), strict=True):
        pts = [p for p in points if p.series == series]
        fig.add_trace(
            go.Scatter(
                x=[p.started_at for p in pts],
                y=[p.interval.rate for p in pts],
                mode="lines+markers",
                name=name,
                hovertext=[p.run_id for p in pts],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [p.interval.high - p.interval.rate for p in pts],
                    "arrayminus": [p.interval.rate - p.interval.low for p in pts],
                },
            )
        )
    bad = [p for p in points if p.regression]
    fig.add_trace(
        go.Scatter(
            x=[p.started_at for p in bad],
            y=[p.interval.rate for p in bad],
            mode="markers",
            name="regression",
            marker={"symbol": "x", "size": 14, "color": "#c0392b"},
            hovertext=[p.run_id for p in bad],
        )
    )
    fig.update_yaxes(range=[0, 1.05], title="final pass rate")
    # The legend below the plot, not beside it: beside it, it takes a phone's whole width.
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "yanchor": "top"})
    return _figure(fig_id, "Final pass rate over runs (each episode's last graded turn)", fig, 420)


def cluster_figure(fig_id: str, work: Sequence[NodeWork]) -> Figure:
    """Busy seconds and dispatch counts per node."""
    names = unique([_short(w.node) for w in work])
    fig = _new(
        [
            go.Bar(x=names, y=[w.busy_ms / 1000 for w in work], name="busy s", offsetgroup="busy"),
            go.Bar(
                x=names,
                y=[w.dispatched for w in work],
                name="dispatched",
                yaxis="y2",
                offsetgroup="dispatched",
            ),
        ]
    )
    fig.update_layout(
        barmode="group",
        yaxis={"title": "busy s"},
        yaxis2={"title": "dispatched", "overlaying": "y", "side": "right"},
    )
    return _figure(fig_id, "Work per node", fig)


_OUTCOME_COLORS = {
    "done": "#27ae60",
    "retry": "#e67e22",
    "failed": "#c0392b",
    "unfinished": "#7f8c8d",
}


def gantt_figure(fig_id: str, timeline: Timeline) -> Figure:
    """Tasks per device over the turn's wall time (seconds from its first event)."""
    fig = _new()
    for outcome, color in _OUTCOME_COLORS.items():
        bars = [b for b in timeline.bars if b.outcome == outcome]
        if bars:
            fig.add_trace(
                go.Bar(
                    y=[_short(b.device) for b in bars],
                    x=[max(b.end_s - b.start_s, 0.01) for b in bars],
                    base=[b.start_s for b in bars],
                    orientation="h",
                    name=outcome,
                    marker={"color": color},
                    text=[_short(b.task_id) for b in bars],
                    textposition="inside",
                    hovertext=[b.task_id for b in bars],
                )
            )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title="seconds since the turn's first event")
    devices = len({b.device for b in timeline.bars})
    return _figure(fig_id, "Timeline of tasks per device", fig, 140 + 40 * devices)
