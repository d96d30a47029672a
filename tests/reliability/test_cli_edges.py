"""Every traceback the issue found is one clear line and exit 2, with nothing half-written.

Pinned: ``[[fleet]] url = 42`` in gym.toml; a task with ``entry = ""``; ``gym report --out
DIR`` (which also left a 4.9 MB temporary file); a full disk when the ledger is created and
when the report is written; ``--knob bogus=1`` (refused only after the first episode ran);
``gym tasks list`` printing raw OSC/SGR escapes from a task's text.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gym.cli import app
from ledger import Ledger, add_synthetic_run

TASK = """
id = "greet"
title = "{title}"
archetype = "heavy-spec"
difficulty = 1
entry = "{entry}"
spec = "Build `greet`, run as `python -m greet NAME`, printing `Hello, NAME`."

[[checks]]
name = "greets_bob"
kind = "command"
cmd = "python -m greet Bob"
expect_stdout = {{ equals = "Hello, Bob\\n" }}
"""
#: An OSC 8 hyperlink, a window-title OSC, SGR colour and a C1 CSI, as TOML escapes.
HOSTILE_TITLE = (
    "Greeting \\u001b]8;;http://evil.example\\u0007click\\u001b]8;;\\u0007 "
    "\\u001b]0;owned\\u0007\\u001b[31mRED\\u001b[0m \\u009b2J"
)
ESCAPES = ("\x1b", "\x07", "\x9b")


def _catalog(root: Path, *, entry: str = "python -m greet", title: str = "Greeting CLI") -> Path:
    task = root / "greet"
    (task / "reference" / "greet").mkdir(parents=True)
    (task / "task.toml").write_text(TASK.format(entry=entry, title=title))
    (task / "reference" / "greet" / "__init__.py").write_text("")
    (task / "reference" / "greet" / "__main__.py").write_text(
        'import sys\nprint("Hello, " + sys.argv[1])\n'
    )
    return root


def _invoke(*args: object, color: bool = False):
    return CliRunner().invoke(app, [str(a) for a in args], color=color)


def _one_line(result, prefix: str) -> str:
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith(prefix), result.output
    assert "Traceback" not in result.output
    return lines[0]


def _run(tmp_path: Path, *args: object):
    gym_dir = tmp_path / "gymdir"
    result = _invoke("run", "--gym-dir", gym_dir, "--episodes", 1, "--no-judge", *args)
    return result, gym_dir


# ---- gym.toml -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[[fleet]]\nurl = 42\n", "fleet entry url must be a URL string, not 42"),
        ('[[fleet]]\nurl = ""\n', "fleet entry url must be a URL string"),
        ("[[fleet]]\nurl = [1, 2]\n", "fleet entry url must be a URL string"),
        ("[[fleet]]\nweight = 2\n", "needs a url"),
        ('[[fleet]]\nurl = "sim:competent"\nweight = { a = 1 }\n', "weight must be a string"),
        ("fleet = [42]\n", "fleet entry 42 needs a url"),
    ],
)
def test_a_malformed_fleet_table_is_one_line(tmp_path, toml, needle):
    config = tmp_path / "gym.toml"
    config.write_text(toml)
    result, gym_dir = _run(tmp_path, "--config", config)
    assert needle in _one_line(result, "gym run: ")
    assert not gym_dir.exists()
    assert needle in _one_line(_invoke("config", "show", "--config", config), "gym config show: ")


# ---- knobs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("knob", "needle"),
    [
        ("bogus=1", "unknown knob 'bogus'"),
        ("worker.turn_cap=abc", "knob worker.turn_cap wants int, got 'abc'"),
        ("worker.turn_cap=-5", "knob worker.turn_cap=-5 is outside"),
    ],
)
def test_a_bad_knob_is_refused_before_the_first_episode(tmp_path, knob, needle):
    result, gym_dir = _run(tmp_path, "--knob", knob, "--catalog-dir", _catalog(tmp_path / "c"))
    line = _one_line(result, "gym run: command line: option knobs: ")
    assert needle in line
    assert not gym_dir.exists()  # no ledger, no run folder: nothing ran


def test_a_bad_knob_in_gym_toml_names_the_file(tmp_path):
    config = tmp_path / "gym.toml"
    config.write_text('[knobs]\n"bogus.knob" = 3\n')
    result, gym_dir = _run(tmp_path, "--config", config)
    assert f"{config}: option knobs: unknown knob 'bogus.knob'" in _one_line(result, "gym run: ")
    assert not gym_dir.exists()


def test_knobs_of_an_external_swarm_are_left_to_it():
    from gym.config import load_config

    loaded = load_config({"knobs": ["their.knob=1"], "swarm_cmd": "their-swarm"}, cwd=Path("/"))
    assert loaded.config.knobs == ["their.knob=1"]


# ---- task files ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ["", "   ", "python -m"])
def test_a_task_without_a_runnable_entry_is_one_line(tmp_path, entry):
    catalog = _catalog(tmp_path / "c", entry=entry)
    work = tmp_path / "work"
    work.mkdir()
    line = _one_line(_invoke("verify", work, "--task", catalog / "greet"), "gym: ")
    assert "entry" in line and "does not say how the app is run" in line
    result, gym_dir = _run(tmp_path, "--catalog-dir", catalog)
    assert "does not say how the app is run" in _one_line(result, "gym run: ")
    assert not gym_dir.exists()
    listed = _invoke("tasks", "list", "--catalog", catalog)
    assert listed.exit_code == 1 and "invalid:" in listed.output


def test_tasks_list_prints_no_escape_sequence_from_task_text(tmp_path):
    catalog = _catalog(tmp_path / "c", title=HOSTILE_TITLE)
    result = _invoke("tasks", "list", "--catalog", catalog, color=True)  # as on a terminal
    assert result.exit_code == 0, result.output
    assert "greet" in result.output and "RED" in result.output
    assert not any(e in result.output for e in ESCAPES), repr(result.output)


def test_tasks_list_scrubs_escapes_in_invalid_task_lines_too(tmp_path):
    catalog = _catalog(tmp_path / "c", title=HOSTILE_TITLE, entry="")
    result = _invoke("tasks", "list", "--catalog", catalog, color=True)
    assert result.exit_code == 1
    assert not any(e in result.output for e in ESCAPES), repr(result.output)


# ---- gym report ---------------------------------------------------------------------------


@pytest.fixture
def gym_dir(tmp_path: Path) -> Path:
    gym_dir = tmp_path / ".gym"
    with Ledger.open(gym_dir) as ledger:
        add_synthetic_run(ledger, [True, False, True])
    return gym_dir


def _leftovers(*folders: Path) -> list[str]:
    return sorted(p.name for f in folders for p in f.iterdir() if p.name.endswith(".tmp"))


def test_report_out_a_directory_is_one_line_and_leaves_no_temp_file(tmp_path, gym_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "outdir"
    out.mkdir()
    line = _one_line(_invoke("report", "--gym-dir", gym_dir, "--out", "outdir"), "gym report: ")
    assert "outdir is a directory" in line
    assert _leftovers(tmp_path, out, gym_dir) == [] and list(out.iterdir()) == []


def test_a_full_disk_while_writing_the_report_is_one_line_and_leaves_nothing(
    tmp_path, gym_dir, monkeypatch
):
    import reports._build as build

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(build.os, "replace", full)
    out = tmp_path / "site" / "report.html"
    line = _one_line(_invoke("report", "--gym-dir", gym_dir, "--out", out), "gym report: ")
    assert "No space left on device" in line
    assert not out.exists() and _leftovers(out.parent) == []


# ---- a full disk when the ledger is created -----------------------------------------------


def test_a_full_disk_at_ledger_creation_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    import ledger._db as db

    def full(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(db, "_apply_missing", full)
    result, gym_dir = _run(tmp_path, "--catalog-dir", _catalog(tmp_path / "c"))
    assert "disk is full" in _one_line(result, "gym run: ")
    assert not gym_dir.exists()


def test_opening_a_ledger_on_a_full_disk_raises_one_ledger_error(tmp_path, monkeypatch):
    import ledger._db as db
    from ledger import LedgerError

    def full(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(db, "_apply_missing", full)
    with pytest.raises(LedgerError, match="cannot create the ledger .*disk is full") as info:
        Ledger.open(tmp_path / "g")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "g").exists()


@contextlib.contextmanager
def _tiny_tmpfs(where: Path, size_kib: int) -> Iterator[Path]:
    """A tmpfs of ``size_kib`` at ``where`` (root only), unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.parametrize("free_kib", [0, 8, 24, 48])
def test_a_really_full_disk_at_ledger_creation_leaves_nothing(tmp_path, free_kib):
    with _tiny_tmpfs(tmp_path / "tiny", 64) as tiny:
        (tiny / "filler").write_bytes(b"\0" * (64 - free_kib) * 1024)
        gym_dir = tiny / "g"
        result = _invoke(
            "run", "--gym-dir", gym_dir, "--episodes", 1, "--catalog-dir", _catalog(tmp_path / "c")
        )
        line = _one_line(result, "gym run: ")
        assert "full" in line, line
        assert sorted(p.name for p in tiny.iterdir()) == ["filler"]
