"""Test helper: a ledger whose episodes carry real evidence (trees, event logs, transcripts).

Not a test module: imported by the drill-down, view and browser tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from ledger import Ledger, TurnRecord, add_synthetic_run
from verifier import DIMENSIONS, DimensionGrade, Finding, Grade, Source, Status, Verdict

#: Planted in produced code, a worker message and a finding: must reach the page as text.
INJECTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'

TURN_1 = {
    "app/__main__.py": "from app.core import add\n\nprint(add(1, 2))\n",
    "app/core.py": "def add(a, b):\n    return a - b\n",
    "README.md": f"# app\n\n{INJECTED}\n",
}
TURN_2 = {
    "app/__main__.py": TURN_1["app/__main__.py"],
    "app/core.py": "def add(a, b):\n    '''Sum.'''\n    return a + b\n",
    "app/extra.py": f"HTML = {INJECTED!r}\n",
}


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / ".swarm").mkdir(exist_ok=True)
    (root / ".swarm" / "run-x.jsonl").write_text('{"event": "bookkeeping"}\n', encoding="utf-8")
    return root


def _events(path: Path) -> Path:
    lines = [
        {"event": "task_dispatched", "task_id": "core", "attempt": 1, "device": "n0"},
        {
            "event": "tool_call",
            "task_id": "core",
            "attempt": 1,
            "tool": "write_file",
            "path": "app/core.py",
            "ok": True,
        },
        {
            "event": "file_written",
            "task_id": "core",
            "attempt": 1,
            "path": "app/core.py",
            "bytes": 40,
        },
        {
            "event": "tool_call",
            "task_id": "core",
            "attempt": 1,
            "tool": "run_command",
            "ok": False,
            "error": INJECTED,
        },
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    return path


def _transcript(path: Path) -> Path:
    attempt = {
        "task_id": "core",
        "attempt": 1,
        "device": "n0",
        "messages": [
            {"role": "user", "content": "Write app/core.py"},
            {
                "role": "assistant",
                "content": f"I will fix add. {INJECTED}",
                "tool_calls": [{"name": "write_file", "arguments": '{"path": "app/core.py"}'}],
            },
            {"role": "tool", "content": "wrote app/core.py", "name": "write_file"},
        ],
    }
    path.write_text(json.dumps(attempt) + "\n", encoding="utf-8")
    return path


def _grade(verdict: Verdict, finding: Finding | None) -> Grade:
    passed = verdict is Verdict.PASS
    dims = {
        name: DimensionGrade(
            score=0.9 if passed else 0.2,
            status=Status.PASS if passed else Status.FAIL,
            source=Source.DETERMINISTIC,
        )
        for name in DIMENSIONS
    }
    if finding is not None:
        first = DIMENSIONS[0]
        dims[first] = DimensionGrade(
            score=0.2, status=Status.FAIL, findings=[finding], source=Source.DETERMINISTIC
        )
    return Grade(task="task-0", stage=2, verdict=verdict, dimensions=dims)


def episode_ids(ledger: Ledger, run_id: str) -> list[str]:
    """The run's episode ids in creation order."""
    rows = ledger.query("SELECT id FROM episodes WHERE run_id = ? ORDER BY rowid", (run_id,))
    return [r["id"] for r in rows]


def add_evidence(ledger: Ledger, episode_id: str, work: Path) -> None:
    """Give ``episode_id`` two stored turns: trees, event logs, a transcript, a finding."""
    for turn, files in ((1, TURN_1), (2, TURN_2)):
        tree = _tree(work / f"{episode_id}-t{turn}", files)
        ledger.store_artifact(episode_id, tree, "tree", turn=turn)
        ledger.store_artifact(
            episode_id, _events(work / f"ev-{episode_id}-{turn}.jsonl"), "events", turn=turn
        )
        ledger.store_artifact(
            episode_id, _transcript(work / f"tr-{episode_id}-{turn}.jsonl"), "transcript", turn=turn
        )
    ledger.record_turn(
        TurnRecord(
            episode_id=episode_id,
            turn=2,
            move="fix",
            swarm_status="done",
            exit_code=0,
            prompt_tokens=1234,
            completion_tokens=567,
            message="add is wrong, fix it",
        )
    )
    finding = Finding(
        code="wrong_sum", message=f"add(1, 2) printed -1 {INJECTED}", file="app/core.py", line=3
    )
    ledger.record_grade(episode_id, 2, _grade(Verdict.PASS, finding))


def two_config_ledger(gym_dir: Path, work: Path) -> tuple[list[str], str]:
    """Two runs differing by one knob (4 episodes each, paired); evidence on one episode.

    Returns the run ids and the episode that has evidence.
    """
    with Ledger.open(gym_dir) as ledger:
        base = add_synthetic_run(ledger, [True, False, True, False], seeds=[0, 0, 0, 0])
        tuned = add_synthetic_run(
            ledger, [True, True, True, False], knobs={"worker.turn_cap": 12}, seeds=[0, 0, 0, 0]
        )
        chosen = episode_ids(ledger, tuned)[1]
        add_evidence(ledger, chosen, work)
    return [base, tuned], chosen
