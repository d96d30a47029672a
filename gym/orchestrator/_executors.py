"""Where episodes run: a small protocol and a registry of executors.

``local`` plays each episode in this process's event loop (``gym run``'s behaviour since
the start). ``ray`` sends each episode to a Ray cluster as a task and replays what it
recorded into the driver's ledger (see ``_ray_executor``). The orchestrator only ever
calls :meth:`EpisodeExecutor.run`; the semaphore in front of it stays the driver's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from gym.config import GymConfig
from gym.episode import EpisodeContext, EpisodeResult, run_episode
from gym.errors import GymConfigError
from gym.generator import EpisodePlan


class EpisodeExecutor(Protocol):
    """Plays one episode to its end and leaves it recorded in ``ctx.ledger``."""

    async def run(self, plan: EpisodePlan, ctx: EpisodeContext) -> EpisodeResult:
        """Play ``plan``; CancelledError after recording it interrupted."""
        ...

    def close(self) -> None:
        """Release what the executor holds (a Ray instance it started)."""
        ...


class LocalExecutor:
    """Episodes run as coroutines of this process, writing the ledger as they go."""

    async def run(self, plan: EpisodePlan, ctx: EpisodeContext) -> EpisodeResult:
        """Play ``plan`` here."""
        return await run_episode(plan, ctx)

    def close(self) -> None:
        """Nothing to release."""


def _local(config: GymConfig) -> EpisodeExecutor:
    return LocalExecutor()


def _ray(config: GymConfig) -> EpisodeExecutor:
    if config.from_kept:
        raise GymConfigError(
            "--from-kept needs --executor local: kept apps live on the driver's disk"
        )
    try:
        from gym.orchestrator._ray_executor import RayExecutor
    except ImportError as exc:
        raise GymConfigError(
            f"--executor ray needs the ray extra ({exc.name or 'ray'} is not installed): "
            "pip install 'swarm-gym[ray]'"
        ) from None
    return RayExecutor.connect(config)


#: Executor name -> factory; the factory raises GymConfigError when it cannot start.
EXECUTORS: dict[str, Callable[[GymConfig], EpisodeExecutor]] = {"local": _local, "ray": _ray}


@contextmanager
def open_executor(config: GymConfig) -> Iterator[EpisodeExecutor]:
    """The configured executor, closed on the way out."""
    factory = EXECUTORS.get(config.executor)
    if factory is None:
        raise GymConfigError(f"unknown executor {config.executor!r}; known: {', '.join(EXECUTORS)}")
    executor = factory(config)
    try:
        yield executor
    finally:
        executor.close()
