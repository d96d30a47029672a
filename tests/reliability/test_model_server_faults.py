"""Model-server faults at every phase, served over real HTTP by the simulator's server.

One SimServer plays the fleet (planner and workers, reached by the real swarm
subprocess) and the harness brain (user turns, task invention, judge). A wrapping policy
injects one fault kind into one phase: the first ``times`` requests of that phase get
it, the rest are answered. What must happen: transient faults are retried and the
episode is graded; faults that never clear end as infrastructure (or an inconclusive
judge) with the reason recorded; never a traceback, and the ledger stays consistent.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from reliability_support import integrity_ok
from rich.console import Console

from brain import ChatRequest, ChatResponse, register_scheme, transport_for
from brain.sim import Fault, FaultKind, SimReply, SimServer, make_policy
from brain.sim._request import Kind, RequestView
from gym.config import GymConfig
from gym.orchestrator import run_gym
from ledger import EpisodeStatus, Ledger

#: The harness's brain transport with short timeouts, so a stalled brain answer is
#: bounded in seconds here (the defaults are 600 s overall, 900 s idle).
BRAIN_IDLE_S, BRAIN_TOTAL_S = 1.0, 5.0

FAULTS = {
    "http500": Fault(FaultKind.HTTP_ERROR, 500, "internal server error"),
    "http503-unloaded": Fault(FaultKind.HTTP_ERROR, 503, "model is unloaded"),
    "http429-retry-after": Fault(FaultKind.HTTP_ERROR, 429, "rate limited"),
    "cut-mid-answer": Fault(FaultKind.DROP, 0, "connection dropped", after_chunks=1),
    "never-ends": Fault(FaultKind.STALL, 0, "stream stalled", after_chunks=1),
}
PHASES = ("planning", "worker", "user", "judge")


def phase_of(request: ChatRequest) -> str:
    """Which phase of an episode a request belongs to, read the way the simulator reads it."""
    view = RequestView(request)
    if view.role is Kind.WORKER:
        return "worker"
    name = view.schema_name or ""
    if name in ("PlanDraft", "SubtaskDetail", "ModuleContract"):
        return "planning"
    if name in ("UserTurn", "InventedTask"):
        return "user"
    return "judge" if name == "JudgeReport" else "other"


class PhaseFaults:
    """The competent simulator, with ``fault`` on the first ``times`` requests of ``phase``."""

    def __init__(self, catalog: Path, phase: str, fault: Fault | None, times: int):
        self.inner = make_policy("competent", seed=0, time_scale=0, catalog_dir=catalog)
        self.phase, self.fault, self.times = phase, fault, times
        self.seen: Counter[str] = Counter()
        self.faulted = 0
        self.on_phase: list = []  # callables run (once) when the phase's first request lands
        self._lock = threading.Lock()

    def reply(self, request: ChatRequest, model: str) -> SimReply:
        phase = phase_of(request)
        with self._lock:
            self.seen[phase] += 1
            hit = phase == self.phase and self.faulted < self.times and self.fault is not None
            self.faulted += hit
            hooks, self.on_phase = (
                (self.on_phase, []) if phase == self.phase else ([], self.on_phase)
            )
        for hook in hooks:
            hook()
        answer = self.inner.reply(request, model)
        if hit and self.fault is TRICKLE:
            return _trickle(answer.response)
        return SimReply(answer.response, self.fault if hit else None, answer.latency_s)


#: Not a wire fault: the answer keeps streaming a chunk every TRICKLE_GAP_S for an hour.
TRICKLE = Fault(FaultKind.STALL, 0, "trickles forever")
TRICKLE_GAP_S = 0.2


def _trickle(response: ChatResponse) -> SimReply:
    """The real answer behind an hour of filler, streamed a chunk at a time: never stalled."""
    filler = "thinking... " * 30_000  # ~15,000 chunks of the server's 24 characters
    long = response.model_copy(update={"text": filler + response.text})
    return SimReply(long, None, latency_s=TRICKLE_GAP_S * (len(filler) // 24 + 10))


def _tight(url: str, **options) -> object:
    options.update(idle_timeout_s=BRAIN_IDLE_S, timeout_s=BRAIN_TOTAL_S)
    return transport_for("http" + url[len("tight") :], **options)


@pytest.fixture
def served(greet_catalog) -> Iterator:
    """Start a SimServer for (phase, fault, times); stopped when the test ends."""
    register_scheme("tight", _tight)
    servers: list[SimServer] = []

    def start(phase: str, fault: Fault | None, times: int) -> tuple[SimServer, PhaseFaults]:
        policy = PhaseFaults(greet_catalog, phase, fault, times)
        server = SimServer(policy, models=["sim-model"]).start()
        servers.append(server)
        return server, policy

    yield start
    for server in servers:
        server.stop()


def _config(tmp_path: Path, catalog: Path, server: SimServer) -> GymConfig:
    base = server.openai_base_url
    return GymConfig(
        episodes=1,
        parallel=1,
        max_turns=1,
        catalog_dir=catalog,
        gym_dir=tmp_path / "gymdir",
        turn_timeout_s=120,
        fleet=f"{base}?model=sim-model&name=n1&weight=2",
        brain=f"tight{base[len('http') :]}?model=sim-model",
        knobs=["run.node_idle_timeout_s=1", "run.node_timeout_s=8"],  # bounded for tests
        judge=True,
    )


def _run(tmp_path: Path, config: GymConfig) -> tuple[str, str]:
    out = tmp_path / "console.txt"
    with out.open("w") as fh:
        run_id = run_gym(config, console=Console(file=fh, width=150))
    return run_id, out.read_text()


def _episode(config: GymConfig, run_id: str):
    with Ledger.open(config.gym_dir) as ledger:
        (episode,) = ledger.episodes(run_id)
        grades = {g.dimension: g for g in ledger.grades(episode.id)}
    return episode, grades


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("phase", ["planning", "worker", "user"])
def test_one_fault_in_a_phase_is_retried_and_the_episode_graded(
    tmp_path, greet_catalog, served, phase, fault
) -> None:
    server, policy = served(phase, FAULTS[fault], times=1)
    config = _config(tmp_path, greet_catalog, server)

    run_id, console = _run(tmp_path, config)

    assert policy.faulted == 1, f"the {phase} phase was never reached: {policy.seen}"
    assert policy.seen[phase] >= 2, "the faulted request was not retried"
    episode, grades = _episode(config, run_id)
    assert episode.status == EpisodeStatus.FINISHED, console
    assert episode.final_verdict is not None and grades, "a transient fault cost the grade"
    assert grades["checks"].status.value == "pass", console
    assert "Traceback" not in console
    assert integrity_ok(config.gym_dir)


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_one_judge_fault_is_retried_and_the_judge_still_grades(
    tmp_path, greet_catalog, served, fault
) -> None:
    # A transient judge failure is asked again (verifier JUDGE_ATTEMPTS): one fault costs
    # a retry, never the judge's three dimensions nor the deterministic verdict.
    server, policy = served("judge", FAULTS[fault], times=1)
    config = _config(tmp_path, greet_catalog, server)

    run_id, console = _run(tmp_path, config)

    assert policy.faulted == 1
    episode, grades = _episode(config, run_id)
    assert episode.status == EpisodeStatus.FINISHED and episode.final_verdict is not None
    assert grades["checks"].status.value == "pass", console
    for name in ("requirements", "code_quality", "bugs"):
        judged = grades[name]
        assert judged.status.value != "inconclusive", (name, judged)
    assert "Traceback" not in console
    assert integrity_ok(config.gym_dir)


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["planning", "worker"])
def test_a_fleet_that_keeps_failing_is_infrastructure_with_the_reason(
    tmp_path, greet_catalog, served, phase
) -> None:
    server, policy = served(phase, FAULTS["http503-unloaded"], times=10_000)
    config = _config(tmp_path, greet_catalog, server)

    run_id, console = _run(tmp_path, config)

    episode, _ = _episode(config, run_id)
    assert episode.status == EpisodeStatus.ERROR, console  # infrastructure, not a red grade
    assert episode.final_verdict is None
    assert policy.faulted >= 2, "the failing phase was not retried"
    reason = {"planning": "503", "worker": "no model answered a worker"}[phase]
    assert reason in console, console
    assert "Traceback" not in console
    assert integrity_ok(config.gym_dir)


@pytest.mark.slow
def test_a_brain_that_keeps_failing_is_infrastructure_with_the_reason(
    tmp_path, greet_catalog, served
) -> None:
    server, policy = served("user", FAULTS["http500"], times=10_000)
    config = _config(tmp_path, greet_catalog, server)

    run_id, console = _run(tmp_path, config)

    episode, _ = _episode(config, run_id)
    assert episode.status == EpisodeStatus.ERROR and episode.final_verdict is None
    assert policy.seen["user"] >= 3, "the brain was not retried before giving up"
    assert "brain failed" in console and "500" in console, console
    assert integrity_ok(config.gym_dir)


@pytest.mark.slow
def test_a_judge_that_keeps_failing_leaves_its_dimensions_inconclusive_with_the_reason(
    tmp_path, greet_catalog, served
) -> None:
    server, _ = served("judge", FAULTS["http500"], times=10_000)
    config = _config(tmp_path, greet_catalog, server)

    run_id, console = _run(tmp_path, config)

    episode, grades = _episode(config, run_id)
    assert episode.status == EpisodeStatus.FINISHED, console  # checks still grade the app
    judged = grades["code_quality"]
    assert judged.status.value == "inconclusive"
    assert any("500" in f.message for f in judged.findings), judged.findings
    assert integrity_ok(config.gym_dir)


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["worker", "judge"])
def test_the_server_going_away_mid_run_is_connection_refused_and_recorded(
    tmp_path, greet_catalog, served, phase
) -> None:
    server, policy = served(phase, FAULTS["cut-mid-answer"], times=10_000)
    # The first request of the phase stops the server: it and everything after is refused.
    policy.on_phase.append(lambda: threading.Thread(target=server.stop).start())
    config = _config(tmp_path, greet_catalog, server)

    run_id, console = _run(tmp_path, config)

    episode, grades = _episode(config, run_id)
    if phase == "worker":
        assert episode.status == EpisodeStatus.ERROR and episode.final_verdict is None, console
    else:  # the deterministic verdict stands; the judge's part says why it is missing
        assert episode.status == EpisodeStatus.FINISHED, console
        assert grades["code_quality"].status.value == "inconclusive"
    assert "Traceback" not in console
    assert integrity_ok(config.gym_dir)


def test_a_429_fault_carries_retry_after(greet_catalog) -> None:
    policy = PhaseFaults(greet_catalog, "other", FAULTS["http429-retry-after"], times=1)
    with SimServer(policy) as server:
        answer = httpx.post(
            server.openai_base_url + "/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
            timeout=10,
        )
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "1"


def test_refused_at_the_start_is_one_line_before_anything_is_written(tmp_path) -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    done = subprocess.run(
        [
            sys.executable,
            *("-c", "from gym.cli import main; main()", "run", "--episodes", "1"),
            *("--fleet", f"http://127.0.0.1:{port}/v1?model=m"),
            *("--gym-dir", str(tmp_path / "gymdir")),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert "does not answer" in line and "refused" in line, line
    assert not (tmp_path / "gymdir").exists()


@pytest.mark.slow
def test_a_worker_answer_that_trickles_forever_is_cut_by_the_turn_timeout(
    tmp_path, greet_catalog, served
) -> None:
    # The idle watchdog resets on every chunk, so only the swarm's own run timeout bounds
    # it (a real server would also stop at the request's max_tokens; this one does not).
    # A model that never finishes is the swarm under test failing in its time budget,
    # not infrastructure: the turn is graded on what exists.
    server, policy = served("worker", TRICKLE, times=10_000)
    config = _config(tmp_path, greet_catalog, server).model_copy(update={"turn_timeout_s": 15})

    started = time.monotonic()
    run_id, console = _run(tmp_path, config)

    assert time.monotonic() - started < 15 + 30, "not bounded by the turn timeout"
    assert policy.faulted >= 1
    episode, grades = _episode(config, run_id)
    assert episode.status == EpisodeStatus.FINISHED and episode.final_verdict is not None
    assert episode.final_verdict.value == "fail"
    assert grades["swarm"].status.value == "fail" and grades["checks"].status.value == "fail"
    assert "Traceback" not in console
    assert integrity_ok(config.gym_dir)
