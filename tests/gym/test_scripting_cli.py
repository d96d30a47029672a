"""`gym run` for scripts and CI, and runs that pair by construction (issue 16, parts 3 and 4).

Runs go through the real CLI (typer's runner keeps stdout and stderr apart) against the
fake swarm and the in-process simulator brain, on a two-task catalog: ``greet`` (heavy-spec)
and ``greet-cont`` (continue-existing, with a seed tree).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gym.cli import app
from ledger import Ledger

runner = CliRunner()


def _conftest():
    """This folder's conftest, for its greet task text (tests import in importlib mode)."""
    spec = importlib.util.spec_from_file_location("gym_tests_conftest", _HERE / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_HERE = Path(__file__).parent
_SHARED = _conftest()
FAKE_SWARM, GREET_TOML, REFERENCE_MAIN = (
    _SHARED.FAKE_SWARM,
    _SHARED.GREET_TOML,
    _SHARED.REFERENCE_MAIN,
)


def _catalog(root: Path) -> Path:
    """greet (heavy-spec) and greet-cont (continue-existing: seed tree, two stages)."""
    for task_id, archetype in (("greet", "heavy-spec"), ("greet-cont", "continue-existing")):
        folder = root / task_id
        toml = GREET_TOML.replace('id = "greet"', f'id = "{task_id}"')
        toml = toml.replace('archetype = "heavy-spec"', f'archetype = "{archetype}"')
        trees = ["reference"] + (["seed"] if archetype == "continue-existing" else [])
        for tree in trees:
            (folder / tree / "greet").mkdir(parents=True)
            (folder / tree / "greet" / "__init__.py").write_text("")
            main = REFERENCE_MAIN if tree == "reference" else 'print("Hi")\n'
            (folder / tree / "greet" / "__main__.py").write_text(main)
        (folder / "task.toml").write_text(toml)
    return root


def _base(tmp: Path, gym_dir: Path) -> list[str]:
    return [
        "--catalog-dir",
        str(tmp / "catalog"),
        "--gym-dir",
        str(gym_dir),
        "--swarm-cmd",
        f"{sys.executable} {FAKE_SWARM}",
        "--fleet",
        "sim:competent?seed=1",
        "--brain",
        "sim:competent?seed=0&time_scale=0",
        "--max-turns",
        "1",
        "--no-judge",
        "--parallel",
        "2",
        "--turn-timeout-s",
        "30",
    ]


def _gym(*args: str) -> object:
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def paired(tmp_path_factory) -> Iterator[dict]:
    """Two ad-hoc runs with one seed (and different knobs) in one gym dir, then a third
    with another seed: the first keeps green apps that must not change the second's starts."""
    tmp = tmp_path_factory.mktemp("paired")
    _catalog(tmp / "catalog")
    gym_dir = tmp / "gym"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FAKE_SWARM_MODE", "ok")
        mp.delenv("COLUMNS", raising=False)
        args = [*_base(tmp, gym_dir), "--episodes", "4", "--seed", "1"]
        a = _gym("run", *args, "--json")
        b = _gym("run", *args, "--knob", "worker.turn_cap=9", "--json")
        other = _gym("run", *_base(tmp, gym_dir), "--episodes", "2", "--seed", "99", "--json")
        yield {"tmp": tmp, "gym_dir": gym_dir, "a": a, "b": b, "other": other}


def _summary(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_two_runs_with_one_seed_play_the_same_episodes(paired) -> None:
    a, b = _summary(paired["a"]), _summary(paired["b"])
    plays = [(e["task"], e["seed"], e["start"], e["archetype"]) for e in a["episodes"]]
    assert plays == [(e["task"], e["seed"], e["start"], e["archetype"]) for e in b["episodes"]]
    assert {e["archetype"] for e in a["episodes"]} >= {"continue-existing"}
    # run A kept green apps; run B's continue-existing episodes still start from the task
    assert list((paired["gym_dir"] / "kept").rglob("stage-1/*"))
    assert {e["start"] for e in b["episodes"] if e["archetype"] == "continue-existing"} <= {
        "seed",
        "reference",
    }


@pytest.mark.slow
def test_regress_against_compares_two_paired_ad_hoc_runs(paired) -> None:
    a, b = _summary(paired["a"]), _summary(paired["b"])
    result = _gym(
        "regress",
        "--baseline",
        a["run_id"],
        "--against",
        b["run_id"],
        "--json",
        "--gym-dir",
        str(paired["gym_dir"]),
    )
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)
    assert comparison["pairs"] == 4 and comparison["unpaired_candidate"] == 0
    assert comparison["dimensions"][0]["dimension"] == "verdict"
    assert comparison["regressed"] is False


@pytest.mark.slow
def test_regress_refuses_runs_that_share_no_episode_in_one_line(paired) -> None:
    a, other = _summary(paired["a"]), _summary(paired["other"])
    result = _gym(
        "regress",
        "--baseline",
        a["run_id"],
        "--against",
        other["run_id"],
        "--gym-dir",
        str(paired["gym_dir"]),
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert a["run_id"] in result.stderr and other["run_id"] in result.stderr


@pytest.mark.slow
def test_summary_json_holds_tokens_pass_rate_and_the_next_command(paired) -> None:
    a = _summary(paired["a"])
    assert a["tokens"]["total"] == 4 * 30  # the fake swarm reports 10 + 20 per turn
    assert a["graded"] == 4 and 0 <= a["pass_rate"] <= 1
    assert a["cost_usd"] == 0 and a["cost_note"] == "simulated nodes cost 0"  # a sim fleet
    assert a["report_command"].startswith("gym report --gym-dir ")
    assert f"--runs {a['run_id']}" in a["report_command"]
    saved = Path(a["run_folder"]) / "summary.json"
    assert json.loads(saved.read_text()) == a


@pytest.mark.slow
def test_ledger_show_json_parses_and_carries_the_knobs(paired) -> None:
    b = _summary(paired["b"])
    gym_dir = str(paired["gym_dir"])
    result = _gym("ledger", "show", "--json", "--gym-dir", gym_dir)
    assert result.exit_code == 0, result.output
    runs = {r["run_id"]: r for r in json.loads(result.stdout)["runs"]}
    assert runs[b["run_id"]]["knobs"] == {"worker.turn_cap": "9"}
    assert runs[b["run_id"]]["seed"] == 1 and runs[b["run_id"]]["episodes"] == 4
    one = json.loads(_gym("ledger", "show", b["run_id"], "--json", "--gym-dir", gym_dir).stdout)
    assert [e["seed"] for e in one["episodes"]] == [e["seed"] for e in b["episodes"]]
    table = runner.invoke(app, ["ledger", "show", "--gym-dir", gym_dir], env={"COLUMNS": "250"})
    assert "knobs" in table.stdout and "worker.turn_cap=9" in table.stdout


@pytest.mark.slow
def test_exports_have_flat_columns_and_no_json_inside_json(paired) -> None:
    gym_dir = str(paired["gym_dir"])
    for table in ("grades", "episodes", "turns", "runs"):
        result = _gym(
            "ledger", "export", "--table", table, "--format", "json", "--gym-dir", gym_dir
        )
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert rows, table
        for row in rows:
            assert not [k for k in row if k.endswith(("_x", "_y"))], (table, sorted(row))
            for key, value in row.items():
                assert not isinstance(value, dict | list), (table, key)
                if isinstance(value, str) and value[:1] in "[{":
                    with pytest.raises(ValueError):
                        json.loads(value)  # text, never a nested JSON document
    grades = json.loads(_gym("ledger", "export", "--format", "json", "--gym-dir", gym_dir).stdout)
    assert {"dimension_status", "episode_status", "run_status"} <= set(grades[0])


@pytest.mark.slow
def test_from_kept_starts_continue_existing_from_a_kept_app(paired) -> None:
    args = [*_base(paired["tmp"], paired["gym_dir"]), "--episodes", "1", "--seed", "5"]
    result = _gym("run", *args, "--archetype", "continue-existing", "--from-kept", "--json")
    (episode,) = _summary(result)["episodes"]
    assert episode["start"] == "kept" and episode["final_stage"] == 2


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("FAKE_SWARM_MODE", "ok")
    return _catalog(tmp_path / "catalog")


def test_results_on_stdout_progress_on_stderr_and_fail_under(tmp_path, catalog, monkeypatch):
    monkeypatch.setenv("FAKE_SWARM_MODE", "broken")  # every episode fails: pass rate 0
    args = [*_base(tmp_path, tmp_path / "gym"), "--episodes", "1", "--task", "greet"]
    result = _gym("run", *args, "--fail-under", "0.99")
    assert result.exit_code == 1, result.output
    assert "totals:" in result.stdout and "next: gym report" in result.stdout
    assert "[1/1] episode 0 greet" in result.stderr and "eta" in result.stderr
    assert "totals:" not in result.stderr and "[1/1]" not in result.stdout
    assert result.stderr.count("SIMULATED") == 1
    assert "below --fail-under 0.99" in result.stderr.splitlines()[-1]
    again = _gym("run", *args, "--fail-under", "0")
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan", "most"])
def test_fail_under_outside_0_to_1_is_one_line_before_anything_runs(tmp_path, value) -> None:
    result = _gym("run", "--gym-dir", str(tmp_path / "gym"), "--fail-under", value)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "--fail-under" in result.stderr
    assert not (tmp_path / "gym").exists()


def test_task_limits_the_run_and_an_unknown_id_is_one_line(tmp_path, catalog) -> None:
    gym_dir = tmp_path / "gym"
    bad = _gym("run", *_base(tmp_path, gym_dir), "--task", "nope")
    assert bad.exit_code == 2
    assert bad.stderr.strip().count("\n") == 0 and "unknown task 'nope'" in bad.stderr
    assert not gym_dir.exists()
    ok = _gym("run", *_base(tmp_path, gym_dir), "--episodes", "2", "--task", "greet-cont", "--json")
    assert {e["task"] for e in _summary(ok)["episodes"]} == {"greet-cont"}


def test_suite_takes_a_file_path(tmp_path, catalog) -> None:
    suite = tmp_path / "mine.toml"
    suite.write_text(
        'description = "one episode"\n[[episodes]]\ntask = "greet"\npersona = "pragmatic"\n'
        "seed = 11\n"
    )
    gym_dir = tmp_path / "gym"
    result = _gym("run", *_base(tmp_path, gym_dir), "--suite", str(suite), "--json")
    (episode,) = _summary(result)["episodes"]
    assert (episode["task"], episode["seed"], episode["persona"]) == ("greet", 11, "pragmatic")
    with Ledger.open(gym_dir) as ledger:
        assert ledger.runs()[0].suite == str(suite)
    missing = _gym("run", *_base(tmp_path, gym_dir), "--suite", str(tmp_path / "no.toml"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_help_speaks_plainly() -> None:
    for command in (["run"], ["regress"], ["ledger", "show"], ["ledger", "export"]):
        text = _gym(*command, "--help").stdout
        assert "contract" not in text, command
        options = [line for line in text.splitlines() if "--" in line and "--help" not in line]
        typed = [line for line in options if re.search(r"<[a-z][a-z\[\]]*>", line)]
        assert not typed, (command, typed)  # plain metavars (N, RUN, FILE), no <list[str]>
    run_help = _gym("run", "--help").stdout
    assert "NAME=VALUE" in run_help and "NAME|FILE" in run_help and "RATE" in run_help
