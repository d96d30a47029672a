"""Triage for a person: ``gym triage`` over recorded runs (the analysis is reports.triage).

Behavioural and code reds get no automatic fix; this groups them into failure classes with
the traces to read, and their rate per swarm code version.
"""

from __future__ import annotations

from gym.triage._resolve import resolve_runs
from gym.triage._text import triage_lines

__all__ = ["resolve_runs", "triage_lines"]
