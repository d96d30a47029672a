"""The ``ray`` executor: each episode is a Ray task; the driver keeps the ledger.

A worker gets everything it needs by value (the config, the plan, the task's folder as a
tar.gz) and assumes nothing of the driver's filesystem: it plays the episode in a temp
dir against a :class:`ledger.RecordingLedger` and its own brain transport (node URLs
work the same everywhere), then ships back the recording and the episode's folder
(specs, swarm output, timelines; never the workdir or a pid file). The driver replays the
recording into the one real ledger under the key ``<run>/<episode index>/<attempt>``, so
it lands exactly once; a worker or node lost mid-episode is retried by Ray
(``max_retries``), and one lost for good is recorded as an infrastructure error.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import socket
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import ray
from ray.exceptions import RayError

from brain import parse_node_spec, transport_for
from gym.config import GymConfig
from gym.episode import EpisodeContext, EpisodeResult, Outcome, episode_record, run_episode
from gym.errors import GymConfigError
from gym.generator import EpisodePlan
from ledger import EpisodeStatus, Recording, RecordingLedger
from verifier import Task, load_task

#: Ray retries an episode whose worker or node died this many times (not one that raised).
MAX_RETRIES = 3
#: Bytes of an episode's folder shipped back; a larger one stays behind (the ledger has it all).
FOLDER_CAP = 64 * 1024 * 1024
#: Files of the episode folder that mean something only on the machine that wrote them.
_LOCAL_ONLY = ("work", "swarm.pid")
#: Seconds a cancelled episode gets to stop its swarm (the swarm's own SIGINT grace fits).
CANCEL_GRACE_S = 30.0
#: Seconds a cluster address gets to accept a connection before the run is refused.
CONNECT_TIMEOUT_S = 5.0
#: The prefix of each episode task's name (a worker running one shows ``ray::<name>``).
TASK_NAME = "gym-episode"


@dataclass(frozen=True)
class EpisodeBundle:
    """What a worker needs to play one episode, all by value."""

    config: GymConfig
    run_id: str
    plan: EpisodePlan
    #: The plan's task folder as tar.gz; None when the brain invents the task.
    task_tree: bytes | None


@dataclass
class Shipped:
    """What a worker sends back."""

    result: EpisodeResult
    recording: Recording
    #: The episode's folder as tar.gz (b'' when over FOLDER_CAP).
    folder: bytes


class RayExecutor:
    """Sends episodes to a Ray cluster and replays each into the driver's ledger."""

    def __init__(self, config: GymConfig, *, owns_ray: bool):
        self._num_cpus = config.ray_num_cpus
        self._owns_ray = owns_ray
        self._trees: dict[str, bytes] = {}

    @classmethod
    def connect(cls, config: GymConfig) -> RayExecutor:
        """Join the configured cluster (or start a private local one); GymConfigError if not."""
        if ray.is_initialized():  # the caller started Ray (tests, notebooks): use it, keep it
            return cls(config, owns_ray=False)
        private = config.ray_address is None
        if not private:
            _check_reachable(config.ray_address or "")
        # 'local' starts a fresh instance even when `ray start` left one on this machine; it
        # listens on the loopback only (a private instance serves this run alone).
        loopback = {"_node_ip_address": "127.0.0.1"} if private else {}
        try:
            ray.init(
                address="local" if private else config.ray_address,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
                **loopback,
            )
        except (ConnectionError, ValueError, RuntimeError) as exc:
            where = config.ray_address or "a local instance"
            raise GymConfigError(f"cannot start Ray ({where}): {_one_line(exc)}") from None
        return cls(config, owns_ray=True)

    def close(self) -> None:
        """Shut Ray down when this executor started it."""
        if self._owns_ray and ray.is_initialized():
            ray.shutdown()

    async def run(self, plan: EpisodePlan, ctx: EpisodeContext) -> EpisodeResult:
        """Play ``plan`` on the cluster; record it, whatever happened, in ``ctx.ledger``."""
        ctx.progress.episode_started(plan, plan.task)
        ctx.progress.phase(plan.index, 0, "on ray")
        key, started = _replay_key(ctx, plan), time.monotonic()
        bundle = EpisodeBundle(ctx.config, ctx.run_id, plan, self._task_tree(plan, ctx))
        ref = _play_remote.options(
            num_cpus=self._num_cpus, name=f"{TASK_NAME}-{plan.index:03d}"
        ).remote(bundle)
        try:
            shipped: Shipped = await ref
        except asyncio.CancelledError:
            ray.cancel(ref)  # KeyboardInterrupt on the worker: its episode stops its swarm
            await _settle(ref)
            _record_closed(ctx, plan, EpisodeStatus.INTERRUPTED)
            raise
        except RayError as exc:
            return _lost(ctx, plan, exc, time.monotonic() - started)
        return await asyncio.to_thread(_land, ctx, plan, shipped, key)

    def _task_tree(self, plan: EpisodePlan, ctx: EpisodeContext) -> bytes | None:
        task = None if plan.invent else ctx.tasks.get(plan.task)
        if task is None or task.root is None:
            return None
        if task.id not in self._trees:
            self._trees[task.id] = _pack(task.root)
        return self._trees[task.id]


# ---- driver side --------------------------------------------------------------------------


async def _settle(ref: ray.ObjectRef) -> None:
    """Give a cancelled episode its grace to stop the swarm before Ray may be shut down."""

    async def outcome() -> object:
        return await ref

    with contextlib.suppress(Exception, asyncio.CancelledError):
        await asyncio.wait_for(outcome(), CANCEL_GRACE_S)


