"""Find a turn's stored timeline artifact in the ledger and draw it."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ledger import ArtifactError, ArtifactRef, Ledger
from reports._figures import Figure
from reports.timeline._data import load_timeline
from reports.timeline._gantt import gantt_figure, gantt_id

#: The artifact kind the gym stores a turn's timeline under.
TIMELINE_KIND = "timeline"


def turn_gantts(
    ledger: Ledger, episode_id: str, artifacts: list[dict[str, Any]]
) -> dict[int, Figure]:
    """Turn number → its Gantt figure, for each turn with a readable timeline artifact."""
    out: dict[int, Figure] = {}
    for row in artifacts:
        if row.get("kind") != TIMELINE_KIND or row.get("turn") is None or pd.isna(row["turn"]):
            continue
        turn = int(row["turn"])
        ref = ArtifactRef(
            episode_id=episode_id,
            kind=TIMELINE_KIND,
            turn=turn,
            path=row["path"],
            sha256=row["sha256"],
            size=int(row["size"]),
        )
        try:
            data = load_timeline(ledger.artifact_path(ref))
        except ArtifactError:
            continue  # tampered or missing: the turn shows no chart, the report still builds
        if data is not None and data.attempts:
            out[turn] = gantt_figure(gantt_id(episode_id, turn), data)
    return out
