"""Plan loading and splicing: every problem reported at once, nothing half-applied."""

from __future__ import annotations

import pytest

from swarm import PlanError, Subtask, load_plan
from swarm.scheduler.priority import critical_path_lengths


def test_a_cycle_is_rejected_at_load_with_the_n_of_m_count():
    with pytest.raises(PlanError) as err:
        load_plan(
            [
                {"id": "a", "deps": ["c"]},
                {"id": "b", "deps": ["a"]},
                {"id": "c", "deps": ["b"]},
                {"id": "free"},
                {"id": "after", "deps": ["free"]},
            ]
        )
    assert "plan has a dependency cycle (2 of 5 tasks orderable)" in str(err.value)


def test_duplicate_ids_and_unknown_deps_are_reported_together():
    with pytest.raises(PlanError) as err:
        load_plan([{"id": "a"}, {"id": "a"}, {"id": "b", "deps": ["ghost"]}])
    assert err.value.problems == [
        "duplicate task id 'a'",
        "task 'b' depends on unknown task 'ghost'",
    ]
    assert str(err.value).count("\n") == 0


def test_a_plan_that_is_not_json_is_a_clear_error():
    with pytest.raises(PlanError, match=r"invalid plan: not JSON \(Expecting .* at line 1\)"):
        load_plan("{oops")


def test_malformed_fields_are_named():
    with pytest.raises(PlanError) as err:
        load_plan(
            {
                "subtasks": [
                    {"id": "a", "deps": "b"},
                    {"description": "no id"},
                    {"id": "c", "difficulty": "extreme"},
                ]
            }
        )
    fields = [p.split(":")[0] for p in err.value.problems]
    assert fields == ["subtasks[0].deps", "subtasks[1].id", "subtasks[2].difficulty"]


def test_a_plan_without_subtasks_names_the_missing_field():
    with pytest.raises(PlanError, match="subtasks: Field required"):
        load_plan({"confidence": 0.5})


def test_accepts_text_mapping_and_list_forms():
    text = '{"subtasks": [{"id": "a"}, {"id": "b", "deps": ["a"]}], "confidence": 0.7}'
    assert load_plan(text).confidence == 0.7
    assert load_plan({"tasks": [{"id": "a"}]}).topological_order() == ["a"]
    assert list(load_plan([{"id": "x"}, {"id": "y"}]).tasks) == ["x", "y"]


def test_hard_tasks_weigh_double_without_an_estimate():
    dag = load_plan(
        [
            {"id": "a", "difficulty": "hard"},
            {"id": "b", "deps": ["a"]},
            {"id": "c", "estimated_cost": 5},
        ]
    )
    assert critical_path_lengths(dag) == {"a": 3.0, "b": 1.0, "c": 5.0}


def test_splice_validates_everything_before_changing_anything():
    dag = load_plan([{"id": "a"}, {"id": "b"}, {"id": "c", "deps": ["a"]}])
    bad = [
        Subtask(id="ok", description="", deps=("a",)),
        Subtask(id="broken", description="", deps=("b",)),
    ]
    with pytest.raises(PlanError, match="depends on failed task 'b'"):
        dag.splice(bad, done={"a"}, failed={"b"})
    assert list(dag.tasks) == ["a", "b", "c"] and dag.children["a"] == ["c"]


def test_splice_rejects_dependencies_on_unfinished_tasks_and_reused_ids():
    dag = load_plan([{"id": "a"}, {"id": "b"}])
    with pytest.raises(PlanError) as err:
        dag.splice(
            [Subtask(id="x", description="", deps=("b",)), Subtask(id="a", description="")],
            done={"a"},
            failed=set(),
        )
    assert err.value.problems == [
        "bonus task 'x' depends on unfinished task 'b'",
        "bonus task 'a' reuses an existing id",
    ]


def test_splice_adds_tasks_that_depend_on_done_ones_and_each_other():
    dag = load_plan([{"id": "a"}])
    dag.splice(
        [
            Subtask(id="x", description="", deps=("a",), bonus=True),
            Subtask(id="y", description="", deps=("x",), bonus=True),
        ],
        done={"a"},
        failed=set(),
    )
    assert dag.topological_order() == ["a", "x", "y"] and dag.descendants("a") == {"x", "y"}
