"""The per-device Gantt chart of one turn: phases, gates, each device's attempts and calls.

Lanes from the top: the pipeline's phases, the gates, then one lane per device whose
attempts are wide bars (coloured by outcome) with that device's model calls drawn as
narrow dark bars inside them — the gaps are the non-model time (tools, sandbox, engine).
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from reports._figures import Figure, _figure
from reports.timeline._data import TimelineData

_PHASE_COLORS = {
    "scout": "#8e44ad",
    "plan": "#2980b9",
    "detail": "#16a085",
    "contracts": "#d35400",
    "build": "#27ae60",
    "sink": "#c0392b",
    "gates": "#7f8c8d",
}
_STATUS_COLORS = {"done": "#a9dfbf", "retry": "#f5cba7", "failed": "#f5b7b1"}
_LABEL = 40
PHASES_LANE, GATES_LANE = "phases", "gates"


def _short(text: str) -> str:
    return text if len(text) <= _LABEL else text[: _LABEL - 1] + "…"


def gantt_id(*parts: object) -> str:
    """A stable, HTML-safe div id: ``gantt-`` and the parts, other characters dropped."""
    return "gantt-" + "-".join(re.sub(r"[^A-Za-z0-9_]", "", str(p)) for p in parts)


def _bars(y: list[str], start: list[float], end: list[float], **style: object) -> go.Bar:
    return go.Bar(
        y=y,
        x=[max(e - s, 0.001) for s, e in zip(start, end, strict=True)],
        base=start,
        orientation="h",
        **style,
    )


def _phase_traces(data: TimelineData) -> list[go.Bar]:
    traces = []
    for name in dict.fromkeys(p.name for p in data.phases):
        spans = [p for p in data.phases if p.name == name]
        color = _PHASE_COLORS.get(name, "#34495e")
        traces.append(
            _bars(
                [PHASES_LANE] * len(spans),
                [p.start for p in spans],
                [p.end for p in spans],
                name=_short(name),
                marker={"color": color},
                text=[_short(name)] * len(spans),
                textposition="inside",
            )
        )
    if data.gates:
        traces.append(
            _bars(
                [GATES_LANE] * len(data.gates),
                [g.start for g in data.gates],
                [g.end for g in data.gates],
                name="gates",
                marker={"color": "#95a5a6"},
                text=[_short(f"{g.name}: {g.status}") for g in data.gates],
                textposition="inside",
                showlegend=False,
            )
        )
    return traces


def _device_traces(data: TimelineData) -> list[go.Bar]:
    traces = []
    for status in dict.fromkeys(a.status for a in data.attempts):
        mine = [a for a in data.attempts if a.status == status]
        hover = [
            _short(
                f"{a.task_id}#{a.attempt} {a.status}: model {a.model_s:.1f}s, "
                f"non-model {a.non_model_s:.1f}s, {a.calls} calls, {a.tokens} tokens"
            )
            for a in mine
        ]
        traces.append(
            _bars(
                [_short(a.device) for a in mine],
                [a.start for a in mine],
                [a.end for a in mine],
                name=_short(f"attempt {status}"),
                marker={"color": _STATUS_COLORS.get(status, "#d5d8dc")},
                text=[_short(a.task_id) for a in mine],
                textposition="inside",
                hovertext=hover,
                width=0.8,
            )
        )
    if data.calls:
        calls = data.calls
        traces.append(
            _bars(
                [_short(c.device) for c in calls],
                [c.start for c in calls],
                [c.end for c in calls],
                name="model call",
                marker={"color": "#1b2631"},
                width=0.25,
                hovertext=[f"{c.prompt_tokens}+{c.completion_tokens} tokens" for c in calls],
            )
        )
    return traces


def gantt_figure(fig_id: str, data: TimelineData) -> Figure:
    """The Gantt chart of one turn (seconds since its first event; projected when labelled)."""
    fig = go.Figure(data=_phase_traces(data) + _device_traces(data), layout={"template": "none"})
    lanes = [PHASES_LANE, GATES_LANE] + [_short(d) for d in data.devices]
    fig.update_layout(
        barmode="overlay", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"}
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(lanes)))
    fig.update_xaxes(title=f"seconds since the turn's first event ({data.label})")
    title = f"Timeline per phase and device ({data.label}, wall {data.wall_s:.1f} s)"
    return _figure(fig_id, title, fig, 160 + 36 * len(lanes))
