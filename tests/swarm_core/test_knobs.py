"""The knob registry: typed values from files and flags, one-line errors, documented knobs."""

from __future__ import annotations

import pytest

from swarm import KnobError, Knobs, all_knobs, load_knob_file, parse_knob_args, resolve_knobs


def test_core_knobs_are_registered_with_docs_and_defaults():
    knobs = all_knobs()
    expected = {
        "scheduler.policy": "critical_path",
        "scheduler.tick_s": 15.0,
        "judge.confidence_bar": 0.85,
        "judge.min_age_s": 90.0,
        "judge.over_reading_calls": 16,
        "judge.intervention_cap": 2,
    }
    assert {name: knobs[name].default for name in expected} == expected
    assert knobs["scheduler.policy"].choices == ("fanout", "critical_path")
    assert all(k.doc for k in knobs.values())


def test_knob_args_are_typed_and_checked():
    values = parse_knob_args(
        ["scheduler.policy=fanout", "judge.min_age_s=30", "judge.over_reading_calls=8"]
    )
    assert values == {
        "scheduler.policy": "fanout",
        "judge.min_age_s": 30.0,
        "judge.over_reading_calls": 8,
    }


@pytest.mark.parametrize(
    "arg, message",
    [
        ("scheduler.policy=random", "is not one of: fanout, critical_path"),
        ("judge.confidence_bar=1.5", "outside [0.0, 1.0]"),
        ("judge.over_reading_calls=many", "wants int, got 'many'"),
        ("no.such.knob=1", "unknown knob 'no.such.knob'"),
        ("scheduler.policy", "not of the form name=value"),
    ],
)
def test_bad_knob_values_are_one_line_errors(arg, message):
    with pytest.raises(KnobError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_knob_args([arg])


def test_knob_file_then_flags_override_defaults(tmp_path):
    path = tmp_path / "knobs.toml"
    path.write_text(
        '[judge]\nmin_age_s = 45\n"over_reading_calls" = 12\n[scheduler]\npolicy = "fanout"\n'
    )
    assert load_knob_file(path)["judge.min_age_s"] == 45.0
    knobs = resolve_knobs(path, ["scheduler.policy=critical_path"])
    assert (
        knobs.get("scheduler.policy") == "critical_path"
        and knobs.source("scheduler.policy") == "cli"
    )
    assert (
        knobs.get("judge.over_reading_calls") == 12
        and knobs.source("judge.over_reading_calls") == "file"
    )
    assert (
        knobs.get("judge.confidence_bar") == 0.85
        and knobs.source("judge.confidence_bar") == "default"
    )


def test_a_knob_file_that_is_not_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "knobs.toml"
    path.write_text("this is = = not toml")
    with pytest.raises(KnobError, match="is not valid TOML"):
        load_knob_file(path)


def test_resolved_knobs_list_every_knob_for_the_report():
    values = Knobs({"judge.min_age_s": 10}).as_dict()
    assert values["judge.min_age_s"] == 10.0 and values["scheduler.tick_s"] == 15.0
    assert set(values) == set(all_knobs())


def test_tunable_knobs_carry_a_search_range_for_the_tweaker():
    tunable = {n: k for n, k in all_knobs().items() if k.tunable and k.type in (int, float)}
    assert "judge.stale_window_s" in tunable
    assert all(k.search_range is not None for k in tunable.values())
