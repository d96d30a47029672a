"""The ledger's record of one planned episode."""

from __future__ import annotations

from gym.generator import EpisodePlan
from ledger import EpisodeRecord


def episode_record(
    plan: EpisodePlan,
    run_id: str,
    task: str,
    difficulty: int | None = None,
    rejections: list[str] | None = None,
) -> EpisodeRecord:
    """The ledger's record of one planned episode (``task`` may differ from the plan's).

    ``rejections``: the inventions the self-test refused before this task, counted per episode.
    """
    return EpisodeRecord(
        run_id=run_id,
        task=task,
        archetype=plan.archetype,
        persona=plan.persona,
        seed=plan.seed,
        difficulty=difficulty,
        generated=plan.invent,
        invention_rejections=list(rejections or []),
    )
