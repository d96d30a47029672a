"""A swarm's captured output is capped in memory and on disk (gym.runner).

The break: ``--swarm-cmd`` writing 400 MB to stderr grew the harness to 1.3 GB, since
``communicate()`` held every byte (and then the decoded text, and then the turn's file).
Now each stream keeps its first bytes and its newest bytes up to ``OUTPUT_CAP_BYTES``,
with a line saying how much was dropped; the JSON report at the end of stdout survives.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gym.collector import parse_report
from gym.runner import OUTPUT_CAP_BYTES, SwarmCall, run_swarm

MB = 1024 * 1024

#: A contract-2 swarm that floods both pipes, then prints its report as the last line.
FLOODER = textwrap.dedent(
    """
    import json, os, sys
    mb = int(os.environ.get("FLOOD_MB", "1"))
    block = (b"x" * 1023 + b"\\n") * 1024
    sys.stderr.buffer.write(b"FIRST STDERR LINE\\n")
    sys.stdout.buffer.write(b"FIRST STDOUT LINE\\n")
    for _ in range(mb):
        sys.stderr.buffer.write(block)
    for _ in range(mb // 4):
        sys.stdout.buffer.write(block)
    sys.stderr.buffer.write(b"LAST STDERR LINE: the real reason\\n")
    sys.stdout.buffer.write(json.dumps({"status": "failed", "run_id": "flood"}).encode() + b"\\n")
    sys.exit(1)
    """
)


@pytest.fixture
def flooder(tmp_path: Path) -> SwarmCall:
    script = tmp_path / "flooder.py"
    script.write_text(FLOODER)
    (tmp_path / "spec.md").write_text("spec")
    (tmp_path / "work").mkdir()
    return SwarmCall(
        spec_file=tmp_path / "spec.md",
        workdir=tmp_path / "work",
        fleet="sim:competent",
        timeout_s=120,
        swarm_cmd=f"{sys.executable} {script}",
    )


async def test_a_flood_is_capped_and_keeps_its_head_tail_and_report(flooder, monkeypatch):
    monkeypatch.setenv("FLOOD_MB", "48")  # 48 MB of stderr, 12 MB of stdout
    run = await run_swarm(flooder)

    assert run.exit_code == 1
    for text in (run.stderr, run.stdout):
        assert len(text.encode()) <= OUTPUT_CAP_BYTES + 200
        assert "bytes of output dropped ...]" in text
    assert run.stderr.startswith("FIRST STDERR LINE\n")
    assert run.stderr.endswith("LAST STDERR LINE: the real reason\n")
    assert run.stdout.startswith("FIRST STDOUT LINE\n")
    assert parse_report(run.stdout) == {"status": "failed", "run_id": "flood"}
    dropped = int(run.stderr.split("[... ", 1)[1].split(" bytes", 1)[0])
    total = len(b"FIRST STDERR LINE\n") + 48 * MB + len(b"LAST STDERR LINE: the real reason\n")
    assert len(run.stderr.encode()) - len(f"\n[... {dropped} bytes of output dropped ...]\n") == (
        total - dropped
    )


async def test_output_under_the_cap_is_kept_whole(flooder, monkeypatch):
    monkeypatch.setenv("FLOOD_MB", "1")
    run = await run_swarm(flooder)
    assert "dropped" not in run.stderr
    assert len(run.stderr.encode()) == (
        len(b"FIRST STDERR LINE\n") + MB + len(b"LAST STDERR LINE: the real reason\n")
    )


def test_the_kept_bytes_are_exactly_the_head_and_the_tail_whatever_the_chunking():
    from gym.runner import CappedOutput

    rng = random.Random(7)
    for _ in range(50):
        data = bytes(rng.randrange(97, 123) for _ in range(rng.randrange(0, 5000)))
        cap, head = rng.randrange(1, 800), rng.randrange(0, 300)
        sink, pos = CappedOutput(cap, head), 0
        while pos < len(data):
            step = rng.randrange(1, 400)
            sink.add(data[pos : pos + step])
            pos += step
        kept_head = data[: min(head, cap)]
        rest = data[len(kept_head) :]
        kept_tail = rest[max(0, len(rest) - (cap - len(kept_head))) :]
        dropped = len(data) - len(kept_head) - len(kept_tail)
        gap = f"\n[... {dropped} bytes of output dropped ...]\n" if dropped else ""
        expected = kept_head.decode() + gap + kept_tail.decode()
        assert sink.text() == expected


#: Runs the harness's runner in a fresh interpreter and prints its own peak RSS in KiB.
HARNESS = textwrap.dedent(
    """
    import asyncio, resource, sys
    from pathlib import Path
    from gym.runner import SwarmCall, run_swarm
    call = SwarmCall(spec_file=Path(sys.argv[1]), workdir=Path(sys.argv[2]),
                     fleet="sim:competent", timeout_s=300, swarm_cmd=sys.argv[3])
    run = asyncio.run(run_swarm(call))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(run.stderr))
    """
)


def _harness_peak_kib(call: SwarmCall, flood_mb: int) -> int:
    result = subprocess.run(
        [sys.executable, "-c", HARNESS, str(call.spec_file), str(call.workdir), call.swarm_cmd],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "FLOOD_MB": str(flood_mb)},
        check=True,
    )
    return int(result.stdout.split()[0])


def test_a_400_mb_flood_does_not_grow_the_harness(flooder):
    quiet = _harness_peak_kib(flooder, 1)
    flood = _harness_peak_kib(flooder, 400)
    assert flood - quiet < 64 * 1024, (quiet, flood)  # KiB: the cap and a few copies of it


CATALOG_TASK = """
id = "greet"
title = "Greeting CLI"
archetype = "heavy-spec"
difficulty = 1
entry = "python -m greet"
spec = "Build `greet`, run as `python -m greet NAME`, printing `Hello, NAME`."

[[checks]]
name = "greets_bob"
kind = "command"
cmd = "python -m greet Bob"
expect_stdout = { equals = "Hello, Bob\\n" }
"""


def test_the_turns_output_files_on_disk_are_capped_too(flooder, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from gym.cli import app

    catalog = tmp_path / "catalog" / "greet"
    catalog.mkdir(parents=True)
    (catalog / "task.toml").write_text(CATALOG_TASK)
    monkeypatch.setenv("FLOOD_MB", "48")
    gym_dir = tmp_path / "g"
    CliRunner().invoke(
        app,
        ["run", "--episodes", "1", "--max-turns", "1", "--no-judge", "--gym-dir", str(gym_dir)]
        + ["--catalog-dir", str(catalog.parent), "--swarm-cmd", flooder.swarm_cmd or ""],
    )
    saved = sorted(gym_dir.rglob("turn-1-std*.txt"))
    assert [p.name for p in saved] == ["turn-1-stderr.txt", "turn-1-stdout.txt"]
    for path in saved:
        assert path.stat().st_size <= OUTPUT_CAP_BYTES + 200, path
    assert saved[0].read_text().endswith("LAST STDERR LINE: the real reason\n")
