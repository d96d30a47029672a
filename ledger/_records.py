"""Pydantic records: what the gym hands the ledger and what the ledger hands back.

Input records (``RunRecord``, ``EpisodeRecord``, ``TurnRecord``, ``ExperimentRecord``) are
what a writer fills in; the ledger assigns ids and timestamps. Views (``RunView``,
``EpisodeView``, ``GradeView``) are what readers get: the *current* state, i.e. the latest
status row and the grades no later row supersedes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, model_validator

from verifier import Finding, Source, Status, Verdict


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the ledger uses."""
    return datetime.now(UTC)


class RunStatus(StrEnum):
    """Life of a run; each change is a new row, the latest one is current."""

    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class EpisodeStatus(StrEnum):
    """Life of an episode. Only FINISHED means complete; a crash leaves STARTED."""

    STARTED = "started"
    FINISHED = "finished"
    ERROR = "error"
    INTERRUPTED = "interrupted"


class NodeRecord(BaseModel):
    """One endpoint of the fleet (or the harness brain) as it was when the run started."""

    name: str
    url: str = Field(description="Transport URL (no secrets: API keys never live in URLs).")
    model: str = Field(default="", description="Model id; '' = the server's first model.")
    weight: int = Field(default=1, ge=1, description="Concurrent slots on this node.")
    speed: float = Field(default=1.0, description="Configured relative speed, not a measurement.")
    simulated: bool = Field(
        default=False, description="True for the offline simulator (forced for sim: URLs)."
    )
    usd_in: float | None = Field(
        default=None, description="Price, USD per million prompt tokens; None = none given."
    )
    usd_out: float | None = Field(
        default=None, description="Price, USD per million completion tokens; None = none given."
    )

    @model_validator(mode="after")
    def _sim_url_is_simulated(self) -> NodeRecord:
        # The label is derived from the URL too: a sim node can never pass as a real one.
        if self.url.strip().startswith("sim:"):
            self.simulated = True
        return self


class RunRecord(BaseModel):
    """Everything that makes a run reproducible and comparable with another."""

    suite: str = Field(default="", description="Suite name, e.g. 'nightly' ('' = ad hoc).")
    simulated: bool = Field(description="Any sim node or sim brain: never compared with real.")
    code_version: str = Field(default="", description="git sha of the gym when available.")
    swarm_version: str = Field(
        default="unknown",
        description="The swarm's checkout: '<git sha>' or '<git sha>+dirty'; 'unknown' outside "
        "git or for an external swarm command. Triage groups failure rates by it.",
    )
    brain: NodeRecord | None = Field(default=None, description="The harness brain.")
    judge: str = Field(default="", description="Judge URL/model when different from the brain.")
    fleet: list[NodeRecord] = Field(default_factory=list, description="Swarm nodes, fleet order.")
    knobs: dict[str, Any] = Field(
        default_factory=dict, description="Knob overrides given to the swarm; {} = its defaults."
    )
    seed: int = Field(default=0, description="Seed of the run's episode sampling.")
    config: dict[str, Any] = Field(default_factory=dict, description="Full effective gym config.")
    label: str = Field(default="", description="Free text, e.g. an experiment arm name.")
    experiment: str | None = Field(default=None, description="Experiment id this run is an arm of.")
    arm: str | None = Field(default=None, description="Arm name within the experiment.")

    @model_validator(mode="after")
    def _any_sim_node_makes_the_run_simulated(self) -> RunRecord:
        # Only ever adds the label: simulated results must never reach real comparisons.
        nodes = [*self.fleet, *([self.brain] if self.brain else [])]
        if any(n.simulated for n in nodes):
            self.simulated = True
        return self


class EpisodeRecord(BaseModel):
    """One task played across turns by one persona within a run."""

    run_id: str
    task: str = Field(description="Task id (catalog or generated).")
    archetype: str = Field(default="", description="heavy-spec | minimal-spec | continue-existing.")
    persona: str = Field(default="", description="Persona the brain played (gym PERSONAS).")
    seed: int = Field(
        default=0, description="Episode seed; (task, seed) pairs episodes across runs."
    )
    difficulty: int | None = Field(
        default=None, description="Task rung 1..5; None = unknown (e.g. it never started)."
    )
    generated: bool = Field(default=False, description="Invented by the brain, not the catalog.")
    invention_rejections: list[str] = Field(
        default_factory=list,
        description="Inventions the self-test rejected before this task (one line each).",
    )