def _check_reachable(address: str) -> None:
    """A HOST:PORT that does not answer is one line now, not minutes of Ray's own retries."""
    hostport = address.removeprefix("ray://")
    host, sep, port = hostport.rpartition(":")
    if address == "auto" or not sep:
        return  # 'auto' finds the cluster `ray start` left here; Ray says so when there is none
    if not port.isdigit():
        raise GymConfigError(f"--ray-address {address!r}: expected auto or HOST:PORT")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise GymConfigError(
            f"Ray cluster at {address} does not answer ({exc.strerror or exc}); "
            "start one with `ray start --head` or check --ray-address"
        ) from None


def _replay_key(ctx: EpisodeContext, plan: EpisodePlan) -> str:
    """``<run>/<index>/<attempt>``: attempt counts this episode's earlier landings (resume)."""
    prefix = f"{ctx.run_id}/{plan.index}/"
    earlier = [k for k in ctx.ledger.replay_keys(ctx.run_id) if k.startswith(prefix)]
    return f"{prefix}{len(earlier) + 1}"


def _land(ctx: EpisodeContext, plan: EpisodePlan, shipped: Shipped, key: str) -> EpisodeResult:
    """Replay the recording (once per key) and unpack the episode's folder into the run's."""
    replayed = ctx.ledger.replay(shipped.recording, key=key)
    result = shipped.result
    result.episode_id = replayed.episode_ids.get(result.episode_id, result.episode_id)
    if shipped.folder:
        _unpack(shipped.folder, ctx.run_dir / "episodes" / f"{plan.index:03d}")
    return result


def _lost(ctx: EpisodeContext, plan: EpisodePlan, exc: RayError, elapsed: float) -> EpisodeResult:
    """The task failed for good (node lost past the retries, or the harness raised there)."""
    episode_id = _record_closed(ctx, plan, EpisodeStatus.ERROR)
    error = f"ray: {type(exc).__name__}: {_one_line(exc)}"
    return EpisodeResult(
        plan, plan.task, Outcome.INFRA_ERROR, error=error, episode_id=episode_id, elapsed_s=elapsed
    )


def _record_closed(ctx: EpisodeContext, plan: EpisodePlan, status: EpisodeStatus) -> str:
    episode_id = ctx.ledger.start_episode(episode_record(plan, ctx.run_id, plan.task))
    ctx.ledger.finish_episode(episode_id, status)
    return episode_id


def _one_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0][:300] if lines else type(exc).__name__


# ---- worker side --------------------------------------------------------------------------


class _Quiet:
    """Progress on a worker goes nowhere: the driver shows the episode as running on Ray."""

    def episode_started(self, plan: EpisodePlan, task: str) -> None:
        """Ignored."""

    def phase(self, index: int, turn: int, phase: str) -> None:
        """Ignored."""

    def episode_finished(self, result: EpisodeResult) -> None:
        """Ignored."""


def play_shipped(bundle: EpisodeBundle) -> Shipped:
    """Play one episode in a temp dir of this machine and return what it recorded."""
    with tempfile.TemporaryDirectory(prefix="gym-episode-") as tmp:
        return asyncio.run(_play(bundle, Path(tmp)))


_play_remote = ray.remote(max_retries=MAX_RETRIES, retry_exceptions=False)(play_shipped)


async def _play(bundle: EpisodeBundle, tmp: Path) -> Shipped:
    node = parse_node_spec(bundle.config.brain)
    brain = transport_for(node.url, model=node.model or None)
    recorder = RecordingLedger(bundle.run_id, tmp)
    ctx = EpisodeContext(
        config=bundle.config.model_copy(update={"gym_dir": tmp / "gym"}),
        run_id=bundle.run_id,
        run_dir=tmp / "run",
        brain=brain,
        ledger=recorder,  # type: ignore[arg-type]  # the write half, recorded
        tasks=_unpacked_tasks(bundle.task_tree, tmp / "task"),
        kept=None,  # kept apps live on the driver's disk
        progress=_Quiet(),
    )
    try:
        result = await run_episode(bundle.plan, ctx)
    finally:
        await brain.aclose()
    result.task_dir = None  # a path on this machine
    folder = ctx.run_dir / "episodes" / f"{bundle.plan.index:03d}"
    return Shipped(result, recorder.recording, _pack(folder, skip=_LOCAL_ONLY, cap=FOLDER_CAP))


def _unpacked_tasks(tree: bytes | None, dest: Path) -> dict[str, Task]:
    if tree is None:
        return {}
    _unpack(tree, dest)
    task = load_task(dest)
    return {task.id: task}


# ---- tar.gz in memory ---------------------------------------------------------------------


def _pack(folder: Path, *, skip: tuple[str, ...] = (), cap: int | None = None) -> bytes:
    """``folder`` as tar.gz bytes, top-level names in ``skip`` left out; b'' past ``cap``."""
    if not folder.is_dir():
        return b""

    def keep(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        parts = Path(info.name).parts  # './work/x' reads as ('work', 'x'); '.' as ()
        return None if parts and parts[0] in skip else info

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        tar.add(folder, arcname=".", recursive=True, filter=keep)
    data = buffer.getvalue()
    return b"" if cap is not None and len(data) > cap else data


def _unpack(data: bytes, dest: Path) -> None:
    """Extract tar.gz bytes into ``dest`` (the 'data' filter: no escapes, links stay inside)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        tar.extractall(dest, filter="data")
