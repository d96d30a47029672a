"""The planner: best-of-N plan drafts, a deterministic scorer, detailing and plan confidence.

Flow (``Planner.plan``): N skeleton drafts are asked for in parallel across the fleet
(``PlanDraft``); each is validated by the same DAG loader the executor uses and scored
deterministically; the best one gets the ``integrate-verify`` sink; plan confidence is
0.7 × self-consistency across drafts + 0.3 × the planner's own rating, and below the
floor the user is asked (the clarify handshake); finally every brief is expanded into an
implementation spec (``SubtaskDetail``) in parallel.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import TypeVar

from pydantic import BaseModel

from brain import ContentError, Message, Role, Transport
from swarm.dag import load_plan
from swarm.errors import PlanError
from swarm.knobs import Knobs, register_knob
from swarm.pipeline._ask import ask_across
from swarm.pipeline._fallback import FALLBACK_ID, fallback_draft
from swarm.pipeline._planner_models import DraftSubtask, PlanDraft, SubtaskDetail
from swarm.pipeline._planner_prompts import (
    DETAILER_SYSTEM,
    DETAILER_USER,
    PLANNER_SYSTEM,
    PLANNER_USER,
)
from swarm.protocols import EventSink, Subtask

register_knob(
    "planner.drafts",
    int,
    1,
    "Plan drafts asked for in parallel (best-of-N).",
    bounds=(1, 16),
    tunable=True,
)
register_knob(
    "planner.subtasks_per_worker",
    float,
    2.5,
    "Subtasks asked for per concurrent worker slot (2-3x keeps every node busy).",
    bounds=(0.5, 10.0),
    tunable=True,
)
register_knob(
    "planner.detail",
    bool,
    True,
    "Expand each one-line brief into an implementation spec before building.",
    tunable=True,
)
register_knob(
    "planner.confidence_floor",
    float,
    0.3,
    "Plan confidence below which the swarm asks the user (clarify handshake).",
    bounds=(0.0, 1.0),
    tunable=True,
)
register_knob(
    "planner.clarify_timeout_s",
    float,
    60.0,
    "How long to wait for .swarm/clarify-answers.json before building anyway.",
    bounds=(0.0, 86_400.0),
)
register_knob(
    "planner.clarify_poll_s",
    float,
    1.0,
    "Polling interval for the clarify answers file.",
    bounds=(0.05, 60.0),
)

T = TypeVar("T", bound="BaseModel")

#: The final task added by the planner code, never by the model.
SINK_ID = "integrate-verify"
SINK_DESCRIPTION = (
    "Integrate and verify: run the entry point and the spec's example commands, check the "
    "outputs against the spec, and fix whatever fails."
)


class PlanningFailed(Exception):
    """No plan: no model answered any draft call; ``str(err)`` says why (one line).

    Drafts that came back unusable do not raise: the run falls back to a one-task plan.
    """


@dataclass
class DraftScore:
    """The deterministic score of one draft and the measurements behind it."""

    draft: int
    """Index of the draft in the order it was asked for."""
    score: float
    """Higher is better, at most 1 (width, size, cohesion less penalties); -1 when invalid."""
    valid: bool
    reason: str = ""
    """Why it is invalid; empty when valid."""
    subtasks: int = 0
    width: int = 0
    """Most subtasks on one dependency level: what can run side by side."""
    depth: int = 0
    """Levels on the longest dependency chain (roots are level 1)."""
    overlap: int = 0
    """Owned paths claimed by more than one subtask (each extra claim counts)."""
    max_fan_in: int = 0
    """Most dependencies of one subtask."""
    answered: bool = True
    """A model answered the call; False when it failed before any answer (the request
    refused, the node unreachable or timed out): infrastructure, not the model's plan."""


