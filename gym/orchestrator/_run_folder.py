"""The run folder ``<gym_dir>/runs/<run_id>/``: saved config and plans, per-episode files.

The saved plans are what make ``--resume`` exact: a resumed run replays the same
episodes, keyed by their distinct seeds, and skips the ones the ledger records as
complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from gym.config import GymConfig
from gym.errors import GymConfigError
from gym.generator import EpisodePlan
from gym.runner import kill_orphan
from ledger import EpisodeStatus, Ledger

_PLANS = TypeAdapter(list[EpisodePlan])
#: Episodes in these states are complete and are not re-run by --resume.
COMPLETE = (EpisodeStatus.FINISHED, EpisodeStatus.ERROR)


def run_dir(gym_dir: Path, run_id: str) -> Path:
    """Where a run keeps its files."""
    return gym_dir / "runs" / run_id


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def save_run(folder: Path, config: GymConfig, plans: list[EpisodePlan]) -> None:
    """Write config.json and plans.json (atomically: a kill never leaves half a plan)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomic(folder / "config.json", config.model_dump_json(indent=2))
    _write_atomic(folder / "plans.json", _PLANS.dump_json(plans, indent=2).decode())


def load_run(folder: Path) -> tuple[GymConfig, list[EpisodePlan]]:
    """Read back a run's config and plans; GymConfigError when the run cannot be resumed."""
    try:
        config = GymConfig.model_validate_json((folder / "config.json").read_text("utf-8"))
        plans = _PLANS.validate_json((folder / "plans.json").read_text("utf-8"))
    except FileNotFoundError:
        raise GymConfigError(f"cannot resume: no saved run at {folder}") from None
    except (OSError, ValidationError) as exc:
        raise GymConfigError(f"cannot resume {folder}: {str(exc).splitlines()[0]}") from None
    return config, plans


def pending_plans(ledger: Ledger, run_id: str, plans: list[EpisodePlan]) -> list[EpisodePlan]:
    """Plans with no complete episode in the ledger; stale 'started' rows are closed.

    A harness killed with SIGKILL leaves episodes 'started' and maybe a swarm still
    running in its own process group: that swarm is killed before its episode re-runs.
    """
    views = ledger.episodes(run_id)
    complete = {v.seed for v in views if v.status in COMPLETE}
    for view in views:
        if view.status == EpisodeStatus.STARTED:
            ledger.finish_episode(view.id, EpisodeStatus.INTERRUPTED)
    folder = run_dir(ledger.gym_dir, run_id)
    for pid_file in folder.glob("episodes/*/swarm.pid"):
        kill_orphan(pid_file)
    return [p for p in plans if p.seed not in complete]


def write_summary(folder: Path, summary: Mapping[str, object]) -> Path:
    """Write summary.json in the run folder and return its path."""
    path = folder / "summary.json"
    _write_atomic(path, json.dumps(summary, indent=2))
    return path
