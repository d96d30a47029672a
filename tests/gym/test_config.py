"""Configuration: defaults < gym.toml < command line, and bad input named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gym.config import DEFAULT_FLEET, load_config
from gym.errors import GymConfigError


def test_defaults_are_simulated_with_a_three_node_fleet(tmp_path: Path) -> None:
    loaded = load_config({}, cwd=tmp_path)
    assert loaded.config.episodes == 20 and loaded.config.parallel == 2
    assert loaded.config.fleet == DEFAULT_FLEET and len(DEFAULT_FLEET.split(",")) == 3
    assert loaded.config.simulated
    assert set(loaded.sources.values()) == {"default"}


def test_cli_wins_over_gym_toml_and_sources_are_reported(tmp_path: Path) -> None:
    (tmp_path / "gym.toml").write_text(
        'episodes = 5\nparallel = 3\nfleet = ["http://127.0.0.1:1/v1?model=m", '
        '{url = "http://127.0.0.1:2/v1", weight = 2}]\n[knobs]\n"worker.turn_cap" = 30\n'
    )
    loaded = load_config({"episodes": 7, "persona": None}, cwd=tmp_path)
    config = loaded.config
    assert config.episodes == 7 and loaded.sources["episodes"] == "cli"
    assert config.parallel == 3 and loaded.sources["parallel"].endswith("gym.toml")
    assert config.fleet == "http://127.0.0.1:1/v1?model=m,http://127.0.0.1:2/v1?weight=2"
    assert config.knobs == ["worker.turn_cap=30"]
    assert loaded.sources["persona"] == "default"
    assert config.simulated  # real fleet, but the brain is still the simulator


@pytest.mark.parametrize(
    ("toml", "cli", "needle"),
    [
        ("episodes = [", {}, "not valid TOML"),
        ("episods = 3", {}, "unknown option 'episods'"),
        ("", {"archetype": "epic"}, "unknown archetype 'epic'"),
        ("", {"persona": "grumpy"}, "unknown persona 'grumpy'"),
        ('persona = "grumpy"', {}, "gym.toml: option persona"),
        ("", {"knobs": ["nonsense"]}, "not of the form name=value"),
        ("", {"max_turns": 9}, "max_turns"),
    ],
)
def test_bad_input_is_one_line_naming_the_problem(tmp_path, toml, cli, needle) -> None:
    (tmp_path / "gym.toml").write_text(toml)
    with pytest.raises(GymConfigError) as err:
        load_config(cli, cwd=tmp_path)
    assert needle in str(err.value) and "\n" not in str(err.value)
