"""Hidden requirements of kv, exercised only through its command line."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path.cwd()  # the graded tree; the package is importable from here


def kv(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kv"], input=text, capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=20)


def test_committed_data_lives_in_a_file_in_the_working_directory(tmp_path):
    kv(tmp_path, "SET a 1\n")
    assert [p for p in tmp_path.iterdir() if p.is_file()], "nothing was written to the cwd"
    assert kv(tmp_path, "GET a\n").stdout == "1\n"


def test_commit_closes_every_level_so_a_later_rollback_has_nothing_to_undo(tmp_path):
    result = kv(tmp_path, "BEGIN\nSET a 1\nBEGIN\nSET a 2\nCOMMIT\nROLLBACK\nGET a\n")
    *first, last = result.stdout.splitlines()
    assert re.fullmatch(r"(?i)no (open |active )?transaction", first[-1])
    assert last == "2"


def test_garbage_input_never_produces_a_traceback(tmp_path):
    result = kv(tmp_path, "\n   \nSET\nGET\nDELETE\nCOUNT\nBEGIN extra\n\x00\nSET k v\nGET k\n")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "v"
