"""The evidence package: trees read safely, code escaped and anchored, diffs, transcripts."""

from __future__ import annotations

import io
import json
import sys
import tarfile
from pathlib import Path

from ledger import Ledger, add_synthetic_run
from reports.evidence import (
    DIFF_MAX_LINES,
    ENTRY_MAX,
    FILE_MAX_BYTES,
    TreeFile,
    code_file,
    episode_evidence,
    read_tree,
    transcript,
    tree_diff,
)

sys.path.insert(0, str(Path(__file__).parent))
from evidence_ledger import INJECTED, add_evidence, episode_ids  # noqa: E402


def _archive(path: Path, members: list[tarfile.TarInfo], data: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for m in members:
            tar.addfile(m, io.BytesIO(data[m.name]) if m.name in data else None)
    return path


def test_read_tree_shows_text_and_refuses_links_binaries_big_files_and_bookkeeping(tmp_path):
    link = tarfile.TarInfo("./secret")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    fifo = tarfile.TarInfo("./pipe")
    fifo.type = tarfile.FIFOTYPE
    files = {
        "./app.py": b"print(1)\n",
        "./blob.bin": b"\xff\xfe\x00",
        "./big.txt": b"x" * (FILE_MAX_BYTES + 1),
        "./.swarm/run-1.jsonl": b"{}\n",
        "./app/__pycache__/a.pyc": b"\x00",
    }
    members = [link, fifo]
    for name, body in files.items():
        info = tarfile.TarInfo(name)
        info.size = len(body)
        members.append(info)
    tree = {f.path: f for f in read_tree(_archive(tmp_path / "t.tar.gz", members, files))}
    assert set(tree) == {"app.py", "blob.bin", "big.txt", "secret", "pipe"}
    assert tree["app.py"].text == "print(1)\n"
    assert tree["secret"].text is None and "not followed" in tree["secret"].note
    assert tree["pipe"].text is None and tree["blob.bin"].note == "binary (not shown)"
    assert tree["big.txt"].text is None and "too big" in tree["big.txt"].note


def test_code_is_escaped_and_every_line_has_an_anchor():
    code = code_file(TreeFile("a.py", 10, f"x = {INJECTED!r}\ny = 2\n"), "c-ep-t1-f0")
    assert "<script>" not in code.html and "<img" not in code.html
    assert "&lt;script&gt;" in code.html
    assert 'id="c-ep-t1-f0-1"' in code.html and 'id="c-ep-t1-f0-2"' in code.html
    assert code.lines == 2


def test_unknown_file_types_are_shown_as_plain_escaped_text():
    code = code_file(TreeFile("notes.weird-ext", 5, "<b>hi</b>"), "c-x")
    assert "<b>" not in code.html and "&lt;b&gt;hi&lt;/b&gt;" in code.html


def test_diff_counts_added_removed_changed_and_is_capped():
    before = [TreeFile("a.py", 2, "a\n"), TreeFile("gone.py", 2, "g\n"), TreeFile("same", 1, "s")]
    after = [TreeFile("a.py", 2, "b\n"), TreeFile("new.py", 2, "n\n"), TreeFile("same", 1, "s")]
    diff = tree_diff(before, after)
    assert (diff.added, diff.removed, diff.changed) == (1, 1, 1)
    kinds = {(line.kind, line.text) for line in diff.lines}
    assert ("del", "-a") in kinds and ("add", "+b") in kinds and ("add", "+n") in kinds
    assert not any("same" in line.text for line in diff.lines)
    huge = [TreeFile("big.py", 1, "".join(f"{n}\n" for n in range(DIFF_MAX_LINES * 2)))]
    capped = tree_diff([], huge)
    assert len(capped.lines) == DIFF_MAX_LINES and capped.cut > 0


def test_transcript_reads_messages_and_events_skips_broken_lines_and_caps(tmp_path):
    events = tmp_path / "events.jsonl"
    lines = [json.dumps({"event": "tool_call", "task_id": "t", "attempt": 1, "tool": "run"})]
    lines += ["{broken", json.dumps({"event": "heartbeat"})]
    lines += [json.dumps({"event": "file_written", "path": f"f{n}"}) for n in range(ENTRY_MAX)]
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    said = tmp_path / "transcript.jsonl"
    long = "y" * 10_000
    message = {"role": "assistant", "content": long, "tool_calls": [{"name": "done"}]}
    said.write_text(json.dumps({"task_id": "t", "attempt": 2, "messages": [message]}) + "\n")
    story = transcript([events], [said])
    assert story.has_messages and story.messages[0].who == "t #2"
    assert len(story.messages[0].text) < 3000 and "more chars" in story.messages[0].text
    assert "→ done(" in story.messages[0].text
    assert story.events[0].text.startswith("tool_call tool=run")
    assert len(story.events) == ENTRY_MAX and story.cut == 1  # the heartbeat is not shown


def test_episode_evidence_links_findings_diffs_turns_and_reports_tampering(tmp_path):
    with Ledger.open(tmp_path / ".gym") as ledger:
        run = add_synthetic_run(ledger, [True])
        episode = episode_ids(ledger, run)[0]
        (tmp_path / "w").mkdir()
        add_evidence(ledger, episode, tmp_path / "w")
        rows = [r.model_dump() for r in ledger.artifacts(episode)]
        evidence = episode_evidence(ledger, episode, rows)
        assert set(evidence) == {1, 2}
        first, second = evidence[1], evidence[2]
        assert first.diff is None and second.diff is not None
        assert (second.diff.added, second.diff.removed, second.diff.changed) == (1, 1, 1)
        paths = [c.path for c in second.code]
        assert paths == ["app/__main__.py", "app/core.py", "app/extra.py"]  # no .swarm
        main = second.code[0]
        assert main.html is None and main.shown_in_turn == 1  # unchanged: linked, not repeated
        core = second.code[1]
        assert second.line_href("app/core.py", 3) == f"#{core.anchor}-3"
        assert second.line_href("./app/core.py", 99) == f"#{core.anchor}"  # past the end
        shown = next(c for c in first.code if c.path == "app/__main__.py")
        assert second.line_href("app/__main__.py", 1) == f"#{shown.anchor}-1"
        assert second.line_href("missing.py", 1) is None
        assert second.transcript.has_messages and len(second.transcript.events) == 4
        tree = next(r for r in ledger.artifacts(episode, kind="tree") if r.turn == 2)
        ledger.artifact_path(tree).write_bytes(b"tampered")
        again = episode_evidence(ledger, episode, rows)[2]
    assert again.code == [] and any("sha256" in p for p in again.problems)
