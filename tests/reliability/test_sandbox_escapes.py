"""Sandboxed code sees only its workdir: each escape that once worked is pinned shut here.

Measured before the fix (the fallback ran at a network-namespace level, bubblewrap bound
the whole file system read-only): writes to /tmp, /root and the original workdir; reading
an ancestor's /proc/PID/environ; ``nsenter`` into the harness's network namespace; a
daemon moving itself into the root pids cgroup to outlive the command; the catalog
readable. Every test runs at each confining level this machine has (bubblewrap, and the
``unshare`` + ``pivot_root`` fallback forced with ``SWARM_GYM_SANDBOX=mountns``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from gym.catalog import CATALOG_DIR
from verifier import sandbox

ROOT = Path(__file__).resolve().parents[2]
CONFINED = [lvl for lvl in ("bwrap", "mountns") if lvl in sandbox.CONFINED_LEVELS]


@pytest.fixture(params=CONFINED)
def level(request, monkeypatch) -> str:
    """Each confining level, skipped where this machine cannot provide it."""
    if not sandbox.level_works(request.param):
        pytest.skip(f"{request.param} does not work on this machine")
    monkeypatch.setenv("SWARM_GYM_SANDBOX", request.param)
    return request.param


def _processes_with(token: str) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if token.encode() in Path(entry.path, "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_unconfined_level_is_reported_as_such(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SWARM_GYM_SANDBOX", "rlimits")
    result = sandbox.run("true", workdir=tmp_path)
    assert result.isolation == "rlimits" and not result.confined


def test_confined_level_is_reported(tmp_path: Path, level: str) -> None:
    result = sandbox.run("true", workdir=tmp_path)
    assert result.ok and result.isolation == level and result.confined


@pytest.mark.parametrize("where", ["/tmp", "/root", "/var/tmp", "checkout"])
def test_writes_outside_the_workdir_do_not_reach_the_host(
    tmp_path: Path, level: str, where: str
) -> None:
    folder = ROOT if where == "checkout" else Path(where)
    target = folder / f"sandbox-escape-{uuid.uuid4().hex}"
    work = tmp_path / "work"
    work.mkdir()
    try:
        result = sandbox.run(f"echo pwned > {target}; echo done", workdir=work)
        assert result.stdout == "done\n"
        assert not target.exists(), f"sandboxed code wrote {target}"
    finally:
        target.unlink(missing_ok=True)


def test_original_workdir_is_out_of_reach_of_its_copy(tmp_path: Path, level: str) -> None:
    original, copy = tmp_path / "original", tmp_path / "copy"
    original.mkdir()
    copy.mkdir()
    (original / "app.py").write_text("print('mine')\n")
    cmd = f"echo pwned > {original}/app.py; echo pwned > {original}/new.py; ls {original}"
    result = sandbox.run(cmd, workdir=copy)
    assert (original / "app.py").read_text() == "print('mine')\n"
    assert not (original / "new.py").exists()
    assert "app.py" not in result.stdout


def test_host_tmp_and_home_are_not_visible(tmp_path: Path, level: str) -> None:
    neighbour = tmp_path / "neighbour.txt"
    neighbour.write_text("other command's data")
    dotfile = Path.home() / f".sandbox-canary-{uuid.uuid4().hex}"
    work = tmp_path / "work"
    work.mkdir()
    try:
        dotfile.write_text("home secret")
        result = sandbox.run(f"cat {neighbour} {dotfile}; ls -A {Path.home()}", workdir=work)
    finally:
        dotfile.unlink(missing_ok=True)
    assert "other command's data" not in result.stdout and "home secret" not in result.stdout
    assert dotfile.name not in result.stdout


PROBE = """
import glob, os
seen = glob.glob("/proc/*/environ") + ["/proc/%s/environ" % os.environ["TARGET"]]
pid = os.getpid()
while pid > 1:  # every ancestor, by PPid
    pid = int(open("/proc/%d/status" % pid).read().split("PPid:")[1].split()[0])
    seen.append("/proc/%d/environ" % pid)
for path in seen:
    try:
        entries = open(path, "rb").read().split(b"\\0")
    except OSError:
        continue
    print(*[e.decode("utf-8", "replace") for e in entries if b"KEY" in e])
"""
ANCESTOR_READER = f"""
import os, sys
from verifier import sandbox
probe = {PROBE!r}
result = sandbox.run([sys.executable, "-c", probe], workdir=sys.argv[1],
                     env={{"TARGET": str(os.getpid())}})
