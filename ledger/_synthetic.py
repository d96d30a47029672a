"""Seeded synthetic ledgers for tests, the report benchmark and demos.

Writes through the public :class:`Ledger` API only, so a synthetic ledger is shaped
exactly like a real one. Each configuration has a pass probability; each dimension's
score follows the episode's verdict with seeded noise. Optionally stores a contract-2
event log per turn (for the Gantt timeline) and plants a given text in a finding (to
prove the report escapes model output).
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ledger._ledger import Ledger
from ledger._records import EpisodeRecord, NodeRecord, RunRecord, TurnRecord
from verifier import (
    DIMENSIONS,
    JUDGE_DIMENSIONS,
    DimensionGrade,
    Finding,
    Grade,
    Source,
    Status,
    Verdict,
)

ARCHETYPES = ("heavy-spec", "minimal-spec", "continue-existing")
PERSONAS = ("pragmatic", "perfectionist", "vague")
MOVES = ("feature", "fix", "tests", "refactor")


@dataclass
class SyntheticConfig:
    """One fleet configuration and the chance its episodes pass."""

    #: Model id of every node; also names the run's label.
    model: str
    #: Chance (0..1) that a turn's verdict is pass; the episode keeps its last turn's.
    pass_rate: float
    #: Knob overrides recorded on the run (they only change its config key).
    knobs: dict[str, object] = field(default_factory=dict)
    #: Record ``sim:`` nodes, i.e. a simulated run, instead of a loopback HTTP server.
    simulated: bool = False
    #: Fleet size; report counters and event-log tasks are spread over the nodes.
    nodes: int = 2


@dataclass
class SyntheticPlan:
    """What to generate."""

    configs: list[SyntheticConfig]
    #: Runs of each config; run ``r`` records seed ``seed + r``.
    runs_per_config: int = 1
    #: Tasks per run, named task-0 .. task-(n-1).
    tasks: int = 5
    #: Episodes per task, seeds 0 .. n-1 in every run, so runs pair on (task, seed).
    seeds: int = 2
    #: Turns per episode, each graded.
    turns: int = 1
    #: Suite of every run; leaderboards rank only runs of one suite together.
    suite: str = "nightly"
    #: Store a contract-2 event log per turn (for the Gantt timeline).
    events: bool = False
    #: Text planted as every finding's message, to prove the report escapes it; '' = none.
    injected: str = ""
    #: Seeds every random draw: the same plan gives the same outcomes and scores.
    seed: int = 0


def fill_synthetic(ledger: Ledger, plan: SyntheticPlan) -> list[str]:
    """Write the plan's runs into ``ledger``; returns the run ids in creation order."""
    rng = random.Random(plan.seed)
    run_ids = []
    for r in range(plan.runs_per_config):
        for config in plan.configs:
            with ledger.batch():
                run_ids.append(_run(ledger, plan, config, rng, r))
    return run_ids


def _run(
    ledger: Ledger, plan: SyntheticPlan, config: SyntheticConfig, rng: random.Random, index: int
) -> str:
    scheme = "sim:competent" if config.simulated else "http://127.0.0.1:1234/v1"
    fleet = [
        NodeRecord(
            name=f"node{i}", url=scheme, model=config.model, weight=2, simulated=config.simulated
        )
        for i in range(config.nodes)
    ]
    run_id = ledger.start_run(
        RunRecord(
            suite=plan.suite,
            simulated=config.simulated,
            code_version="synthetic",
            fleet=fleet,
            knobs=config.knobs,
            seed=plan.seed + index,
            label=f"{config.model} #{index}",
        )
    )
    for task in range(plan.tasks):
        for seed in range(plan.seeds):
            _episode(ledger, plan, config, rng, run_id, f"task-{task}", seed)
    ledger.finish_run(run_id, "finished")
    return run_id


def _episode(
    ledger: Ledger,
    plan: SyntheticPlan,
    config: SyntheticConfig,
    rng: random.Random,
    run_id: str,
    task: str,
    seed: int,
) -> None:
    episode_id = ledger.start_episode(
        EpisodeRecord(
            run_id=run_id,
            task=task,
            archetype=rng.choice(ARCHETYPES),
            persona=rng.choice(PERSONAS),
            seed=seed,
        )
    )
    verdict = Verdict.FAIL
    for turn in range(1, plan.turns + 1):
        verdict = Verdict.PASS if rng.random() < config.pass_rate else Verdict.FAIL
        claimed = "done" if verdict == Verdict.PASS or rng.random() < 0.3 else "failed"
        ledger.record_turn(
            TurnRecord(
                episode_id=episode_id,
                turn=turn,
                move=MOVES[(turn - 1) % len(MOVES)],
                message=f"please add feature {turn} to {task}",
                swarm_status=claimed,
                exit_code=0 if claimed == "done" else 1,
                elapsed_ms=rng.randint(10_000, 90_000),
                report=_report(config, rng),
            )
        )
        ledger.record_grade(
            episode_id, turn, synthetic_grade(task, turn, verdict, rng, plan.injected)
        )
        if plan.events:
            _store_events(ledger, episode_id, turn, config, rng)
    ledger.finish_episode(episode_id, "finished", verdict)


