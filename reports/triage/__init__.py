"""Triage for a person: behavioural and code findings grouped into failure classes, each
with its episodes, the exact traces to read, and its rate per swarm code version.

It scales with the ledger: the evidence of all triaged runs is read in a few bulk queries,
and trace references (which open stored artifacts) are built only for the hits a class
lists (``MAX_HITS``); the rest are counted, and the report says how many more there are."""

from __future__ import annotations

from reports.triage._classes import CLASSES, EventRule, FailureClass, failure_class
from reports.triage._collect import Hit, TraceRef, episode_hits, run_version
from reports.triage._report import ClassTriage, Triage, VersionRate, triage
from reports.triage._section import triage_section

__all__ = [
    "CLASSES",
    "ClassTriage",
    "episode_hits",
    "EventRule",
    "failure_class",
    "FailureClass",
    "Hit",
    "run_version",
    "TraceRef",
    "triage",
    "Triage",
    "triage_section",
    "VersionRate",
]
