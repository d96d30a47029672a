"""`gym report` and `gym regress --against` from the command line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from gym.cli import app
from ledger import Ledger, add_synthetic_run

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def runs(tmp_path):
    """gym dir with a green baseline, a regressed run, an equal run and a simulated run."""
    gym_dir = tmp_path / ".gym"
    with Ledger.open(gym_dir) as ledger:
        ids = {
            "base": add_synthetic_run(ledger, [True] * 14),
            "bad": add_synthetic_run(ledger, [False] * 12 + [True] * 2),
            "same": add_synthetic_run(ledger, [True] * 14),
            "sim": add_synthetic_run(ledger, [True] * 14, simulated=True),
            "other": add_synthetic_run(ledger, [True] * 14, suite="weekly"),
        }
    return gym_dir, ids


def test_regress_exits_1_on_a_significant_regression_and_writes_the_report(runs, tmp_path):
    gym_dir, ids = runs
    out = tmp_path / "regress.html"
    result = _run(
        "regress",
        "--suite",
        "nightly",
        "--baseline",
        ids["base"],
        "--against",
        ids["bad"],
        "--out",
        out,
        "--gym-dir",
        gym_dir,
    )
    assert result.exit_code == 1, result.output
    assert "REGRESSION" in result.output
    assert "Minimum detectable effect with 14 pairs" in result.output
    html = out.read_text()
    assert "Significant regression" in html and ids["bad"] in html


def test_regress_exits_0_when_nothing_changed(runs):
    gym_dir, ids = runs
    result = _run(
        "regress",
        "--suite",
        "nightly",
        "--baseline",
        ids["base"],
        "--against",
        ids["same"],
        "--gym-dir",
        gym_dir,
    )
    assert result.exit_code == 0, result.output
    assert "no significant regression" in result.output
    assert (gym_dir / f"regress-{ids['same']}.html").is_file()


def test_last_green_baseline_is_the_newest_green_run_of_the_same_kind(runs):
    gym_dir, ids = runs
    result = _run(
        "regress",
        "--suite",
        "nightly",
        "--baseline",
        "last-green",
        "--against",
        ids["bad"],
        "--gym-dir",
        gym_dir,
    )
    # "sim" is newer and green too, but simulated: the baseline is the real run "same"
    assert result.exit_code == 1, result.output
    assert f"vs baseline {ids['same']}" in result.output.replace("\n", "")


def test_last_green_for_a_simulated_candidate_has_no_real_fallback(runs):
    gym_dir, ids = runs
    result = _run(
        "regress",
        "--suite",
        "nightly",
        "--baseline",
        "last-green",
        "--against",
        ids["sim"],
        "--gym-dir",
        gym_dir,
    )
    assert result.exit_code == 2
    assert "no simulated green run of suite 'nightly'" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--baseline", "BASE", "--against", "SIM"], "never compared"),
        (["--baseline", "BASE", "--against", "nope"], "no run 'nope'"),
        (["--baseline", "BASE", "--against", "OTHER"], "not 'nightly'"),
        (["--baseline", "BASE", "--against", "BASE"], "with itself"),
    ],
)
def test_regress_bad_input_is_one_line_and_exit_2(runs, args, message):
    gym_dir, ids = runs
    args = [ids.get(a.lower(), a) if a.isupper() else a for a in args]
    result = _run("regress", "--suite", "nightly", *args, "--gym-dir", gym_dir)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.strip().count("\n") == 0


def test_regress_without_suite_is_a_usage_error(runs):
    gym_dir, ids = runs
    result = _run("regress", "--baseline", ids["base"], "--gym-dir", gym_dir)
    assert result.exit_code == 2


def test_report_command_writes_one_file(runs):
    gym_dir, ids = runs
    result = _run(
        "report",
        "--group-by",
        "model",
        "--runs",
        f"{ids['base']},{ids['bad']}",
        "--gym-dir",
        gym_dir,
    )
    assert result.exit_code == 0, result.output
    html = (gym_dir / "report.html").read_text()
    assert ids["base"] in html and ids["same"] not in html
    assert "wrote" in result.output and "2 runs" in result.output
