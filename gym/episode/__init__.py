"""One episode: a persona asks, the swarm builds, the verifier grades — turn after turn.

Where the episode starts (a kept green app, a seed codebase or nothing), each turn's spec,
the simulated user's next move, grading hand-off and the ledger records.
"""

from __future__ import annotations

from gym.episode._episode import (
    EpisodeContext,
    EpisodeResult,
    Outcome,
    ProgressSink,
    run_episode,
)
from gym.episode._grading import TurnGrade, grade_turn
from gym.episode._kept import KeptApp, KeptApps
from gym.episode._record import episode_record
from gym.episode._start import Start, prepare_workdir, resolve_start
from gym.episode._user import next_stage

__all__ = [
    "episode_record",
    "EpisodeContext",
    "EpisodeResult",
    "grade_turn",
    "KeptApp",
    "KeptApps",
    "next_stage",
    "Outcome",
    "prepare_workdir",
    "ProgressSink",
    "resolve_start",
    "run_episode",
    "Start",
    "TurnGrade",
]
