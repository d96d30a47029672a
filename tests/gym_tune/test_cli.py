"""`gym tune` at the command line: bad input is one line and exit 2, before anything runs."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from gym.cli import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--knob-candidates", "mcp.servers"], "'mcp.servers' is a structural knob"),
        (["--knob-candidates", "gates.timeout_s"], "'gates.timeout_s' is a structural knob"),
        # a structural knob anywhere in a proposal refuses it whole, before anything runs
        (
            ["--propose", "worker.turn_cap=80", "--propose", "gates.review=false"],
            "'gates.review' is a structural knob",
        ),
        (["--knob-candidates", "no.such"], "'no.such' is an unknown knob"),
        (["--suite", "smoke", "--episodes-per-arm", "4"], "fixes its own episodes"),
        (["--episodes-per-arm", "1"], "--episodes-per-arm: Input should be greater than"),
        (["--knob", "worker.turn_cap=0"], "outside [1, 500]"),
        (["--archetype-free", "x"], None),  # an unknown flag is typer's usage error, also exit 2
    ],
)
def test_bad_input_is_one_line_and_exit_2_with_nothing_written(
    tmp_path, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["tune", "--gym-dir", str(tmp_path / ".gym"), *args])
    assert result.exit_code == 2
    if message is not None:
        assert result.output.startswith("gym tune: ") and message in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / ".gym").exists()
