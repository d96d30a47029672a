"""The strength-scaled ASK floor: weak planners ask sooner; low confidence forces best-of-N.

The planner's self-rating is scripted (every ``PlanDraft`` answer gets the confidence the
test sets), and the node's model name is what the floor is read from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from swarmrun_support import PRIMARY, catalog_task, read_log
from typer.testing import CliRunner

from brain import ChatRequest, ChatResponse, register_scheme
from brain.sim import SimTransport
from swarm.knobs import Knobs
from swarm.pipeline._ask import planner_strength
from swarm.pipeline.clarify import ask_floor, needs_more_drafts
from swarm.pipeline.cli import app

FAST = ["--knob", "gates.smoke=false"]


def test_model_names_are_parsed_generically() -> None:
    moe = planner_strength("qwen3-35b-a3b")
    assert moe.moe and moe.active_b == 3.0 and moe.total_b == 35.0
    dense = planner_strength("qwen3-32b")
    assert not dense.moe and dense.active_b == 32.0
    assert planner_strength("SmolLM2-135M-Instruct").active_b == pytest.approx(0.135)
    assert not planner_strength("competent").known


def test_a_3b_active_moe_gets_a_higher_floor_than_a_dense_32b() -> None:
    knobs = Knobs()
    base = knobs.get("planner.confidence_floor")
    weak, strong = ask_floor(knobs, ["qwen3-35b-a3b"]), ask_floor(knobs, ["qwen3-32b"])
    assert weak.floor > strong.floor
    assert strong.floor == pytest.approx(base)
    assert ask_floor(knobs, ["mystery-model"]).floor == pytest.approx(base)
    # the fleet's weakest planner sets the floor (drafts and details spread over all nodes)
    assert ask_floor(knobs, ["qwen3-32b", "qwen3-35b-a3b"]).floor == weak.floor


def test_scaling_off_keeps_the_configured_floor_and_never_forces_drafts() -> None:
    off = ask_floor(Knobs({"ask.strength_scaling": False}), ["qwen3-35b-a3b"])
    assert off.floor == pytest.approx(0.3) and not off.scaled
    assert not needs_more_drafts(off, confidence=0.01, consistency=None, fallback=False)
    on = ask_floor(Knobs(), ["qwen3-35b-a3b"])
    assert needs_more_drafts(on, confidence=0.4, consistency=None, fallback=False)
    assert not needs_more_drafts(on, confidence=0.4, consistency=0.9, fallback=False)
    assert not needs_more_drafts(on, confidence=0.4, consistency=None, fallback=True)


# -- through `swarm run` ------------------------------------------------------------------


def _rated_scheme(scheme: str, rating: float) -> list[ChatRequest]:
    """A sim scheme whose plan drafts all rate themselves ``rating``; records draft calls."""
    drafts: list[ChatRequest] = []

    class Rated(SimTransport):
        async def chat(self, request: ChatRequest) -> ChatResponse:
            response = await super().chat(request)
            if request.response_schema_name != "PlanDraft":
                return response
            drafts.append(request)
            data = json.loads(response.text)
            data["confidence"] = rating
            return response.model_copy(update={"text": json.dumps(data)})

    register_scheme(scheme, lambda url, **o: Rated.from_url(url.replace(f"{scheme}:", "sim:"), **o))
    return drafts


def _run(tmp_path: Path, node: str, *knobs: str) -> tuple[int, list[dict]]:
    spec = tmp_path / "spec.md"
    spec.write_text(catalog_task(PRIMARY).spec_for_stage(1))
    args = ["run", "--spec", str(spec), "--workdir", str(tmp_path / "w"), "--fleet", node]
    extra = ["--knob", "planner.clarify_timeout_s=0.2", "--knob", "planner.clarify_poll_s=0.05"]
    result = CliRunner().invoke(app, [*args, "--output-format", "json", *FAST, *extra, *knobs])
    return result.exit_code, read_log(tmp_path / "w")


def _named(events: list[dict], name: str) -> list[dict]:
    return [e for e in events if e["event"] == name]


def test_low_confidence_from_a_weak_planner_forces_best_of_n(tmp_path: Path) -> None:
    drafts = _rated_scheme("ratedweak", 0.45)
    code, events = _run(tmp_path, "ratedweak:competent?time_scale=0&model=qwen3-35b-a3b")
    assert code == 0
    (forced,) = _named(events, "best_of_n_forced")
    assert forced["drafts"] == 3 and forced["plan_confidence"] == 0.45 and forced["floor"] > 0.45
    assert len(drafts) == 1 + 3
    (loaded,) = _named(events, "plan_loaded")
    assert loaded["self_consistency"] is not None  # now there is an agreement signal
    assert loaded["ask_floor"]["floor"] == forced["floor"]
    assert loaded["ask_floor"]["planner_strength"]["moe"] is True


def test_the_same_rating_from_a_dense_32b_is_enough(tmp_path: Path) -> None:
    drafts = _rated_scheme("ratedstrong", 0.45)
    code, events = _run(tmp_path, "ratedstrong:competent?time_scale=0&model=qwen3-32b")
    assert code == 0 and len(drafts) == 1
    assert _named(events, "best_of_n_forced") == [] and _named(events, "low_confidence_ask") == []


def test_scaling_off_is_the_old_behaviour_for_the_weak_planner(tmp_path: Path) -> None:
    drafts = _rated_scheme("ratedoff", 0.45)
    node = "ratedoff:competent?time_scale=0&model=qwen3-35b-a3b"
    code, events = _run(tmp_path, node, "--knob", "ask.strength_scaling=false")
    assert code == 0 and len(drafts) == 1
    assert _named(events, "best_of_n_forced") == [] and _named(events, "low_confidence_ask") == []
    (loaded,) = _named(events, "plan_loaded")
    assert loaded["ask_floor"]["floor"] == 0.3 and loaded["ask_floor"]["strength_scaling"] is False


def test_the_ask_records_the_floor_used_and_the_strength_estimate(tmp_path: Path) -> None:
    _rated_scheme("ratedask", 0.1)
    node = "ratedask:competent?time_scale=0&model=qwen3-35b-a3b"
    code, events = _run(tmp_path, node, "--knob", "planner.confidence_floor=0.95")
    assert code == 0
    (asked,) = _named(events, "low_confidence_ask")
    assert asked["floor"] == 0.95 and asked["plan_confidence"] < 0.95
    assert asked["planner_strength"] == {
        "model": "qwen3-35b-a3b",
        "active_b": 3.0,
        "total_b": 35.0,
        "moe": True,
    }
