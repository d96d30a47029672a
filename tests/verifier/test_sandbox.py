"""The sandbox: timeouts kill the tree, limits stop hogs, no network, no secrets."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path

import pytest

from verifier import sandbox
from verifier.sandbox import Limits

DETECTED = sandbox.isolation_level()
LEVELS = [
    lvl
    for lvl in sandbox.ISOLATION_LEVELS
    if sandbox.ISOLATION_LEVELS.index(lvl) >= sandbox.ISOLATION_LEVELS.index(DETECTED)
]
NETWORK_LEVELS = [lvl for lvl in LEVELS if lvl != "rlimits"]
CONNECT = (
    "import socket; socket.create_connection(('127.0.0.1', {port}), timeout=2); print('connected')"
)


@pytest.fixture(params=LEVELS)
def level(request, monkeypatch) -> str:
    """Run the test at every isolation level this machine supports (forcing weaker ones)."""
    monkeypatch.setenv("SWARM_GYM_SANDBOX", request.param)
    return request.param


def write(workdir: Path, name: str, source: str) -> str:
    (workdir / name).write_text(textwrap.dedent(source), encoding="utf-8")
    return name


def processes_with(token: str) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                cmdline = Path(entry.path, "cmdline").read_bytes()
            except OSError:
                continue
            if token.encode() in cmdline:
                found.append(int(entry.name))
    return found


def test_isolation_level_is_reported(tmp_path: Path, level: str) -> None:
    result = sandbox.run("echo hi", workdir=tmp_path)
    assert result.ok and result.stdout == "hi\n"
    assert result.isolation == level
    assert result.confined is (level in sandbox.CONFINED_LEVELS)


def test_without_bubblewrap_the_fallback_still_confines(tmp_path: Path, monkeypatch) -> None:
    # The fallback is forced here; on a machine without bwrap it is what runs anyway.
    if not sandbox.level_works("mountns"):
        pytest.skip("no unshare / mount namespaces on this machine")
    monkeypatch.setenv("SWARM_GYM_SANDBOX", "mountns")
    result = sandbox.run("ls /; echo $$", workdir=tmp_path)
    assert result.isolation == "mountns" and result.confined
    top = set(result.stdout.split()[:-1])
    assert "sys" not in top and "home" not in top and "mnt" not in top
    assert result.stdout.split()[-1] == "2"  # pid 1 is the supervisor of a new pid namespace


def test_infinite_loop_is_killed_at_timeout_with_its_children(tmp_path: Path, level: str) -> None:
    token = f"sandbox-child-{uuid.uuid4().hex}"
    cmd = f"python -c 'import time; time.sleep(1000)' {token} & while true; do sleep 0.05; done"
    result = sandbox.run(cmd, workdir=tmp_path, timeout_s=1.0)
    assert result.timed_out and result.exit_code is None
    assert result.elapsed_ms < 5000
    assert processes_with(token) == []


def test_fork_bomb_is_stopped_by_the_process_limit(tmp_path: Path, level: str) -> None:
    script = write(
        tmp_path,
        "bomb.py",
        """
        import os, time
        n = 0
        try:
            for _ in range(400):
                if os.fork() == 0:
                    time.sleep(3)
                    os._exit(0)
                n += 1
        except OSError as exc:
            print("stopped after", n, exc.errno)
        else:
            print("not stopped", n)
    """,
    )
    result = sandbox.run(
        ["python", script], workdir=tmp_path, timeout_s=20, limits=Limits(processes=24)
    )
    if result.process_limit == "none":
        pytest.skip("no process limit here: root without a writable pids cgroup")
    assert result.stdout.startswith("stopped after"), result.stdout + result.stderr
    assert int(result.stdout.split()[2]) <= 24


def test_memory_hog_is_stopped(tmp_path: Path, level: str) -> None:
    result = sandbox.run(
        ["python", "-c", "x = bytearray(2 * 1024**3); print('allocated')"],
        workdir=tmp_path,
        limits=Limits(memory_mb=256),
    )
    assert result.exit_code != 0
    assert "allocated" not in result.stdout
    assert "MemoryError" in result.stderr


def test_one_gigabyte_write_is_stopped_by_the_file_size_limit(tmp_path: Path, level: str) -> None:
    script = write(
        tmp_path,
        "fill.py",
        """
        chunk = b"x" * (1 << 20)
        with open("big.bin", "wb") as out:
            for _ in range(1024):
                out.write(chunk)
        print("wrote 1 GB")
    """,
    )
    result = sandbox.run(["python", script], workdir=tmp_path, limits=Limits(file_size_mb=8))
    assert result.exit_code != 0
    assert "wrote 1 GB" not in result.stdout
    assert (tmp_path / "big.bin").stat().st_size <= 8 * 1024 * 1024


@pytest.mark.parametrize("forced", NETWORK_LEVELS)
def test_socket_to_loopback_fails_under_network_isolation(
    tmp_path: Path, forced: str, monkeypatch
) -> None:
    monkeypatch.setenv("SWARM_GYM_SANDBOX", forced)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        code = CONNECT.format(port=port)
        result = sandbox.run(["python", "-c", code], workdir=tmp_path, timeout_s=10)
        assert result.isolation == forced
        assert "connected" not in result.stdout
        assert result.exit_code != 0


def test_network_true_allows_loopback(tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        code = CONNECT.format(port=port)
        result = sandbox.run(["python", "-c", code], workdir=tmp_path, network=True)
    assert result.stdout == "connected\n"


def test_scrubbed_environment_holds_no_secret_names(
    tmp_path: Path, monkeypatch, level: str
) -> None:
    for name in ("MY_API_KEY", "GH_TOKEN", "client_secret", "Db_Password", "apikey_lower"):
        monkeypatch.setenv(name, "leak")
    monkeypatch.setenv("HARMLESS_SETTING", "kept")
    result = sandbox.run("env", workdir=tmp_path)
    names = [line.split("=", 1)[0] for line in result.stdout.splitlines()]
    assert not [n for n in names if any(w in n.upper() for w in ("KEY", "TOKEN", "SECRET"))]
    assert "leak" not in result.stdout
    assert "HARMLESS_SETTING=kept" in result.stdout
    home = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)["HOME"]
    assert home != os.environ.get("HOME") and "sandbox-home-" in home
    assert not Path(home).exists()  # the temporary HOME is removed afterwards


def test_python_is_the_harness_interpreter(tmp_path: Path, level: str) -> None:
    result = sandbox.run(
        ["python", "-c", "import sys, pytest; print(sys.prefix)"], workdir=tmp_path
    )
    assert result.stdout.strip() == sys.prefix, result.stderr


def test_workdir_is_writable_and_stdin_is_passed(tmp_path: Path, level: str) -> None:
    result = sandbox.run("cat > out.txt; cat out.txt", workdir=tmp_path, stdin="typed\n")
    assert result.stdout == "typed\n"
    assert (tmp_path / "out.txt").read_text() == "typed\n"


def test_stdin_defaults_to_dev_null(tmp_path: Path) -> None:
    result = sandbox.run("cat; echo end", workdir=tmp_path, timeout_s=5)
    assert result.stdout == "end\n" and not result.timed_out


def test_output_is_capped_with_a_marker(tmp_path: Path) -> None:
    result = sandbox.run(
        ["python", "-c", "print('x' * 100_000)"], workdir=tmp_path, output_cap=1000
    )
    assert result.truncated
    assert result.stdout.startswith("x" * 1000)
    assert "output truncated" in result.stdout and len(result.stdout) < 1200


def test_missing_workdir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        sandbox.run("true", workdir=tmp_path / "nope")


async def test_run_async_does_not_block_the_event_loop(tmp_path: Path) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    task = asyncio.create_task(ticker())
    result = await sandbox.run_async("sleep 0.6", workdir=tmp_path)
    task.cancel()
    assert result.ok
    assert ticks >= 5


async def test_blocking_run_works_inside_a_running_loop(tmp_path: Path) -> None:
    assert sandbox.run("echo inside", workdir=tmp_path).stdout == "inside\n"


def test_background_child_does_not_delay_a_finished_command(tmp_path: Path, level: str) -> None:
    token = f"sandbox-bg-{uuid.uuid4().hex}"
    cmd = f"python -c 'import time; time.sleep(1000)' {token} & echo started"
    result = sandbox.run(cmd, workdir=tmp_path, timeout_s=10)
    assert result.ok and result.stdout == "started\n"
    assert result.elapsed_ms < 3000
    assert processes_with(token) == []


@pytest.mark.skipif(DETECTED != "bwrap", reason="needs bubblewrap")
def test_bwrap_hides_tmp_neighbours_and_the_home_directory(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "token.txt").write_text("secret")
    monkeypatch.setenv("HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    result = sandbox.run(f"ls -A {home}; cat {home}/.config/token.txt", workdir=work)
    assert "secret" not in result.stdout and "token.txt" not in result.stdout
    assert result.exit_code != 0


async def test_cancelling_run_async_kills_the_command_and_cleans_up(
    tmp_path: Path, monkeypatch
) -> None:
    token = f"sandbox-cancel-{uuid.uuid4().hex}"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the sandbox HOME is made
    work = tmp_path / "work"
    work.mkdir()
    task = asyncio.create_task(
        sandbox.run_async(f"python -c 'import time; time.sleep(1000)' {token}", workdir=work)
    )
    await asyncio.sleep(0.5)
    assert list(scratch.iterdir())  # the HOME exists while the command runs
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert processes_with(token) == []
    assert list(scratch.iterdir()) == []


def test_an_interpreter_under_tmp_is_bound_after_the_private_tmp(monkeypatch, tmp_path) -> None:
    # A CI checkout's venv can live under /tmp; a private /tmp mounted after it hid python.
    from verifier.sandbox import _bwrap, _view

    venv = Path("/tmp/some-checkout/.venv")
    monkeypatch.setattr(_view, "interpreter_paths", lambda: [venv])
    monkeypatch.setattr(_view.os.path, "lexists", lambda p: p == "/usr")
    view = _view.View(workdir=tmp_path, home=tmp_path / "home")

    argv = _bwrap.bwrap_argv(view)

    private_tmp = argv.index("/tmp", argv.index("--tmpfs"))
    assert private_tmp < argv.index(str(venv))