class TurnRecord(BaseModel):
    """One turn: the user's move, the swarm's run and what it claimed."""

    episode_id: str
    turn: int = Field(ge=1, description="1-based turn number within the episode.")
    move: str = Field(default="feature", description="feature | fix | tests | refactor | ...")
    stage: int = Field(default=1, description="Task stage the turn asked for (1 = the base spec).")
    message: str = Field(default="", description="What the persona asked (untrusted text).")
    swarm_run_id: str = Field(default="", description="The swarm's own run id; '' = no report.")
    swarm_status: str = Field(default="", description="The swarm's own claim: done | failed | ...")
    exit_code: int | None = Field(
        default=None, description="Swarm process exit code; None = it could not be started."
    )
    elapsed_ms: int = Field(default=0, description="Swarm wall time in ms, grading excluded.")
    prompt_tokens: int = Field(default=0, description="Swarm's prompt tokens (0 = unreported).")
    completion_tokens: int = Field(
        default=0, description="Swarm's completion tokens (0 = unreported)."
    )
    report: dict[str, Any] = Field(default_factory=dict, description="Swarm report (contract 2).")
    infra_error: str = Field(
        default="", description="Why the turn ended on an infrastructure failure; '' = it ran."
    )


class ArtifactRef(BaseModel):
    """A file in the artifact store, verified against its sha256 on every read."""

    id: int | None = Field(default=None, description="Ledger row id; None before it is stored.")
    episode_id: str
    kind: str = Field(description="events | tree | judge | report | task | ...")
    turn: int | None = Field(default=None, description="None = the whole episode (final tree).")
    path: str = Field(description="Relative to the gym dir, e.g. artifacts/<episode>/...")
    sha256: str = Field(description="Hex digest of the stored file (a directory: its .tar.gz).")
    size: int = Field(description="Stored size in bytes.")


class ExperimentRecord(BaseModel):
    """An A/B experiment from the tweaker: arms, knob deltas, decision and statistics."""

    name: str
    arms: dict[str, str] = Field(default_factory=dict, description="Arm name -> run id.")
    knob_deltas: dict[str, Any] = Field(
        default_factory=dict, description="Knob -> the value arm B uses instead of arm A's."
    )
    decision: str = Field(default="", description="adopt | reject | inconclusive (+ why).")
    statistics: dict[str, Any] = Field(
        default_factory=dict, description="Paired-test results and provenance, flat keys."
    )
    simulated: bool = Field(default=False, description="Arms ran on the simulator; never mixed.")


class RunView(RunRecord):
    """A run as read back: the record plus its id, time and current status."""

    id: str
    started_at: datetime = Field(description="When the ledger recorded the start (UTC).")
    status: RunStatus = Field(description="Current status: the latest status row.")
    status_at: datetime = Field(description="When the latest status row was written (UTC).")


class EpisodeView(EpisodeRecord):
    """An episode as read back with its current status and final verdict."""

    id: str
    started_at: datetime = Field(description="When the ledger recorded the start (UTC).")
    status: EpisodeStatus = Field(description="Current status: the latest status row.")
    final_verdict: Verdict | None = Field(default=None, description="None unless FINISHED.")
    status_at: datetime = Field(description="When the latest status row was written (UTC).")


class TurnView(TurnRecord):
    """A turn as read back."""

    id: int
    recorded_at: datetime = Field(description="When the ledger wrote the turn (UTC).")


class GradeView(BaseModel):
    """One current grade row: one dimension of one turn of one episode."""

    id: int
    grade_set: int = Field(description="Id of the GradeSetView this row belongs to.")
    episode_id: str
    turn: int
    dimension: str = Field(description="A verifier dimension, e.g. checks, code_quality.")
    score: float = Field(description="0..1, higher is better.")
    status: Status
    source: Source
    findings: list[Finding] = Field(default_factory=list)
    grader: str = Field(
        default="", description="Who graded: 'verifier' or 'regrade:<judge|deterministic>'."
    )


class GradeSetView(BaseModel):
    """The verdict-level part of one recorded Grade (the dimensions are GradeView rows)."""

    id: int
    episode_id: str
    turn: int
    task: str
    stage: int = Field(description="Task stage graded (1 = the base spec).")
    verdict: Verdict
    tampered: bool = Field(description="A protected file was changed and restored.")
    grader: str = Field(description="Who graded: 'verifier' or 'regrade:<judge|deterministic>'.")
    recorded_at: datetime = Field(description="When the grade was written (UTC).")


class ExperimentView(ExperimentRecord):
    """An experiment as read back."""

    id: str
    recorded_at: datetime = Field(description="When the experiment was recorded (UTC).")
