"""The planner: deterministic scoring, best-of-N, the sink, confidence, detailing, clarify."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from swarmrun_support import Recorder, scripted

from brain import ChatResponse
from brain.sim import Fault, FaultKind
from swarm.knobs import Knobs
from swarm.pipeline.clarify import ANSWERS_FILE, QUESTIONS_FILE, ask_user
from swarm.pipeline.planner import (
    SINK_ID,
    DraftSubtask,
    PlanDraft,
    Planner,
    PlanningFailed,
    plan_confidence,
    score_draft,
    self_consistency,
    with_sink,
)


def sub(id: str, files: list[str], deps: list[str] = ()) -> DraftSubtask:  # noqa: A002
    return DraftSubtask(id=id, description=f"build {id}", owned_files=files, deps=list(deps))


WIDE = PlanDraft(
    confidence=0.9,
    subtasks=[
        sub("models", ["app/models.py"]),
        sub("store", ["app/store.py"]),
        sub("render", ["app/render.py"]),
        sub("cli", ["app/__main__.py"], ["models", "store"]),
    ],
)
CHAIN = PlanDraft(
    confidence=0.9,
    subtasks=[
        sub("a", ["app/a.py"]),
        sub("b", ["app/b.py"], ["a"]),
        sub("c", ["app/c.py"], ["b"]),
        sub("d", ["app/d.py"], ["c"]),
    ],
)


def test_scorer_prefers_independent_width_over_a_deep_chain() -> None:
    wide, chain = score_draft(WIDE, 0, 3, 1.5), score_draft(CHAIN, 1, 3, 1.5)
    assert wide.valid and chain.valid
    assert (wide.width, wide.depth) == (3, 2) and (chain.width, chain.depth) == (1, 4)
    assert wide.score > chain.score


def test_scorer_penalizes_file_overlap() -> None:
    overlap = WIDE.model_copy(deep=True)
    overlap.subtasks[1].owned_files = ["app/models.py"]
    assert score_draft(overlap, 0, 3, 1.5).overlap == 1
    assert score_draft(overlap, 0, 3, 1.5).score < score_draft(WIDE, 0, 3, 1.5).score


def test_scorer_validates_through_the_executors_dag_loader() -> None:
    cyclic = PlanDraft(
        confidence=0.5, subtasks=[sub("a", ["a.py"], ["b"]), sub("b", ["b.py"], ["a"])]
    )
    scored = score_draft(cyclic, 0, 2, 2.5)
    assert not scored.valid and "cycle" in scored.reason


def test_scorer_rejects_paths_outside_the_project() -> None:
    escaping = PlanDraft(confidence=0.5, subtasks=[sub("a", ["../evil.py"])])
    assert not score_draft(escaping, 0, 1, 2.5).valid


def test_sink_owns_nothing_and_depends_on_every_task() -> None:
    tasks = with_sink(WIDE)
    sink = tasks[-1]
    assert sink.id == SINK_ID and sink.owned_files == ()
    assert set(sink.deps) == {"models", "store", "render", "cli"}


def test_confidence_is_weighted_self_consistency_and_own_rating() -> None:
    consistency = self_consistency([WIDE, CHAIN])
    # counts agree (4 vs 4), file sets are disjoint (Jaccard 0): consistency 0.5
    assert consistency == pytest.approx(0.5)
    assert plan_confidence(consistency, 0.9) == pytest.approx(0.7 * 0.5 + 0.3 * 0.9)
    assert self_consistency([WIDE]) is None and plan_confidence(None, 0.8) == 0.8


def _planner_node(drafts: list[PlanDraft]):
    answers = iter(drafts)

    def reply(request, model):
        if request.response_schema_name == "PlanDraft":
            return ChatResponse(text=next(answers).model_dump_json())
        return ChatResponse(
            text=json.dumps(
                {"spec": "details for " + request.messages[1].content.split("SUBTASK: ")[1][:20]}
            )
        )

    return scripted(reply)


async def test_best_of_n_picks_the_highest_score_and_records_every_draft() -> None:
    node = _planner_node([CHAIN, WIDE])
    planner = Planner([node], Knobs({"planner.drafts": 2}), Recorder(), workers=3)
    outcome = await planner.plan("PROJECT")
    assert outcome.chosen == 1 and [s.draft for s in outcome.scores] == [0, 1]
    assert [t.id for t in outcome.tasks][-1] == SINK_ID
    fields = outcome.plan_loaded_fields()
    assert fields["chosen_draft"] == 1 and len(fields["draft_scores"]) == 2
    assert fields["plan_confidence"] == pytest.approx(0.7 * 0.5 + 0.3 * 0.9, abs=1e-4)


async def test_no_valid_draft_falls_back_to_the_whole_spec_on_one_worker() -> None:
    bad = PlanDraft(confidence=0.5, subtasks=[sub("a", ["a.py"], ["ghost"])])
    events = Recorder()
    planner = Planner([_planner_node([bad])], Knobs(), events, workers=1)

    outcome = await planner.plan("Build `calc.py`, run as `python -m calc 2+3`.")

    assert outcome.fallback and outcome.confidence == 0.0
    assert [t.id for t in outcome.tasks] == ["whole-spec", SINK_ID]
    assert outcome.tasks[0].owned_files == ("calc.py", "calc/__main__.py")
    (said,) = events.named("plan_fallback")
    assert "unknown task" in said["reason"]
    assert outcome.plan_loaded_fields()["plan_fallback"] is True


async def test_no_answer_from_any_model_is_a_planning_failure_not_a_fallback() -> None:
    refused = scripted(lambda request, model: Fault(FaultKind.HTTP_ERROR, 400, "bad request"))
    planner = Planner([refused], Knobs(), Recorder(), workers=1)

    with pytest.raises(PlanningFailed, match="no model answered"):
        await planner.plan("PROJECT")


async def test_detailing_runs_for_every_task_that_owns_files_with_its_exact_paths() -> None:
    node = _planner_node([WIDE])
    planner = Planner([node], Knobs(), Recorder(), workers=2)
    outcome = await planner.plan("PROJECT")
    details = await planner.detail("PROJECT", outcome.tasks)
    assert set(details) == {"models", "store", "render", "cli"}
    detail_prompts = [
        r.messages[1].content
        for r in node.policy.requests
        if r.response_schema_name == "SubtaskDetail"
    ]
    assert any("OWNED FILES: app/__main__.py" in p for p in detail_prompts)


async def test_clarify_writes_questions_emits_ask_and_returns_answers_verbatim(
    tmp_path: Path,
) -> None:
    events = Recorder()

    async def answer_later() -> None:
        await asyncio.sleep(0.1)
        (tmp_path / ".swarm" / ANSWERS_FILE).write_text(json.dumps(["Use SQLite, table items"]))

    answering = asyncio.create_task(answer_later())
    answers = await ask_user(
        tmp_path, ["Which database?"], 0.2, timeout_s=5, poll_s=0.05, events=events
    )
    await answering
    asked = json.loads((tmp_path / ".swarm" / QUESTIONS_FILE).read_text())
    assert asked["questions"] == ["Which database?"] and asked["plan_confidence"] == 0.2
    assert answers == ["Use SQLite, table items"]
    assert events.named("low_confidence_ask")[0]["questions"] == ["Which database?"]


async def test_clarify_times_out_without_answers(tmp_path: Path) -> None:
    events = Recorder()
    answers = await ask_user(tmp_path, [], 0.1, timeout_s=0.1, poll_s=0.02, events=events)
    assert answers == [] and events.named("clarify_timeout")


async def test_a_transient_planner_failure_moves_to_the_next_node() -> None:
    from brain.sim import Fault, FaultKind

    down = scripted([Fault(FaultKind.HTTP_ERROR, status=503)])
    planner = Planner([down, _planner_node([WIDE])], Knobs(), Recorder(), workers=2)
    outcome = await planner.plan("PROJECT")
    assert outcome.scores[0].valid and len(down.policy.requests) == 1


def test_the_fallback_owns_the_entry_package_not_the_tools_a_spec_runs() -> None:
    from swarm.pipeline._fallback import files_named_in

    spec = "Run the tests with `python -m pytest`; the app runs as `python -m todo add X`."
    assert files_named_in(spec) == ["todo/__main__.py"]
