"""`gym ledger show|export` and `gym regrade` at the edge: one line and exit 2 on bad input."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pytest
from typer.testing import CliRunner

from gym.cli import app
from ledger import SCHEMA_VERSION, Ledger, add_synthetic_run

runner = CliRunner()


@pytest.fixture
def gym_dir(tmp_path):
    path = tmp_path / ".gym"
    with Ledger.open(path) as ledger:
        add_synthetic_run(ledger, [True, False, True], model="qwen-7b")
        add_synthetic_run(ledger, [True, True, True], model="sim-x", simulated=True)
    return path


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_show_lists_runs_with_their_kind(gym_dir):
    result = _run("ledger", "show", "--gym-dir", gym_dir)
    assert result.exit_code == 0, result.output
    with Ledger.open(gym_dir) as ledger:
        ids = [r.id for r in ledger.runs()]
    assert all(i in result.output for i in ids)
    assert "real" in result.output and "sim" in result.output


def test_show_run_and_episode(gym_dir):
    with Ledger.open(gym_dir) as ledger:
        run = ledger.runs()[0]
        episode = ledger.episodes(run.id)[1]
    result = _run("ledger", "show", run.id[:-1], "--gym-dir", gym_dir)
    assert result.exit_code == 0, result.output
    assert episode.id in result.output and "qwen-7b" in result.output
    result = _run("ledger", "show", episode.id, "--gym-dir", gym_dir)
    assert result.exit_code == 0, result.output
    assert "checks" in result.output and "fail" in result.output


def test_terminal_output_neutralises_control_sequences(tmp_path):
    from ledger import EpisodeRecord, RunRecord

    with Ledger.open(tmp_path) as ledger:
        run_id = ledger.start_run(RunRecord(simulated=False))
        ledger.start_episode(EpisodeRecord(run_id=run_id, task="\x1b[2Jwipe [red]x[/red]"))
    result = _run("ledger", "show", run_id, "--gym-dir", tmp_path)
    assert "\x1b[2J" not in result.output
    assert "[red]x[/red]" in result.output  # shown literally, not interpreted as markup


@pytest.mark.parametrize("command", [("ledger", "show"), ("report",), ("regrade", "x")])
def test_missing_ledger_is_one_line_and_exit_2(tmp_path, command):
    result = _run(*command, "--gym-dir", tmp_path / "none")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "no ledger at" in result.output


def test_corrupt_ledger_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "ledger.sqlite").write_bytes(b"\x00garbage" * 500)
    result = _run("ledger", "show", "--gym-dir", tmp_path)
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "not a readable ledger" in result.output


def test_newer_schema_is_refused_with_both_versions(gym_dir):
    with sqlite3.connect(gym_dir / "ledger.sqlite") as conn:
        conn.execute("PRAGMA user_version = 99")
    result = _run("ledger", "show", "--gym-dir", gym_dir)
    assert result.exit_code == 2
    assert f"version 99 is newer than this gym's version {SCHEMA_VERSION}" in result.output


@pytest.mark.parametrize("command", [("ledger", "show"), ("regrade",), ("report", "--runs")])
def test_unknown_run_is_one_line_and_exit_2(gym_dir, command):
    result = _run(*command, "no-such-run", "--gym-dir", gym_dir)
    assert result.exit_code == 2
    assert "no-such-run" in result.output
    assert result.output.strip().count("\n") == 0


def test_export_csv_json_and_parquet_hold_one_row_per_grade(gym_dir, tmp_path):
    result = _run("ledger", "export", "--format", "csv", "--gym-dir", gym_dir)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 + 6 * 7
    assert "dimension" in lines[0] and "simulated" in lines[0]
    out = tmp_path / "g.json"
    assert (
        _run("ledger", "export", "--format", "json", "--out", out, "--gym-dir", gym_dir).exit_code
        == 0
    )
    assert len(json.loads(out.read_text())) == 42
    out = tmp_path / "e.parquet"
    result = _run(
        "ledger",
        "export",
        "--format",
        "parquet",
        "--table",
        "episodes",
        "--out",
        out,
        "--gym-dir",
        gym_dir,
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert len(frame) == 6 and set(frame.final_verdict) == {"pass", "fail"}


def test_export_refuses_unknown_format_and_binary_to_stdout(gym_dir):
    assert _run("ledger", "export", "--format", "xml", "--gym-dir", gym_dir).exit_code == 2
    result = _run("ledger", "export", "--format", "parquet", "--gym-dir", gym_dir)
    assert result.exit_code == 2 and "--out" in result.output


def test_damaged_pages_inside_a_real_ledger_are_one_line_and_exit_2(gym_dir):
    db = gym_dir / "ledger.sqlite"
    Ledger.open(gym_dir).close()  # last connection closed: WAL checkpointed into the file
    data = bytearray(db.read_bytes())
    for offset in range(8192, len(data) - 4096, 4096):  # keep the header, ruin the pages
        data[offset + 100 : offset + 600] = b"\xff" * 500
    db.write_bytes(bytes(data))
    for command in (("ledger", "show"), ("report",), ("ledger", "export")):
        result = _run(*command, "--gym-dir", gym_dir)
        assert result.exit_code == 2, (command, result.output)
        assert "malformed" in result.output
        assert result.output.strip().count("\n") == 0


def test_regrade_command_regrades_a_stored_catalog_tree(tmp_path):
    from pathlib import Path

    from ledger import EpisodeRecord, RunRecord, TurnRecord

    reference = Path(__file__).resolve().parents[2] / "gym" / "catalog" / "expr-calc" / "reference"
    if not reference.is_dir():
        pytest.skip("catalog task expr-calc is not present")
    with Ledger.open(tmp_path) as ledger:
        run_id = ledger.start_run(RunRecord(simulated=True))
        eid = ledger.start_episode(EpisodeRecord(run_id=run_id, task="expr-calc"))
        ledger.record_turn(TurnRecord(episode_id=eid, turn=1, swarm_status="done"))
        ledger.store_artifact(eid, reference, "tree")
        ledger.finish_episode(eid, "finished", "fail")
    result = _run("regrade", run_id, "--gym-dir", tmp_path)  # built-in catalog by default
    assert result.exit_code == 0, result.output
    assert f"regraded 1 turns of run {run_id} (1 verdicts changed, 0 skipped)" in result.output
    with Ledger.open(tmp_path) as ledger:
        assert ledger.episode(eid).final_verdict.value == "pass"
        assert {g.grader for g in ledger.grades(eid)} == {"regrade:deterministic"}
