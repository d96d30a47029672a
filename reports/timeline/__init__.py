"""The per-turn Gantt timeline: the gym's stored ``swarm.timeline`` JSON drawn with plotly.

Public surface::

    load_timeline(path) -> TimelineData | None
    gantt_figure(fig_id, data) -> Figure          (div id prefix ``gantt-``: gantt_id)
    turn_gantts(ledger, episode_id, artifact_rows) -> {turn: Figure}
"""

from __future__ import annotations

from reports.timeline._attach import TIMELINE_KIND, turn_gantts
from reports.timeline._data import AttemptData, CallData, SpanData, TimelineData, load_timeline
from reports.timeline._gantt import gantt_figure, gantt_id

__all__ = [
    "TIMELINE_KIND",
    "AttemptData",
    "CallData",
    "SpanData",
    "TimelineData",
    "gantt_figure",
    "gantt_id",
    "load_timeline",
    "turn_gantts",
]
