"""The tweaker: auto-tune a few scope-guarded swarm knobs through paired A/B runs.

One tuning session::

    arm A  = the baseline knobs, run once over the episodes
    repeat up to ``experiments`` times:
        propose one knob change (the brain, checked by the scope guard, else the fallback)
        arm B  = baseline + that change, over the SAME episodes and seeds
        pair B's episodes with A's on (task, seed), test, decide (gym.tweaker._decide)
        record the experiment in the ledger; on *adopt* B becomes the new baseline

The adopted knob set is written to a TOML knob file (``[knobs]`` table) that
``swarm run --knob-file`` reads and that can be pasted into ``gym.toml``; it is never
applied by itself. Episodes are paired by construction: a ``--suite`` fixes tasks, personas
and seeds; without one (simulated brain only: a real brain invents a new task per episode),
both arms draw the same plans from the same seed, and continue-existing is left out
because it starts from apps kept by earlier episodes (arm B would start where A left off).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, Field

from brain import BrainError, is_simulated, parse_node_spec, transport_for
from gym.config import GymConfig
from gym.errors import GymConfigError
from gym.tweaker._decide import (
    ADOPT,
    INCONCLUSIVE,
    ArmComparison,
    Decision,
    compare_arms,
    decide,
    statistics,
)
from gym.tweaker._fleet import apply_fleet, is_fleet_knob
from gym.tweaker._propose import KnobProposal, Proposal, ask_brain, choose
from gym.tweaker._space import (
    KnobDomain,
    ScopeError,
    baseline_values,
    knob_args,
    tunable_space,
)
from ledger import ExperimentRecord, Ledger
from reports import ComparisonError
from verifier import Archetype

__all__ = [
    "TUNED_FILE",
    "ExperimentResult",
    "KnobProposal",
    "ScopeError",
    "TuneOptions",
    "TuneResult",
    "arm_config",
    "paired_config",
    "tune",
    "write_knob_file",
]

#: Where the adopted knob set goes, relative to the gym dir, unless ``--out`` says otherwise.
TUNED_FILE = "tuned-knobs.toml"


class TuneOptions(BaseModel):
    """What `gym tune` adds to a gym run's configuration."""

    candidates: list[str] | None = Field(
        default=None, description="Knobs it may move; None = every tunable knob."
    )
    experiments: int = Field(
        default=3, ge=1, le=50, description="Experiments at most; stops early when none is left."
    )
    episodes_per_arm: int | None = Field(
        default=None,
        ge=2,
        le=1000,
        description="Sampled episodes per arm (no suite); None = the run's episodes.",
    )
    out: Path | None = Field(
        default=None, description="Adopted knob file; None = <gym_dir>/tuned-knobs.toml."
    )
    proposals: list[Proposal] | None = Field(
        default=None,
        description="Checked proposals to test in this order (from a run's triggers or given "
        "by hand); None = the brain or the fallback proposes each experiment.",
    )

    model_config = {"arbitrary_types_allowed": True}


@dataclass
class ExperimentResult:
    """One finished experiment."""

    #: 0-based position in the session.
    index: int
    proposal: Proposal
    #: Run id of arm A, the baseline at the time.
    run_a: str
    #: Run id of arm B, the baseline plus the proposed change.
    run_b: str
    decision: Decision
    #: The paired statistics; None when the arms could not be compared (inconclusive).
    comparison: ArmComparison | None
    #: Ledger id of the recorded experiment.
    experiment_id: str


@dataclass
class TuneResult:
    """A tuning session: its experiments, the knobs it ends with and where they were written."""

    experiments: list[ExperimentResult] = field(default_factory=list)
    #: The final baseline knobs: the starting ones plus every adopted change.
    knobs: dict[str, Any] = field(default_factory=dict)
    #: Where the adopted knobs were written; None when nothing was adopted.
    knob_file: Path | None = None

    @property
    def adopted(self) -> list[ExperimentResult]:
        """The experiments whose change was adopted."""
        return [e for e in self.experiments if e.decision.outcome == ADOPT]


RunArm = Callable[[GymConfig], str]
OnExperiment = Callable[[ExperimentResult], None]


def arm_config(base: GymConfig, knobs: dict[str, Any]) -> GymConfig:
    """The config of one arm: the base run with exactly these knob overrides.

    Swarm knobs become ``--knob`` arguments; fleet knobs rewrite the fleet the swarm gets.
    """
    swarm = {k: v for k, v in knobs.items() if not is_fleet_knob(k)}
    fleet = {k: v for k, v in knobs.items() if is_fleet_knob(k)}
    update: dict[str, Any] = {"knobs": knob_args(swarm)}
    if fleet:
        update["fleet"] = apply_fleet(base.fleet, fleet)
    return base.model_copy(update=update)