print(result.isolation)
print(result.stdout)
print(result.stderr)
"""


def test_no_ancestor_environment_is_readable(tmp_path: Path, level: str) -> None:
    # /proc/PID/environ holds a process's initial environment: the key must be there at
    # start, so the "harness" is a fresh interpreter launched with it.
    canary = f"sk-canary-{uuid.uuid4().hex}"
    env = {**os.environ, "OPENAI_API_KEY": canary, "SWARM_GYM_SANDBOX": level}
    done = subprocess.run(
        [sys.executable, "-c", ANCESTOR_READER, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,  # not the checkout: `verifier` must come from the installed path
    )
    assert done.stdout.startswith(level), done.stdout + done.stderr
    assert canary not in done.stdout + done.stderr


def test_nsenter_into_the_harness_network_namespace_fails(tmp_path: Path, level: str) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        connect = (
            f"import socket; socket.create_connection(('127.0.0.1', {port}), 2); print('connected')"
        )
        cmd = (
            f"for ns in /proc/{os.getpid()}/ns/net /proc/1/ns/net /proc/*/ns/net; do "
            f'nsenter --net=$ns python -c "{connect}" 2>/dev/null; done; '
            f'python -c "{connect}" 2>/dev/null; echo tried'
        )
        result = sandbox.run(cmd, workdir=tmp_path, timeout_s=30)
    assert result.stdout.endswith("tried\n"), result.stdout + result.stderr
    assert "connected" not in result.stdout


DAEMON = textwrap.dedent(
    """
    import os, sys, time
    for procs in ("/sys/fs/cgroup/pids/cgroup.procs", "/sys/fs/cgroup/cgroup.procs",
                  "/sys/fs/cgroup/unified/cgroup.procs"):
        try:
            with open(procs, "w") as fh:
                fh.write(str(os.getpid()))
        except OSError:
            pass
    time.sleep(120)
    """
)


def test_a_setsid_daemon_that_leaves_its_cgroup_still_dies(tmp_path: Path, level: str) -> None:
    token = f"sandbox-daemon-{uuid.uuid4().hex}"
    (tmp_path / "daemon.py").write_text(DAEMON)
    cmd = f"setsid python daemon.py {token} </dev/null >/dev/null 2>&1 & sleep 0.5; echo started"
    try:
        result = sandbox.run(cmd, workdir=tmp_path, timeout_s=20)
        assert result.stdout == "started\n", result.stderr
        assert _processes_with(token) == []
    finally:
        for pid in _processes_with(token):
            os.kill(pid, signal.SIGKILL)


def test_the_catalog_and_the_checkout_are_not_readable(tmp_path: Path, level: str) -> None:
    toml = next(iter(sorted(CATALOG_DIR.glob("*/task.toml"))))
    hidden = next(iter(sorted(CATALOG_DIR.glob("*/hidden_tests/*.py"))))
    cmd = f"cat {toml} {hidden} {ROOT}/pyproject.toml; ls {CATALOG_DIR}; echo end"
    result = sandbox.run(cmd, workdir=tmp_path)
    assert result.stdout.endswith("end\n"), result.stderr
    assert "[[checks]]" not in result.stdout and "def test_" not in result.stdout
    assert "swarm-gym" not in result.stdout and "task.toml" not in result.stdout


def test_a_hidden_folder_inside_a_visible_one_is_masked(tmp_path: Path, level: str) -> None:
    inside = Path(sys.prefix) / "lib"  # visible: the interpreter's own prefix
    result = sandbox.run(f"ls {inside}", workdir=tmp_path, hide=[inside])
    assert result.ok and result.stdout == ""


def test_readonly_paths_inside_the_workdir_cannot_be_changed(tmp_path: Path, level: str) -> None:
    tests = tmp_path / "_hidden_tests"
    tests.mkdir()
    (tests / "test_x.py").write_text("def test_x():\n    assert False\n")
    cmd = "echo 'def test_x(): pass' > _hidden_tests/test_x.py; rm -f _hidden_tests/test_x.py"
    sandbox.run(cmd, workdir=tmp_path, readonly=[tests])
    assert (tests / "test_x.py").read_text() == "def test_x():\n    assert False\n"


def test_no_capabilities_even_as_root(tmp_path: Path, level: str) -> None:
    result = sandbox.run("grep -E '^Cap(Eff|Prm|Amb)' /proc/self/status", workdir=tmp_path)
    values = {line.split()[0]: int(line.split()[1], 16) for line in result.stdout.splitlines()}
    assert values and set(values.values()) == {0}, result.stdout
