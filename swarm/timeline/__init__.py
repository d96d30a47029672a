"""Where a run's wall time goes: a per-phase, per-device timeline built from its event log.

``swarm timeline WORKDIR [--json]`` prints it; the gym stores it per turn and the report
draws it as a Gantt chart. :func:`phase` is how the pipeline marks its phases;
:func:`project` stretches model time to a real speed for the build benchmark. A log that
cannot be read is a :class:`ReportError` (re-exported from ``swarm.errors``).
"""

from __future__ import annotations

from swarm.errors import ReportError
from swarm.timeline._build import build_timeline, latest_event_log, timeline_for
from swarm.timeline._figures import Figures, figures
from swarm.timeline._model import Attempt, ModelCall, Span, Timeline
from swarm.timeline._phases import PHASES, phase
from swarm.timeline._project import project
from swarm.timeline._render import render_text

__all__ = [
    "PHASES",
    "ReportError",
    "Attempt",
    "Figures",
    "ModelCall",
    "Span",
    "Timeline",
    "build_timeline",
    "figures",
    "latest_event_log",
    "phase",
    "project",
    "render_text",
    "timeline_for",
]
