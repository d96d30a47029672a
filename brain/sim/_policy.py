"""The simulator's policy: a seeded, deterministic function from a chat request to a reply.

Every random choice is a hash of (seed, behaviour, what the choice is about, occurrence
index of the request's fingerprint), never of call order: concurrent requests get the
same answers in any order, and an identical retried request may succeed where its first
try faulted. A fault never repeats more than :data:`MAX_FAULTS` times per fingerprint.

Misbehaviours are drawn per *attempt*: a worker conversation's attempt index counts the
earlier answered openings of the same conversation, so a retried task misbehaves again at
the profile's rate — the engine's defences are not handed a guaranteed win on a retry.
Only explicit findings are always followed: a repair naming the stubs, frozen interfaces or
a review finding naming the drifted function.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from brain._errors import ConfigError
from brain._types import ChatRequest, ChatResponse, FinishReason, ToolCall, Usage
from brain.sim._catalog import Catalog, SimTask, default_catalog_dir, load_catalog
from brain.sim._imports import CrossUse, cross_module_functions
from brain.sim._mutations import drifted_name, rename_identifier, stub_bodies
from brain.sim._profiles import SLOW_FACTOR, ProfileMix, parse_profiles
from brain.sim._reply import Fault, FaultKind, SimReply
from brain.sim._request import Kind, RequestView
from brain.sim._roles import (
    examples,
    judge,
    planner,
    prereview,
    scout,
    semantic_judge,
    user,
    worker,
)
from brain.sim._roles.filler import fit, minimal
from brain.sim._seeding import OccurrenceCounter, draw, fingerprint, rng, short_hash

#: Modelled speed of a small local model on one consumer GPU (tokens per second).
PREFILL_TOKENS_PER_S = 1500.0
DECODE_TOKENS_PER_S = 40.0
#: A fault on the same request at most this often; then it is answered, so retries converge.
MAX_FAULTS = 2
#: The flaky profile's faults, equally likely: what LM Studio and Ollama really do.
_FLAKY = (
    Fault(FaultKind.HTTP_ERROR, 503, "model is unloaded"),
    Fault(FaultKind.HTTP_ERROR, 500, "internal server error"),
    Fault(FaultKind.DROP, 0, "connection dropped mid-answer", after_chunks=1),
)


def _tokens(text: str) -> int:
    return (len(text) + 3) // 4


def _request_tokens(request: ChatRequest) -> int:
    text = "".join(
        m.content + "".join(json.dumps(c.arguments) for c in m.tool_calls) for m in request.messages
    )
    return _tokens(text + "".join(json.dumps(t.parameters) for t in request.tools))


def _response_tokens(response: ChatResponse) -> int:
    return _tokens(response.text + "".join(json.dumps(c.arguments) for c in response.tool_calls))


class RulePolicy:
    """The rule-based :class:`~brain.sim.SimPolicy`: planner, worker and harness-brain roles."""

    def __init__(
        self,
        mix: ProfileMix,
        *,
        seed: int,
        time_scale: float,
        catalog: Catalog,
        decode_tps: float = DECODE_TOKENS_PER_S,
    ):
        self.mix, self.seed, self.time_scale, self.catalog = mix, seed, time_scale, catalog
        self.decode_tps = decode_tps
        self._seen = OccurrenceCounter()
        self._faulted = OccurrenceCounter()
        self._answered = OccurrenceCounter()  # per conversation: openings answered unfaulted
        self._attempts: dict[str, int] = {}  # conversation -> its current attempt index
        self._attempt_lock = threading.Lock()
        self._drift_targets: dict[tuple[str, int], CrossUse | None] = {}
        self._fault_lock = threading.Lock()  # the cap check and its count are one step

    @property
    def profile(self) -> str:
        """The profile spec this policy plays, e.g. ``drifter+flaky``."""
        return self.mix.label

    def _hit(self, behaviour: str, *about: object) -> bool:
        rate = self.mix.rate(behaviour)
        return rate > 0 and draw(self.seed, behaviour, *about) < rate

    def reply(self, request: ChatRequest, model: str) -> SimReply:
        """Answer one request: the role's answer, an optional fault, modelled latency."""
        view, key = RequestView(request), fingerprint(request)
        occurrence = self._seen.next(key)
        fault = self._fault(key, occurrence)
        if fault is None and view.role is Kind.WORKER:
            self._note_attempt(view)
        response = self._answer(view, key)
        prompt, completion = _request_tokens(request), _response_tokens(response)
        latency = prompt / PREFILL_TOKENS_PER_S + completion / self.decode_tps
        latency *= self.time_scale * (SLOW_FACTOR if self._hit("slow", key, occurrence) else 1.0)
        response.usage = Usage(prompt_tokens=prompt, completion_tokens=completion)
        response.model, response.latency_ms = model, latency * 1000.0
        return SimReply(response=response, fault=fault, latency_s=latency)

    def _fault(self, key: str, occurrence: int) -> Fault | None:
        with self._fault_lock:
            if self._faulted.peek(key) >= MAX_FAULTS:
                return None
            fault = self._draw_fault(key, occurrence)
            if fault is not None:
                self._faulted.bump(key)
            return fault

    def _draw_fault(self, key: str, occurrence: int) -> Fault | None:
        fault = None
        if self._hit("staller", key, occurrence):
            chunks = rng(self.seed, "stall-at", key, occurrence).randint(0, 3)
            fault = Fault(FaultKind.STALL, 0, "stream stalled", after_chunks=chunks)
        elif self._hit("flaky", key, occurrence):
            fault = rng(self.seed, "flaky-kind", key, occurrence).choice(_FLAKY)
        return fault

    def _note_attempt(self, view: RequestView) -> None:
        """An answered opening (no assistant turn yet) starts a new attempt of its conversation."""
        if any(m.role == "assistant" for m in view.request.messages):
            return
        conversation = short_hash(*view.conversation_key)
        with self._attempt_lock:  # a retry's note may come later: count by conversation
            self._attempts[conversation] = self._answered.next(conversation)

    def _attempt(self, view: RequestView) -> int:
        """The attempt index of this request's conversation (0 for the first attempt)."""
        with self._attempt_lock:
            return self._attempts.get(short_hash(*view.conversation_key), 0)

    def _answer(self, view: RequestView, key: str) -> ChatResponse:
        if view.role is Kind.STRUCTURED:
            return self._structured(view, key)
        if view.role is Kind.WORKER:
            return self._worker(view, key)
        return ChatResponse(text=f"This is the swarm-gym simulator ({self.profile}).")

    # -- structured answers -------------------------------------------------------------

    def _structured(self, view: RequestView, key: str) -> ChatResponse:
        name = view.schema_name or ""
        answer = self._structured_answer(name, view)
        if view.schema:
            answer = fit(answer, view.schema)
        if view.via_tool:
            call = ToolCall(id=f"call_{short_hash(key, name)}", name=name, arguments=answer)
            return ChatResponse(tool_calls=[call], finish_reason=FinishReason.TOOL_CALLS)
        return ChatResponse(text=json.dumps(answer, indent=1))

    def _structured_answer(self, name: str, view: RequestView) -> Any:
        found = self.catalog.recognise(view.prompt)
        ref = found[0].reference(found[1]) if found else {}
        about = rng(self.seed, name, *view.conversation_key)
        if name == "PlanDraft":
            confidence = 0.7 + 0.25 * about.random()
            return (
                planner.plan_draft(*found, confidence)
                if found
                else planner.unknown_plan(view, confidence)
            )
        answers = {
            "SubtaskDetail": lambda: planner.subtask_detail(view, ref),
            "ModuleContract": lambda: planner.module_contract(view, ref),
            "JudgeReport": lambda: judge.judge_report(view),
            "UserTurn": lambda: user.user_turn(view, about),
            "InventedTask": lambda: user.invented_task(
                view,
                self.catalog,
                about,
                wrong_golden=self._hit("wrong-golden", *view.conversation_key),
            ),
            "SpecExamples": examples.spec_examples,
            "ScoutFindings": lambda: scout.scout_findings(view),
            "SemanticVerdict": lambda: semantic_judge.semantic_verdict(view, about),
            "PreReviewReport": lambda: prereview.prereview_report(view, about),
        }
        return answers[name]() if name in answers else minimal(view.schema)

    # -- worker turns -------------------------------------------------------------------

    def _worker(self, view: RequestView, key: str) -> ChatResponse:
        found = self.catalog.recognise(view.prompt)
        owned = view.owned_files

        def content_of(path: str) -> str:
            return self._content(view, found, path)

        attempt = (*view.conversation_key, self._attempt(view))
        opening = not view.written
        if opening and self._hit("narrator", *attempt):
            return ChatResponse(text=worker.narration(owned, content_of))
        if opening and self._hit("fake-done", *attempt):
            action = worker.Action("done", summary="All files are implemented and tested.")
        elif not owned:
            action = worker.integrate_action(view, found[0].sink_commands if found else [])
        else:
            action = worker.consult_action(view) or worker.next_action(view, owned, content_of)
        call_id = f"call_{short_hash(key, action.tool, action.path)}"
        call = ToolCall(id=call_id, name=action.tool, arguments=action.arguments)
        return ChatResponse(tool_calls=[call], finish_reason=FinishReason.TOOL_CALLS)

    def _content(self, view: RequestView, found: tuple[SimTask, int] | None, path: str) -> str:
        ref = found[0].reference(found[1]) if found else {}
        content = ref.get(path)
        if content is None:
            return worker.placeholder(path)
        if not path.endswith(".py") or found is None:
            return content
        task, stage = found
        content = self._maybe_drift(view, task, stage, path, content)
        attempt = self._attempt(view)
        if not view.told_about_stubs and self._hit("stubber", task.id, stage, path, attempt):
            content = stub_bodies(content)
        return content

    def _maybe_drift(
        self, view: RequestView, task: SimTask, stage: int, path: str, content: str
    ) -> str:
        """Rename the task's drift target where it is defined, unless interfaces are frozen."""
        if not self.mix.rate("drifter") or view.frozen:
            return content
        drift = self._drift_target(task, stage)
        if drift is None or drift.defined_in != path or drift.name in view.review_findings:
            return content
        if not self._hit("drifter", task.id, stage, self._attempt(view)):
            return content
        new_name = drifted_name(drift.name, set(re.findall(r"\w+", content)))
        return rename_identifier(content, drift.name, new_name)

    def _drift_target(self, task: SimTask, stage: int) -> CrossUse | None:
        """The one cross-module function this task drifts at this stage (same for every worker)."""
        key = (task.id, stage)
        if key not in self._drift_targets:
            self._drift_targets[key] = self._choose_drift_target(task, stage)
        return self._drift_targets[key]

    def _choose_drift_target(self, task: SimTask, stage: int) -> CrossUse | None:
        changed = planner.changed_files(task, stage)
        uses = [u for u in cross_module_functions(task.reference(stage)) if u.defined_in in changed]
        preferred = [u for u in uses if not planner.is_test(u.used_in)] or uses
        if not preferred:
            return None
        return rng(self.seed, "drift-target", task.id, stage).choice(preferred)


def make_policy(
    profile_spec: str,
    *,
    seed: int = 0,
    rate: float | None = None,
    time_scale: float = 1.0,
    catalog_dir: Path | None = None,
    decode_tps: float | None = None,
) -> RulePolicy:
    """The policy for ``profile_spec`` (``drifter+flaky``, ``stubber:0.5``...).

    Unknown profile → :class:`brain.ConfigError` naming the known ones. The catalog
    defaults to ``gym/catalog`` (read as data). ``decode_tps`` is the modelled decode speed
    (tokens per second, default :data:`DECODE_TOKENS_PER_S`); a non-positive one is a ConfigError.
    """
    mix = parse_profiles(profile_spec, rate=rate)
    catalog = load_catalog(Path(catalog_dir) if catalog_dir else default_catalog_dir())
    if decode_tps is not None and decode_tps <= 0:
        raise ConfigError(f"tps must be above 0, got {decode_tps:g}")
    return RulePolicy(
        mix,
        seed=seed,
        time_scale=max(0.0, time_scale),
        catalog=catalog,
        decode_tps=decode_tps or DECODE_TOKENS_PER_S,
    )
