"""Planning episodes and choosing each turn's stage."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gym.config import GymConfig
from gym.episode._kept import KeptApps
from gym.episode._start import resolve_start
from gym.episode._user import next_stage
from gym.errors import GymConfigError
from gym.generator import EpisodePlan, InventedTask, load_suite, plan_episodes, write_task
from gym.generator._personas import PERSONAS
from gym.orchestrator._preflight import load_catalog
from verifier import Task, load_task


@pytest.fixture
def greet(greet_catalog: Path) -> Task:
    return load_task(greet_catalog / "greet")


def test_plans_are_deterministic_in_the_seed_with_distinct_episode_seeds() -> None:
    config = GymConfig(episodes=20, seed=7)
    tasks = load_catalog(config)
    first = plan_episodes(config, tasks, suite=None, invent=False)
    assert first == plan_episodes(config, tasks, suite=None, invent=False)
    assert len({p.seed for p in first}) == 20
    assert first != plan_episodes(
        config.model_copy(update={"seed": 8}), tasks, suite=None, invent=False
    )


def test_every_persona_plays_and_archetypes_follow_the_weights() -> None:
    config = GymConfig(episodes=20)
    plans = plan_episodes(config, load_catalog(config), suite=None, invent=False)
    assert set(Counter(p.persona for p in plans)) == set(PERSONAS)
    assert len({p.archetype for p in plans}) == 3
    only = config.model_copy(update={"archetype": "minimal-spec", "persona": "vague-user"})
    forced = plan_episodes(only, load_catalog(only), suite=None, invent=False)
    assert {p.archetype for p in forced} == {"minimal-spec"}
    assert {p.persona for p in forced} == {"vague-user"}


def test_continue_existing_without_such_tasks_falls_back_to_heavy_spec(greet) -> None:
    config = GymConfig(episodes=3, archetype="continue-existing")
    plans = plan_episodes(config, [greet], suite=None, invent=False)
    assert {p.task for p in plans} == {"greet"}  # the only heavy-spec task


def test_suite_fixes_tasks_personas_and_seeds() -> None:
    config = GymConfig(suite="smoke")
    suite = load_suite("smoke")
    plans = plan_episodes(config, load_catalog(config), suite=suite, invent=False)
    assert [(p.task, p.persona, p.seed) for p in plans] == [
        (e.task, e.persona, e.seed) for e in suite.episodes
    ]


def test_next_stage_follows_the_move(greet) -> None:
    assert next_stage(greet, 1, "feature") == 2
    assert next_stage(greet, 1, "fix") == 1  # repair the current stage
    assert next_stage(greet, 1, "done") is None
    assert next_stage(greet, 2, "feature") is None  # nothing left to ask for


def test_continue_existing_starts_from_a_kept_green_app(tmp_path, greet) -> None:
    kept = KeptApps(tmp_path, simulated=True)
    plan = EpisodePlan(
        index=0,
        archetype="continue-existing",
        persona="pragmatic",
        task="greet",
        seed=5,
        max_turns=2,
    )
    # nothing kept: a task without a seed continues from its stage-1 reference
    start = resolve_start(plan, {"greet": greet}, kept)
    assert (start.source, start.stage, start.tree) == ("reference", 2, greet.reference_dir(1))
    kept.keep("greet", 1, greet.reference_dir(1), key="ep1")
    start = resolve_start(plan, {"greet": greet}, kept)
    assert (start.source, start.stage) == ("kept", 2)
    assert (start.tree / "greet" / "__main__.py").is_file()
    assert KeptApps(tmp_path, simulated=False).all() == []  # sim apps never seed real runs
    # each kept app is continued once per run; a final stage has no next one to ask for
    kept.keep("greet", 2, greet.reference_dir(1), key="ep2")
    assert resolve_start(plan, {"greet": greet}, kept).source == "reference"
    assert resolve_start(plan, {"greet": greet}, KeptApps(tmp_path, simulated=True)).stage == 2


def test_invented_task_is_written_in_contract_one_form(tmp_path, greet) -> None:
    data = greet.model_dump(mode="json", by_alias=True, exclude_none=True)
    reference = greet.reference_dir(1)
    data["reference"] = [
        {"path": p.relative_to(reference).as_posix(), "content": p.read_text()}
        for p in sorted(reference.rglob("*.py"))
    ]
    invented = InventedTask.model_validate(
        {k: v for k, v in data.items() if k in InventedTask.model_fields}
    )
    task = write_task(invented, tmp_path, taken={"greet"}, seed=9)
    assert task.id == "greet-9" and (tmp_path / "greet-9" / "task.toml").is_file()
    assert [c.name for c in task.checks_for_stage(1)] == [c.name for c in greet.checks_for_stage(1)]
    assert task.max_stage == 1  # a follow-up has no reference of its own to self-test
    written = tmp_path / "greet-9" / "reference" / "greet" / "__main__.py"
    assert written.read_text() == (reference / "greet" / "__main__.py").read_text()


def test_one_seed_draws_the_same_plans_whatever_the_fleet_and_knobs() -> None:
    a = GymConfig(episodes=12, seed=4)
    b = a.model_copy(update={"knobs": ["worker.turn_cap=9"], "fleet": "sim:sloppy?seed=8"})
    tasks = load_catalog(a)
    plans = plan_episodes(a, tasks, suite=None, invent=False)
    assert plans == plan_episodes(b, tasks, suite=None, invent=False)
    assert "continue-existing" in {p.archetype for p in plans}


def test_task_limit_keeps_each_task_in_its_own_archetype(greet) -> None:
    config = GymConfig(episodes=6, seed=2, tasks=["greet"])
    plans = plan_episodes(config, [greet], suite=None, invent=False)
    assert {p.task for p in plans} == {"greet"}
    assert {p.archetype for p in plans} <= {"heavy-spec", "continue-existing"}


def test_task_limit_filters_a_suite_and_refuses_one_it_empties() -> None:
    suite = load_suite("smoke")
    first = suite.episodes[0].task
    config = GymConfig(suite="smoke", tasks=[first])
    plans = plan_episodes(config, load_catalog(config), suite=suite, invent=False)
    assert plans and {p.task for p in plans} == {first}
    with pytest.raises(GymConfigError, match="no episode of task"):
        plan_episodes(
            config.model_copy(update={"tasks": ["no-such"]}),
            load_catalog(config),
            suite=suite,
            invent=False,
        )


def test_suite_loads_from_a_file_path(tmp_path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[[episodes]]\ntask = "greet"\npersona = "pragmatic"\nseed = 3\n')
    suite = load_suite(str(path))
    assert suite.name == "mine" and [e.seed for e in suite.episodes] == [3]
    with pytest.raises(GymConfigError, match="unknown suite 'nope'"):
        load_suite("nope")