def brain_is_simulated(spec: str) -> bool:
    """True when the brain is the simulator: by its URL, or by the server's own identity.

    ``gym sim serve`` answers on an http URL that looks real; the probe reads the
    simulator's mark. A brain that does not answer counts as real (the stricter reading).
    """
    node = parse_node_spec(spec)
    if node.simulated:
        return True
    return asyncio.run(_probe_simulated(spec))


async def _probe_simulated(spec: str) -> bool:
    node = parse_node_spec(spec)
    brain = transport_for(node.url, model=node.model or None)
    try:
        await asyncio.wait_for(brain.probe(), PROBE_TIMEOUT_S)
    except (BrainError, TimeoutError, OSError):
        return False
    finally:
        await brain.aclose()
    return is_simulated(brain)


#: Seconds the brain gets to say what it is (as the orchestrator's preflight gives a node).
PROBE_TIMEOUT_S = 15.0


def paired_config(base: GymConfig, episodes_per_arm: int | None) -> GymConfig:
    """The base config both arms share, arranged so their episodes pair one to one."""
    if base.suite:
        if episodes_per_arm is not None:
            raise GymConfigError(
                "--episodes-per-arm sizes a sampled experiment; "
                f"suite {base.suite} fixes its own episodes"
            )
        return base
    if not brain_is_simulated(base.brain):
        raise GymConfigError(
            "a real brain invents a new task for every episode, so the arms "
            "would not pair; use --suite"
        )
    if base.archetype == Archetype.CONTINUE_EXISTING.value:
        raise GymConfigError(
            "continue-existing episodes start from apps kept by earlier "
            "episodes, so the arms would not be paired; use --suite"
        )
    weights = {**base.archetype_weights, Archetype.CONTINUE_EXISTING.value: 0.0}
    if sum(weights.values()) <= 0:
        raise GymConfigError("archetype_weights leave only continue-existing; use --suite")
    return base.model_copy(
        update={"episodes": episodes_per_arm or base.episodes, "archetype_weights": weights}
    )


def _default_run_arm(config: GymConfig) -> str:
    from gym.orchestrator import run_gym  # heavy: only when an arm really runs

    return run_gym(config)


def tune(
    base: GymConfig,
    options: TuneOptions,
    *,
    run_arm: RunArm = _default_run_arm,
    on_experiment: OnExperiment | None = None,
) -> TuneResult:
    """Run a tuning session (module docstring) and return what it found.

    Raises GymConfigError (incl. ScopeError) before any run when the input is bad.
    """
    space = tunable_space(options.candidates, fleet=base.fleet)
    if not space:
        raise GymConfigError("no tunable knob with a bounded domain to tune")
    shared = paired_config(base, options.episodes_per_arm)
    simulated_brain = brain_is_simulated(shared.brain)
    session = _Session(shared, space, baseline_values(shared.knobs), run_arm)
    session.queue = list(options.proposals) if options.proposals is not None else None
    session.ask = not simulated_brain  # a simulated brain has no tuning policy: rules propose
    session.run_a = run_arm(arm_config(shared, session.knobs))
    result = TuneResult()
    for index in range(options.experiments):
        done = session.experiment(index)
        if done is None:
            break  # every alternative in scope has been tried
        result.experiments.append(done)
        if on_experiment is not None:
            on_experiment(done)
    result.knobs = session.knobs
    if result.adopted:
        result.knob_file = write_knob_file(
            options.out or shared.gym_dir / TUNED_FILE,
            session.knobs,
            result.adopted,
            fleet=shared.fleet,
        )
    return result