def _report(config: SyntheticConfig, rng: random.Random) -> dict[str, object]:
    per_device = {
        f"node{i}": {
            "dispatched": rng.randint(1, 6),
            "tool_calls": rng.randint(5, 40),
            "retries": rng.randint(0, 2),
            "busy_ms": rng.uniform(5e3, 6e4),
        }
        for i in range(config.nodes)
    }
    tasks = [
        {
            "task_id": "t1",
            "status": "done",
            "attempts": 2,
            "attempt_history": [
                {"device": "node0", "outcome": "no_progress", "error": "stream stalled"},
                {"device": "node1", "outcome": "ok"},
            ],
        }
    ]
    return {"status": "done", "per_device": per_device, "tasks": tasks}


def synthetic_grade(
    task: str, turn: int, verdict: Verdict, rng: random.Random, injected: str
) -> Grade:
    """A grade on every dimension that follows ``verdict`` with seeded noise."""
    base = 0.85 if verdict == Verdict.PASS else 0.35
    dims = {}
    for name in DIMENSIONS:
        score = min(1.0, max(0.0, base + rng.uniform(-0.15, 0.15)))
        status = Status.PASS if score >= 0.7 else Status.PARTIAL if score >= 0.4 else Status.FAIL
        findings = (
            []
            if status == Status.PASS
            else [
                Finding(
                    code="stub_body",
                    message=injected or f"{name}: stub body left in place",
                    file="app/core.py",
                    line=rng.randint(1, 200),
                )
            ]
        )
        source = Source.JUDGE if name in JUDGE_DIMENSIONS else Source.DETERMINISTIC
        dims[name] = DimensionGrade(score=score, status=status, findings=findings, source=source)
    return Grade(task=task, stage=turn, verdict=verdict, dimensions=dims)


def _store_events(
    ledger: Ledger, episode_id: str, turn: int, config: SyntheticConfig, rng: random.Random
) -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    lines, seq, clock = [], 0, 0.0
    for task in range(4):
        device = f"node{task % config.nodes}"
        for name, dt in (("task_dispatched", 0.0), ("task_completed", rng.uniform(2, 20))):
            clock += dt
            seq += 1
            lines.append(
                {
                    "ts": (t0 + timedelta(seconds=clock)).isoformat(),
                    "seq": seq,
                    "run_id": "swarm-run",
                    "event": name,
                    "task_id": f"t{task}",
                    "device": device,
                }
            )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.jsonl"
        path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
        ledger.store_artifact(episode_id, path, "events", turn=turn)


def add_synthetic_run(
    ledger: Ledger,
    outcomes: list[bool],
    *,
    simulated: bool = False,
    suite: str = "nightly",
    model: str = "qwen-7b",
    scores: list[float] | None = None,
    knobs: dict[str, object] | None = None,
    seeds: list[int] | None = None,
) -> str:
    """One finished run whose episode i (task ``task-i``) passes iff ``outcomes[i]``.

    Every dimension follows the outcome (score 0.9 / 0.2, or ``scores[i]`` when given).
    """
    url = "sim:competent" if simulated else "http://127.0.0.1:1234/v1"
    with ledger.batch():
        run_id = ledger.start_run(
            RunRecord(
                suite=suite,
                simulated=simulated,
                fleet=[NodeRecord(name="n0", url=url, model=model, simulated=simulated)],
                knobs=knobs or {},
            )
        )
        for i, passed in enumerate(outcomes):
            seed = seeds[i] if seeds else 0
            episode_id = ledger.start_episode(
                EpisodeRecord(
                    run_id=run_id,
                    task=f"task-{i}",
                    archetype=ARCHETYPES[i % 3],
                    persona=PERSONAS[i % 3],
                    seed=seed,
                )
            )
            verdict = Verdict.PASS if passed else Verdict.FAIL
            ledger.record_turn(
                TurnRecord(episode_id=episode_id, turn=1, swarm_status="done", exit_code=0)
            )
            score = scores[i] if scores else (0.9 if passed else 0.2)
            status = Status.PASS if passed else Status.FAIL
            ledger.record_grade(
                episode_id,
                1,
                Grade(
                    task=f"task-{i}",
                    verdict=verdict,
                    dimensions={
                        name: DimensionGrade(
                            score=score,
                            status=status,
                            source=Source.JUDGE
                            if name in JUDGE_DIMENSIONS
                            else Source.DETERMINISTIC,
                        )
                        for name in DIMENSIONS
                    },
                ),
            )
            ledger.finish_episode(episode_id, "finished", verdict)
        ledger.finish_run(run_id, "finished")
    return run_id
