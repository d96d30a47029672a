"""A minimal external swarm honouring contract 2, driven by FAKE_SWARM_MODE.

Modes: ok (writes a greeting app), broken (writes a wrong one), crash (traceback,
exit 1 without report... exit 70), badconfig (exit 2), sleep (sleeps until killed,
leaving a child in its process group), noreport (events only, then exit 1), infra2 (a
broken app on its first turn in a workdir; on any later turn every attempt fails to connect
and the report names an ``infra_reason``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

APP_OK = 'import sys\nprint("Hello, " + (sys.argv[1] if len(sys.argv) > 1 else "world"))\n'
APP_BROKEN = 'print("Hi")\n'


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("cmd")
    parser.add_argument("--spec", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--fleet", required=True)
    parser.add_argument("--output-format", default="text")
    parser.add_argument("--timeout-s", type=float, default=60)
    parser.add_argument("--knob", action="append", default=[])
    args = parser.parse_args()
    mode = os.environ.get("FAKE_SWARM_MODE", "ok")
    workdir = Path(args.workdir)
    run_id = f"fake{int(time.time() * 1e6)}"
    log = workdir / ".swarm" / f"run-{run_id}.jsonl"
    log.parent.mkdir(parents=True, exist_ok=True)
    seq = 0

    def emit(event: str, **fields: object) -> None:
        nonlocal seq
        seq += 1
        with log.open("a") as fh:
            fh.write(
                json.dumps(
                    {"ts": time.time(), "seq": seq, "run_id": run_id, "event": event, **fields}
                )
                + "\n"
            )

    spec = Path(args.spec).read_text()
    (workdir / ".swarm" / "last-spec.txt").write_text(spec)
    if mode == "importerror":
        raise ImportError("cannot import name 'X' from 'swarm.y'")
    if mode == "badconfig":
        print("swarm: unknown knob 'nope'", file=sys.stderr)
        return 2
    if mode == "infra2" and list((workdir / ".swarm").glob("run-*.jsonl")):
        return _unreachable_fleet(run_id)
    emit("run_started", pool=[args.fleet])
    time.sleep(float(os.environ.get("FAKE_SWARM_DELAY_S", "0")))
    emit(
        "plan_loaded",
        tasks=[{"id": "greet", "owned_files": ["greet/__init__.py", "greet/__main__.py"]}],
    )
    emit("task_dispatched", task_id="greet", device="node-a", model="m")
    if mode == "sleep":
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        emit("tool_call", task_id="greet", device="node-a", tool="write_file")
        time.sleep(600)
    if mode == "crash":
        raise RuntimeError("fake swarm blew up")
    pkg = workdir / "greet"
    pkg.mkdir(exist_ok=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "__main__.py").write_text(APP_BROKEN if mode in ("broken", "infra2") else APP_OK)
    if os.environ.get("FAKE_SWARM_LITTER"):
        (workdir / os.environ["FAKE_SWARM_LITTER"]).write_text("x = 1\n")
    emit("tool_call", task_id="greet", device="node-a", tool="write_file")
    emit("file_written", task_id="greet", device="node-a", path="greet/__main__.py")
    emit("task_completed", task_id="greet", device="node-a", status="done")
    if mode == "noreport":
        return 1
    emit("run_finished", status="done")
    report = {
        "run_id": run_id,
        "status": "done",
        "done": 1,
        "failed": 0,
        "tasks": [
            {
                "task_id": "greet",
                "status": "done",
                "device": "node-a",
                "model": "m",
                "attempts": 1,
                "attempt_history": [],
                "elapsed_ms": 5,
                "tool_calls": 1,
                "files_written": ["greet/__main__.py"],
            }
        ],
        "per_device": {"node-a": {"dispatched": 1, "tool_calls": 1, "retries": 0, "busy_ms": 5}},
        "gates": {},
        "usage": {"prompt_tokens": 10, "completion_tokens": 20},
        "knobs": {},
        "elapsed_ms": 5,
    }
    print(json.dumps(report))
    return 0


def _unreachable_fleet(run_id: str) -> int:
    """A swarm whose every node refused: it says so in its report and exits 1."""
    attempt = {"device": "node-a", "outcome": "transient", "error": "node-a: connection refused"}
    report = {
        "run_id": run_id,
        "status": "failed",
        "reason": "every node quarantined",
        "infra_reason": "every node quarantined: node-a: connection refused",
        "tasks": [{"task_id": "greet", "status": "failed", "attempt_history": [attempt] * 3}],
    }
    print(json.dumps(report))
    return 1


if __name__ == "__main__":
    sys.exit(main())
