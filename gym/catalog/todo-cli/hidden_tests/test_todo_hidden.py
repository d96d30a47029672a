"""Hidden requirements of todo, exercised only through its command line."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path.cwd()  # the graded tree; the package is importable from here


def todo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "todo", *args], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=20)


def test_the_list_survives_between_runs(tmp_path):
    todo(tmp_path, "add", "water plants")
    todo(tmp_path, "done", "1")
    assert todo(tmp_path, "list").stdout == "1 [x] water plants\n"


def test_errors_are_one_line_without_traceback(tmp_path):
    for args in (("done", "42"), ("remove", "42"), ("add", "")):
        result = todo(tmp_path, *args)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr, args
        assert len(result.stderr.strip().splitlines()) == 1, args
    assert todo(tmp_path, "list").stdout == ""


def test_text_keeps_its_inner_spaces(tmp_path):
    todo(tmp_path, "add", "call  the   plumber")
    assert todo(tmp_path, "list").stdout == "1 [ ] call  the   plumber\n"