@dataclass
class PlanOutcome:
    """What the planner hands the run: the DAG tasks, details, scores and confidence."""

    tasks: list[Subtask]
    """The chosen draft in dependency order, then the ``integrate-verify`` sink."""
    details: dict[str, str]
    """Task id → implementation spec, filled in after the clarify handshake."""
    scores: list[DraftScore]
    """One per draft asked for, invalid ones included."""
    chosen: int
    """``DraftScore.draft`` of the plan taken."""
    confidence: float
    """0..1: 0.7 × self-consistency + 0.3 × the draft's own rating (the rating alone with
    one valid draft); low confidence makes the run ask the user first."""
    self_consistency: float | None
    """0..1 agreement across the valid drafts; None with fewer than two (unmeasured)."""
    questions: list[str] = field(default_factory=list)
    """The chosen draft's questions for the user."""
    clarifications: list[str] = field(default_factory=list)
    """The user's answers, passed on to the workers."""
    fallback: bool = False
    """No draft was usable: the plan is the whole spec to one worker, plus the sink."""

    def plan_loaded_fields(self) -> dict[str, object]:
        """The planner's part of the ``plan_loaded`` event."""
        return {
            "plan_confidence": round(self.confidence, 4),
            "self_consistency": None
            if self.self_consistency is None
            else round(self.self_consistency, 4),
            "chosen_draft": self.chosen,
            "draft_scores": [asdict(s) for s in self.scores],
            "plan_fallback": self.fallback,
        }


# -- scoring ----------------------------------------------------------------------------------


def _bad_path(path: str) -> bool:
    pure = PurePosixPath(path)
    return not path.strip() or pure.is_absolute() or ".." in pure.parts or path.startswith(".swarm")


def _levels(draft: PlanDraft) -> dict[str, int]:
    """Longest-path level of each subtask (roots are level 1); assumes no cycle."""
    deps = {t.id: list(t.deps) for t in draft.subtasks}
    level: dict[str, int] = {}

    def walk(node: str) -> int:
        if node not in level:
            level[node] = 1 + max((walk(d) for d in deps.get(node, []) if d in deps), default=0)
        return level[node]

    for node in deps:
        walk(node)
    return level


def score_draft(draft: PlanDraft, index: int, workers: int, per_worker: float) -> DraftScore:
    """Score a draft; invalid ones (per the executor's DAG loader) score -1 with the reason."""
    try:
        load_plan({"subtasks": [t.model_dump() for t in draft.subtasks]})
    except PlanError as exc:
        return DraftScore(index, -1.0, False, str(exc))
    bad = [p for t in draft.subtasks for p in t.owned_files if _bad_path(p)]
    if not draft.subtasks or bad:
        reason = "no subtasks" if not draft.subtasks else f"unusable owned path {bad[0]!r}"
        return DraftScore(index, -1.0, False, reason)
    levels = _levels(draft)
    per_level = [list(levels.values()).count(n) for n in set(levels.values())]
    files = [p for t in draft.subtasks for p in t.owned_files]
    measured = DraftScore(
        index,
        0.0,
        True,
        subtasks=len(draft.subtasks),
        width=max(per_level),
        depth=max(levels.values()),
        overlap=len(files) - len(set(files)),
        max_fan_in=max(len(t.deps) for t in draft.subtasks),
    )
    measured.score = round(_score(measured, draft, workers, per_worker), 4)
    return measured


def _score(m: DraftScore, draft: PlanDraft, workers: int, per_worker: float) -> float:
    target = max(1.0, per_worker * workers)
    width = min(m.width, workers) / workers  # independent width, useful up to fleet size
    size = max(0.0, 1 - abs(m.subtasks - target) / target)
    # cohesive: a subtask owning 1-3 files is one idea; 0 or many files is a smell
    cohesive = sum(1 <= len(t.owned_files) <= 3 for t in draft.subtasks) / m.subtasks
    penalty = 0.25 * max(0, m.depth - 2) + 0.2 * m.overlap + 0.05 * max(0, m.max_fan_in - 2)
    return 0.4 * width + 0.3 * size + 0.3 * cohesive - penalty


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def self_consistency(drafts: Sequence[PlanDraft]) -> float | None:
    """Agreement across valid drafts: subtask counts and mean pairwise Jaccard of file sets."""
    if len(drafts) < 2:
        return None  # one draft cannot disagree with itself: unmeasured, not perfect
    counts = [len(d.subtasks) for d in drafts]
    count_agreement = min(counts) / max(counts) if max(counts) else 0.0
    sets = [{p for t in d.subtasks for p in t.owned_files} for d in drafts]
    pairs = list(itertools.combinations(sets, 2))
    jaccard = sum(_jaccard(a, b) for a, b in pairs) / len(pairs)
    return (count_agreement + jaccard) / 2


