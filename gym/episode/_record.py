"""The ledger's record of one planned episode."""

from __future__ import annotations

from gym.generator import EpisodePlan
from ledger import EpisodeRecord


def episode_record(
    plan: EpisodePlan, run_id: str, task: str, difficulty: int | None = None
) -> EpisodeRecord:
    """The ledger's record of one planned episode (``task`` may differ from the plan's)."""
    return EpisodeRecord(
        run_id=run_id,
        task=task,
        archetype=plan.archetype,
        persona=plan.persona,
        seed=plan.seed,
        difficulty=difficulty,
        generated=plan.invent,
    )
