"""Bad input: one clear line naming the problem, exit 2, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from gym.cli import app
from gym.config import GymConfig
from gym.generator import load_suite, suite_names
from gym.orchestrator._preflight import load_catalog


def _run(tmp_path: Path, *args: str, catalog: Path | None = None):
    gym_dir = tmp_path / "gymdir"
    argv = ["run", "--gym-dir", str(gym_dir), "--episodes", "1", *args]
    if catalog is not None:
        argv += ["--catalog-dir", str(catalog)]
    result = CliRunner().invoke(app, argv)
    return result, gym_dir


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--archetype", "epic"), "unknown archetype 'epic'"),
        (("--persona", "grumpy"), "unknown persona 'grumpy'"),
        (("--suite", "weekly"), "unknown suite 'weekly'"),
        (("--fleet", "http://127.0.0.1:9/v1?model=m"), "does not answer"),
        (("--fleet", "ftp://x"), "unknown URL scheme"),
        (("--brain", "sim:nonsense"), "unknown sim profile"),
        (("--resume", "no-such-run"), "no-such-run"),
    ],
)
def test_bad_flag_exits_2_with_one_line_and_writes_nothing(tmp_path, greet_catalog, args, needle):
    result, gym_dir = _run(tmp_path, *args, catalog=greet_catalog)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and lines[0].startswith("gym run: ")
    assert not gym_dir.exists()


def test_malformed_gym_toml_is_named(tmp_path, greet_catalog) -> None:
    bad = tmp_path / "gym.toml"
    bad.write_text("episodes = ")
    result, gym_dir = _run(tmp_path, "--config", str(bad), catalog=greet_catalog)
    assert result.exit_code == 2 and "gym.toml: not valid TOML" in result.output
    assert not gym_dir.exists()


def test_malformed_task_file_is_named(tmp_path, greet_catalog) -> None:
    broken = greet_catalog / "broken"
    broken.mkdir()
    (broken / "task.toml").write_text('id = "broken"\ntitle = "x"\n')
    result, gym_dir = _run(tmp_path, catalog=greet_catalog)
    assert result.exit_code == 2 and "broken/task.toml" in result.output
    assert not gym_dir.exists()


def test_config_show_names_the_source_of_each_value(tmp_path) -> None:
    cfg = tmp_path / "gym.toml"
    cfg.write_text("parallel = 4\n")
    argv = ["config", "show", "--config", str(cfg)]
    result = CliRunner().invoke(app, argv, env={"COLUMNS": "200"})
    assert result.exit_code == 0
    parallel = next(line for line in result.output.splitlines() if " parallel " in line)
    assert "4" in parallel and "gym.toml" in parallel
    episodes = next(line for line in result.output.splitlines() if " episodes " in line)
    assert "20" in episodes and "default" in episodes


def test_builtin_suites_name_catalog_tasks_with_distinct_seeds() -> None:
    known = {t.id for t in load_catalog(GymConfig())}
    for name in suite_names():
        suite = load_suite(name)
        assert {e.task for e in suite.episodes} <= known, name