def plan_confidence(consistency: float | None, rating: float) -> float:
    """0.7 × self-consistency + 0.3 × own rating; the rating alone when unmeasured."""
    return rating if consistency is None else 0.7 * consistency + 0.3 * rating


def _answered(error: Exception) -> bool:
    """True when the failed call still got an answer from a model (it was invalid)."""
    return isinstance(error, ContentError) and getattr(error, "status", None) is None


def with_sink(draft: PlanDraft) -> list[Subtask]:
    """The draft's subtasks as scheduler tasks plus the ``integrate-verify`` sink."""
    plan = load_plan({"subtasks": [t.model_dump() for t in draft.subtasks]})
    tasks = [plan.tasks[i] for i in plan.topological_order()]
    sink = Subtask(id=SINK_ID, description=SINK_DESCRIPTION, deps=tuple(t.id for t in tasks))
    return tasks + [sink]


def normalize(draft: PlanDraft) -> PlanDraft:
    """Tidy untrusted model output: clean paths, drop a model-made sink and deps on it."""
    kept = [t for t in draft.subtasks if t.id != SINK_ID]
    cleaned = [
        t.model_copy(
            update={
                "owned_files": list(dict.fromkeys(_clean(p) for p in t.owned_files if _clean(p))),
                "deps": [d for d in dict.fromkeys(t.deps) if d != SINK_ID],
            }
        )
        for t in kept
    ]
    return draft.model_copy(update={"subtasks": cleaned})


def _existing_block(existing: Sequence[str]) -> str:
    """The files already in the workdir (a later stage or a seed), so plans change them."""
    if not existing:
        return ""
    shown = "\n".join(f"- {path}" for path in list(existing)[:200])
    return (
        f"\nEXISTING FILES:\nThe project already has these files; subtasks that change "
        f"one must own it, and new files must fit around them.\n{shown}\n"
    )


def _clean(path: str) -> str:
    path = path.strip().strip("`'\"").replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


# -- the planner ------------------------------------------------------------------------------


