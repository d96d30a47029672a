"""``gym triage`` as text for a terminal: classes found, their traces, per-version rates."""

from __future__ import annotations

from reports.triage import Triage

#: Hits listed per class in text (the JSON carries more).
TEXT_HITS = 5


def triage_lines(result: Triage) -> list[str]:
    """The triage as lines: found classes first, then the ones not detectable."""
    lines = [f"triage of {len(result.runs)} run(s), {result.episodes} finished episode(s)"]
    found = result.found()
    if not found:
        lines.append("no failure class found")
    for cls in found:
        lines.append(f"{cls.title}: {cls.count} episode(s), {cls.occurrences} piece(s) of evidence")
        for rate in cls.rates:
            lines.append(
                f"  rate @ {rate.version}: {rate.rate:.0%} [{rate.low:.0%}, {rate.high:.0%}] "
                f"({rate.with_class}/{rate.episodes})"
            )
        for hit in cls.hits[:TEXT_HITS]:
            lines.append(f"  episode {hit.episode_id} turn {hit.turn}: {hit.detail}")
            lines += [f"    {t.kind}: {t.where()}" for t in hit.traces]
    silent = [c.title for c in result.classes if not c.detectable]
    if silent:
        lines.append(f"not detectable from recorded evidence: {', '.join(silent)}")
    return lines
