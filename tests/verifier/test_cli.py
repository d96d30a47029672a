"""`gym verify`, `gym tasks list` and `gym tasks check`: exit codes and output shapes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from gym.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
TASK = FIXTURES / "greet"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_verify_reference_exits_0_with_the_json_shape() -> None:
    result = invoke("verify", str(TASK / "reference"), "--task", str(TASK), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["task"] == "greet" and data["stage"] == 1 and data["verdict"] == "pass"
    assert set(data["dimensions"]) == {"swarm", "checks", "diagnostics", "cluster"}
    assert set(data["dimensions"]["checks"]) == {"score", "status", "findings", "source"}
    assert data["dimensions"]["swarm"]["status"] == "inconclusive"


def test_verify_broken_tree_exits_1_and_prints_findings() -> None:
    result = invoke("verify", str(TASK / "controls/broken_golden"), "--task", str(TASK))
    assert result.exit_code == 1
    assert "greet stage 1: FAIL" in result.stdout
    assert "check_failed" in result.stdout


def test_verify_with_report_and_sim_judge(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"status": "failed", "done": 0, "failed": 1, "tasks": []}))
    result = invoke(
        "verify",
        str(TASK / "reference"),
        "--task",
        str(TASK),
        "--report",
        str(report),
        "--judge",
        "sim:competent",
        "--json",
    )
    data = json.loads(result.stdout)
    assert "false_red" in [f["code"] for f in data["dimensions"]["swarm"]["findings"]]
    assert data["dimensions"]["requirements"]["source"] == "judge"
    assert result.exit_code == 1


def test_no_judge_wins_over_judge() -> None:
    result = invoke(
        "verify",
        str(TASK / "reference"),
        "--task",
        str(TASK),
        "--judge",
        "sim:competent",
        "--no-judge",
        "--json",
    )
    assert "requirements" not in json.loads(result.stdout)["dimensions"]


def test_verify_bad_usage_exits_2_with_one_line(tmp_path: Path) -> None:
    cases = [
        ("verify", str(tmp_path / "missing"), "--task", str(TASK)),
        ("verify", str(TASK / "reference"), "--task", str(tmp_path)),
        ("verify", str(TASK / "reference"), "--task", str(TASK), "--stage", "9"),
        ("verify", str(TASK / "reference"), "--task", str(TASK), "--report", str(tmp_path / "r")),
        ("verify", str(TASK / "reference"), "--task", str(TASK), "--judge", "sim:nonesuch"),
    ]
    for args in cases:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def small_catalog(tmp_path: Path) -> Path:
    """The fixture task with only its stage-1 reference and broken_golden control (fast)."""
    root = Path(shutil.copytree(TASK, tmp_path / "greet"))
    shutil.rmtree(root / "stages/2/reference")
    toml = root / "task.toml"
    toml.write_text(toml.read_text().split("[controls.broken_stub]")[0])
    return tmp_path


def test_tasks_list_and_check_on_a_catalog(tmp_path: Path) -> None:
    small_catalog(tmp_path)
    listed = invoke("tasks", "list", "--catalog", str(tmp_path), "--json")
    assert listed.exit_code == 0
    assert [t["id"] for t in json.loads(listed.stdout)["tasks"]] == ["greet"]
    checked = invoke("tasks", "check", "greet", "--catalog", str(tmp_path))
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("ok   greet")
    assert "broken_golden" in checked.stdout and "expect red on checks" in checked.stdout


def test_tasks_check_exits_1_when_a_control_misbehaves(tmp_path: Path) -> None:
    toml = small_catalog(tmp_path) / "greet/task.toml"
    toml.write_text(toml.read_text().replace('dimension = "checks"', 'dimension = "cluster"'))
    result = invoke("tasks", "check", "--catalog", str(tmp_path), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["results"][0]["ok"] is False


def test_tasks_check_unknown_id_exits_2(tmp_path: Path) -> None:
    shutil.copytree(TASK, tmp_path / "greet")
    result = invoke("tasks", "check", "nope", "--catalog", str(tmp_path))
    assert result.exit_code == 2 and "unknown task id" in result.stderr