@dataclass
class _Session:
    """The state a tuning session carries from one experiment to the next."""

    config: GymConfig
    space: dict[str, KnobDomain]
    knobs: dict[str, Any]
    run_arm: RunArm
    run_a: str = ""
    tried: set[tuple[str, Any]] = field(default_factory=set)
    history: list[str] = field(default_factory=list)

    #: Proposals to test in order (from a run's triggers or by hand); None = ask / fall back.
    queue: list[Proposal] | None = None
    #: Ask the brain (a real one); False for the simulator, which has no tuning policy.
    ask: bool = True

    def experiment(self, index: int) -> ExperimentResult | None:
        """Propose, run arm B, decide, record; None when nothing in scope is left to try."""
        proposal = self._next(index)
        if proposal is None:
            return None
        for delta in proposal.deltas:
            self.tried.add((delta.knob, delta.value))
        changed = {**self.knobs, **{d.knob: d.value for d in proposal.deltas}}
        run_b = self.run_arm(arm_config(self.config, changed))
        done = _conclude(self.config, index, proposal, self.run_a, run_b, self.knobs)
        self.history.append(f"{proposal.arg()}: {done.decision.outcome} ({done.decision.reason})")
        if done.decision.outcome == ADOPT:
            for delta in proposal.deltas:
                self.tried.add((delta.knob, delta.old))  # going back was just tested
            self.knobs = changed
            self.run_a = run_b  # the adopted arm is the new baseline, already run
        return done

    def _next(self, index: int) -> Proposal | None:
        if self.queue is not None:
            while self.queue:
                proposal = self.queue.pop(0)
                if all((d.knob, d.value) not in self.tried for d in proposal.deltas):
                    return proposal
            return None
        answer: KnobProposal | str = ""  # '' = not asked: the fallback proposes, no refusal
        if self.ask:
            answer = asyncio.run(_ask(self.config.brain, self.space, self.knobs, self.history))
        return choose(answer, self.space, self.knobs, self.tried, seed=self.config.seed + index)


async def _ask(
    brain_spec: str,
    space: dict[str, KnobDomain],
    knobs: dict[str, Any],
    history: list[str],
    triggers: list[str] | None = None,
) -> KnobProposal | str:
    """Ask the brain for one proposal (``triggers``: the cluster reds it should answer)."""
    node = parse_node_spec(brain_spec)
    brain = transport_for(node.url, model=node.model or None)
    try:
        return await ask_brain(brain, space, knobs, history, triggers or ())
    finally:
        await brain.aclose()


def _conclude(
    base: GymConfig,
    index: int,
    proposal: Proposal,
    run_a: str,
    run_b: str,
    knobs: dict[str, Any],
    name_prefix: str = "tune",
) -> ExperimentResult:
    """Compare the arms, decide, record the experiment in the ledger and return it."""
    with Ledger.open(base.gym_dir) as ledger:
        comparison: ArmComparison | None = None
        try:
            compared = compare_arms(ledger, run_a, run_b, seed=base.seed)
        except ComparisonError as exc:
            decision = Decision(INCONCLUSIVE, str(exc))
        else:
            comparison, decision = compared, decide(compared)
        stats = statistics(comparison, decision) if comparison else {"reason": decision.reason}
        stats.update(_provenance(proposal, knobs))
        record = ExperimentRecord(
            name=f"{name_prefix} #{index + 1}: {proposal.arg()}",
            arms={"A": run_a, "B": run_b},
            knob_deltas={d.knob: d.value for d in proposal.deltas},
            decision=decision.outcome,
            statistics=stats,
            simulated=base.simulated,
        )
        experiment_id = ledger.record_experiment(record)
    return ExperimentResult(index, proposal, run_a, run_b, decision, comparison, experiment_id)


def _provenance(proposal: Proposal, knobs: dict[str, Any]) -> dict[str, Any]:
    info: dict[str, Any] = {
        "proposed_by": proposal.source,
        "rationale": proposal.rationale[:300],  # model text: bounded, escaped by the report
        "baseline_knobs": ", ".join(knob_args(knobs)) or "defaults",
        "replaces": ", ".join(f"{d.knob}={d.old}" for d in proposal.deltas),
    }
    if proposal.trigger:
        info["trigger"] = proposal.trigger
    if proposal.refused:
        info["brain_refused"] = proposal.refused[:300]
    return info


def write_knob_file(
    path: Path,
    knobs: dict[str, Any],
    adopted: list[ExperimentResult],
    *,
    fleet: str | None = None,
) -> Path:
    """Write the adopted knob set as a ``[knobs]`` TOML file, atomically; return its path.

    Adopted fleet knobs are written as the fleet they make (a top-level ``fleet``, which
    gym.toml reads and the swarm's knob file ignores), never as swarm knobs.
    """
    lines = [
        "# Knobs adopted by `gym tune`; nothing applies them by itself.",
        "# Use: swarm run --knob-file THIS_FILE, or copy the table into gym.toml.",
        *(f"# adopted: {e.proposal.arg()} ({e.decision.reason})" for e in adopted),
    ]
    swarm = {k: v for k, v in sorted(knobs.items()) if not is_fleet_knob(k)}
    fleet_knobs = {k: v for k, v in knobs.items() if is_fleet_knob(k)}
    data: dict[str, Any] = {}
    if fleet_knobs and fleet is not None:
        data["fleet"] = apply_fleet(fleet, fleet_knobs)
    data["knobs"] = swarm
    body = tomli_w.dumps(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    os.replace(tmp, path)
    return path
