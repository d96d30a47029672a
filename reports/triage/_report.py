"""A triage of one or more runs: each failure class with its count, episodes, traces and
its rate per swarm code version (Wilson 95% interval), so a fix shows as a falling rate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, Field

from ledger import Ledger
from reports._stats import wilson
from reports.triage._classes import CLASSES, FailureClass
from reports.triage._collect import Hit, Lead, collect_leads, run_version
from reports.triage._index import finished_evidence

#: Trace references listed per class (the rest are counted, not listed).
MAX_HITS = 25


class VersionRate(BaseModel):
    """A class's rate in the episodes of one code version."""

    version: str
    episodes: int = Field(description="Finished episodes of this version (the denominator).")
    with_class: int = Field(description="Of them, episodes that show the class.")
    rate: float
    low: float = Field(description="Wilson 95% interval, low end.")
    high: float = Field(description="Wilson 95% interval, high end.")


class ClassTriage(BaseModel):
    """One failure class over the triaged runs."""

    name: str
    title: str
    detectable: bool
    sources: str = Field(description="The findings and events it is read from.")
    count: int = Field(description="Episodes that show it.")
    occurrences: int = Field(description="Pieces of evidence (findings and events).")
    episodes: list[str] = Field(default_factory=list)
    hits: list[Hit] = Field(default_factory=list, description=f"The first {MAX_HITS} hits.")
    rates: list[VersionRate] = Field(default_factory=list)


class Triage(BaseModel):
    """The triage of some runs."""

    runs: list[str]
    versions: dict[str, str] = Field(description="Run id -> swarm code version.")
    episodes: int
    classes: list[ClassTriage]

    def found(self) -> list[ClassTriage]:
        """The classes with at least one episode."""
        return [c for c in self.classes if c.count]


def triage(ledger: Ledger, run_ids: Sequence[str]) -> Triage:
    """Triage these runs (finished episodes only: an unfinished one has no fair denominator).

    The evidence is read in bulk; trace references are built (and their artifacts opened)
    only for the hits a class lists.
    """
    versions = {r: run_version(ledger.run(r)) for r in run_ids}
    episodes = finished_evidence(ledger, run_ids)
    per_version: dict[str, set[str]] = defaultdict(set)
    for ep in episodes:
        per_version[versions[ep.run_id]].add(ep.episode_id)
    by_class: dict[str, list[Lead]] = defaultdict(list)
    for lead in collect_leads(ledger, episodes):
        by_class[lead.failure_class].append(lead)
    total = sum(len(v) for v in per_version.values())
    classes = [_one(c, by_class[c.name], per_version) for c in CLASSES]
    return Triage(runs=list(run_ids), versions=versions, episodes=total, classes=classes)


def _one(cls: FailureClass, mine: list[Lead], per_version: dict[str, set[str]]) -> ClassTriage:
    episodes = sorted({lead.episode_id for lead in mine})
    rates = []
    for version, eps in sorted(per_version.items()):
        k = len(eps.intersection(episodes))
        interval = wilson(k, len(eps))
        rates.append(
            VersionRate(
                version=version,
                episodes=len(eps),
                with_class=k,
                rate=round(interval.rate, 4),
                low=round(interval.low, 4),
                high=round(interval.high, 4),
            )
        )
    return ClassTriage(
        name=cls.name,
        title=cls.title,
        detectable=cls.detectable,
        sources=cls.describe(),
        count=len(episodes),
        occurrences=len(mine),
        episodes=episodes,
        hits=[lead.hit() for lead in mine[:MAX_HITS]],
        rates=rates if cls.detectable else [],
    )
