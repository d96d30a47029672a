"""A planted link never carries the harness's keys anywhere: prompt, artifact, ledger, report.

Measured before the fix: a symlink ``NOTES.md -> /proc/self/environ`` in the produced tree
put the harness's environment, both API keys included, into the judge's prompt. Here a
fresh "harness" interpreter starts with fake keys in its environment (``/proc/self/environ``
holds only a process's *initial* environment), grades such a tree with a judge that
records every prompt, collects the tree as the gym does, stores it and the planted links
in the artifact store, records the grade and renders the HTML report. No fake key may
appear in any of it.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

GREET = Path(__file__).resolve().parents[1] / "verifier" / "fixtures" / "greet"

HARNESS = r"""
import json, shutil, sys
from pathlib import Path

from brain import ChatResponse
from gym.collector import produced_tree, tree_digest
from ledger import EpisodeRecord, Ledger, RunRecord
from reports import build_report
from verifier import grade_workdir, load_task

greet, out = Path(sys.argv[1]), Path(sys.argv[2])
ANSWER = {
    "requirements": [{"id": f"R{i}", "requirement": "r", "met": True, "evidence": "core.py"}
                     for i in range(1, 4)],
    "code_quality": {"score": 4, "reasons": ["fine"]},
    "bugs": [],
}


class RecordingJudge:
    url, model = "record://judge", "judge"

    async def chat(self, request):
        with (out / "prompts.txt").open("a") as fh:
            fh.write(json.dumps([m.model_dump(mode="json") for m in request.messages]) + "\n")
        return ChatResponse(text=json.dumps(ANSWER))

    async def probe(self):
        return ["judge"]

    async def aclose(self):
        pass


work = Path(shutil.copytree(greet / "reference", out / "work"))
(work / "NOTES.md").symlink_to("/proc/self/environ")
(work / "greet" / "env.py").symlink_to("/proc/self/environ")
(work / "docs").mkdir()
(work / "docs" / "keys.md").symlink_to(out / "outside-secret.txt")
(work / ".swarm").mkdir()
(work / ".swarm" / "run-evil.jsonl").symlink_to("/proc/self/environ")

grade = grade_workdir(work, load_task(greet), judge=RecordingJudge())
(out / "grade.json").write_text(grade.model_dump_json())
tree = produced_tree(work)
(out / "tree.json").write_text(json.dumps({"tree": tree, "digest": tree_digest(work, tree)}))

gym_dir = out / "gymdir"
with Ledger.open(gym_dir) as ledger:
    run_id = ledger.start_run(RunRecord(simulated=True, label="canary"))
    episode = ledger.start_episode(EpisodeRecord(run_id=run_id, task="greet"))
    ledger.store_artifact(episode, work, "tree", turn=1)
    ledger.store_artifact(episode, work / "NOTES.md", "notes", turn=1)
    ledger.store_artifact(episode, work / ".swarm" / "run-evil.jsonl", "events", turn=1)
    ledger.record_grade(episode, 1, grade)
    build_report(ledger, out / "report.html")
print("harness done", grade.verdict.value)
"""


def _every_byte(root: Path) -> bytes:
    """Everything under ``root``, with gzip and tar archives opened up."""
    chunks = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        chunks.append(data)
        if path.name.endswith(".gz"):
            chunks.append(gzip.decompress(data))
            with tarfile.open(path) as tar:
                for member in tar.getmembers():
                    chunks.append(member.linkname.encode())
                    handle = tar.extractfile(member) if member.isfile() else None
                    chunks.append(handle.read() if handle else b"")
    return b"\n".join(chunks)


def test_planted_links_leak_no_key_into_prompt_artifact_ledger_or_report(tmp_path: Path) -> None:
    keys = {
        "OPENAI_API_KEY": f"sk-openai-canary-{uuid.uuid4().hex}",
        "ANTHROPIC_API_KEY": f"sk-ant-canary-{uuid.uuid4().hex}",
    }
    outside = f"sk-outside-canary-{uuid.uuid4().hex}"
    (tmp_path / "outside-secret.txt").write_text(outside)
    env = {**os.environ, **keys}
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, str(GREET), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    assert "harness done" in done.stdout, done.stdout + done.stderr
    prompts = (tmp_path / "prompts.txt").read_text()
    assert "greet/core.py" in prompts  # the judge did see the real code
    (tmp_path / "outside-secret.txt").unlink()  # the only place the secret may be
    everything = _every_byte(tmp_path) + done.stdout.encode() + done.stderr.encode()
    for secret in (*keys.values(), outside):
        assert secret.encode() not in everything, f"{secret[:14]}... leaked"
    assert b"PATH=" not in prompts.encode()  # no environment block at all
