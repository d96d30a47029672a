"""Reviews of the swarm's own work, run on slots no task wants: the LLM in-flight judge
(advisory verdicts about live workers) and idle-node pre-review (findings about finished
subtasks, handed to the integrate-verify sink). Each is behind its own knob
(``judge.llm.enabled``, ``prereview.enabled``); ``ReviewSideWork`` offers both to the
scheduler as side calls.
"""

from __future__ import annotations

from swarm.pipeline.review._judge import LlmJudge, LlmJudgeSettings, SemanticVerdict, to_verdict
from swarm.pipeline.review._prereview import (
    FindingsSink,
    PreReviewer,
    PreReviewReport,
    PreReviewSettings,
    ReviewFinding,
)
from swarm.pipeline.review._side import ReviewSideWork, build_side_work

__all__ = [
    "FindingsSink",
    "LlmJudge",
    "LlmJudgeSettings",
    "PreReviewReport",
    "PreReviewSettings",
    "PreReviewer",
    "ReviewFinding",
    "ReviewSideWork",
    "SemanticVerdict",
    "build_side_work",
    "to_verdict",
]