class Planner:
    """Plans a spec across the fleet's transports (round-robin, so drafts run in parallel)."""

    def __init__(
        self,
        transports: Sequence[Transport],
        knobs: Knobs,
        events: EventSink,
        *,
        workers: int,
        briefing: str = "",
    ) -> None:
        """``briefing``: the scouts' findings block, added to every planner/detail prompt."""
        if not transports:
            raise ValueError("the planner needs at least one transport")
        self.transports = list(transports)
        self.knobs = knobs
        self.events = events
        self.workers = max(1, workers)
        self.briefing = f"\n{briefing.strip()}\n" if briefing.strip() else ""

    async def _ask(self, index: int, messages: list[Message], model_cls: type[T]) -> T:
        return await ask_across(
            self.transports,
            index,
            messages,
            model_cls,
            attempts=self.knobs.get("planner.call_attempts"),
        )

    async def draft(
        self, spec: str, existing: Sequence[str] = ()
    ) -> tuple[list[PlanDraft | None], list[DraftScore]]:
        """Ask for N drafts in parallel and score each; failed calls score as invalid."""
        n = self.knobs.get("planner.drafts")
        per_worker = self.knobs.get("planner.subtasks_per_worker")
        target = max(2, round(per_worker * self.workers))
        messages = [
            Message(
                role=Role.SYSTEM, content=PLANNER_SYSTEM.format(target=target, workers=self.workers)
            ),
            Message(
                role=Role.USER,
                content=PLANNER_USER.format(
                    spec=spec.strip(), existing=_existing_block(existing) + self.briefing
                ),
            ),
        ]
        answers = await asyncio.gather(
            *(self._ask(i, messages, PlanDraft) for i in range(n)),
            return_exceptions=True,
        )
        drafts: list[PlanDraft | None] = []
        scores: list[DraftScore] = []
        for index, answer in enumerate(answers):
            if isinstance(answer, BaseException) and not isinstance(answer, Exception):
                raise answer  # cancellation and friends are not a bad draft
            if isinstance(answer, Exception):
                drafts.append(None)
                reason = f"planner call failed: {answer}"
                scores.append(DraftScore(index, -1.0, False, reason, answered=_answered(answer)))
                continue
            draft = normalize(answer)
            drafts.append(draft)
            scores.append(score_draft(draft, index, self.workers, per_worker))
        return drafts, scores

    def _fallback(self, spec: str, scores: list[DraftScore]) -> PlanOutcome:
        """The whole spec to one worker; PlanningFailed when no model answered at all."""
        reasons = "; ".join(s.reason for s in scores)
        if not any(s.answered for s in scores):
            raise PlanningFailed(f"no model answered any of {len(scores)} draft call(s): {reasons}")
        draft = fallback_draft(spec)
        self.events.emit(
            "plan_fallback",
            reason=f"no usable plan from {len(scores)} draft(s): {reasons}"[:2000],
            task_id=FALLBACK_ID,
            owned_files=draft.subtasks[0].owned_files,
        )
        return PlanOutcome(
            tasks=with_sink(draft),
            details={},
            scores=scores,
            chosen=-1,
            confidence=0.0,
            self_consistency=None,
            fallback=True,
        )

    async def detail(self, spec: str, tasks: Sequence[Subtask]) -> dict[str, str]:
        """Expand every brief into an implementation spec, in parallel across the fleet."""
        if not self.knobs.get("planner.detail"):
            return {}
        work = [t for t in tasks if t.owned_files]
        answers = await asyncio.gather(
            *(self._detail_one(spec, t, i) for i, t in enumerate(work)), return_exceptions=True
        )
        details: dict[str, str] = {}
        for task, answer in zip(work, answers, strict=True):
            if isinstance(answer, BaseException) and not isinstance(answer, Exception):
                raise answer
            if isinstance(answer, Exception):
                self.events.emit("detail_failed", task_id=task.id, error=str(answer)[:300])
            elif answer.strip():
                details[task.id] = answer.strip()
        return details

    async def _detail_one(self, spec: str, task: Subtask, index: int) -> str:
        user = (
            DETAILER_USER.format(
                spec=spec.strip(),
                task_id=task.id,
                description=task.description,
                files=", ".join(task.owned_files),
                deps=", ".join(task.deps) or "(nothing)",
            )
            + self.briefing
        )
        messages = [
            Message(role=Role.SYSTEM, content=DETAILER_SYSTEM),
            Message(role=Role.USER, content=user),
        ]
        answer = await self._ask(index, messages, SubtaskDetail)
        return answer.spec

    async def plan(self, spec: str, existing: Sequence[str] = ()) -> PlanOutcome:
        """Draft, score, pick and measure confidence; the fallback plan if no draft is valid.

        Details are added by :meth:`detail` after the clarify handshake, so the answers
        can reach the workers before anything is built.
        """
        drafts, scores = await self.draft(spec, existing)
        valid = [(s, drafts[s.draft]) for s in scores if s.valid and drafts[s.draft] is not None]
        if not valid:
            return self._fallback(spec, scores)
        best_score, best = max(valid, key=lambda pair: (pair[0].score, -pair[0].draft))
        assert best is not None
        consistency = self_consistency([d for _, d in valid if d is not None])
        return PlanOutcome(
            tasks=with_sink(best),
            details={},
            scores=scores,
            chosen=best_score.draft,
            confidence=plan_confidence(consistency, best.confidence),
            self_consistency=consistency,
            questions=list(best.questions),
        )


__all__ = [
    "SINK_ID",
    "DraftScore",
    "DraftSubtask",
    "PlanDraft",
    "PlanOutcome",
    "Planner",
    "PlanningFailed",
    "SubtaskDetail",
    "plan_confidence",
    "score_draft",
    "self_consistency",
    "with_sink",
]
