"""Artifacts are copied in, named safely, referenced by sha256 and verified on every read."""

from __future__ import annotations

import pytest

from ledger import ArtifactError


def test_file_artifact_round_trips_with_its_sha256(ledger, episode, tmp_path):
    _, eid = episode
    src = tmp_path / "run.jsonl"
    src.write_text('{"event": "run_started"}\n')
    ref = ledger.store_artifact(eid, src, "events", turn=1)
    assert ref.path == f"artifacts/{eid}/t1-events-run.jsonl"
    assert ledger.artifact_path(ref).read_text() == src.read_text()
    assert ledger.artifacts(eid, kind="events") == [ref]


def test_directory_is_archived_and_unpacks_to_the_same_tree(ledger, episode, tmp_path):
    _, eid = episode
    tree = tmp_path / "work"
    (tree / "pkg").mkdir(parents=True)
    (tree / "pkg" / "__main__.py").write_text("print('hi')\n")
    ref = ledger.store_artifact(eid, tree, "tree")
    assert ref.path.endswith(".tar.gz")
    out = ledger.extract_tree(ref, tmp_path / "back")
    assert (out / "pkg" / "__main__.py").read_text() == "print('hi')\n"


def test_an_edited_artifact_fails_verification(ledger, episode, tmp_path):
    _, eid = episode
    src = tmp_path / "judge.txt"
    src.write_text("verdict: pass")
    ref = ledger.store_artifact(eid, src, "judge")
    (ledger.gym_dir / ref.path).write_text("verdict: fail")
    with pytest.raises(ArtifactError, match="does not match its sha256"):
        ledger.artifact_path(ref)


def test_a_missing_artifact_is_reported(ledger, episode, tmp_path):
    _, eid = episode
    src = tmp_path / "x.txt"
    src.write_text("x")
    ref = ledger.store_artifact(eid, src, "judge")
    (ledger.gym_dir / ref.path).unlink()
    with pytest.raises(ArtifactError, match="is missing"):
        ledger.artifact_path(ref)


def test_a_model_chosen_name_cannot_escape_the_store(ledger, episode, tmp_path):
    _, eid = episode
    src = tmp_path / "..;rm -rf ~ <b>.txt"
    src.write_text("x")
    ref = ledger.store_artifact(eid, src, "judge")
    stored = ledger.artifact_path(ref)
    assert stored.parent == (ledger.gym_dir / "artifacts" / eid).resolve()
    assert all(c.isalnum() or c in "._-" for c in stored.name)


def test_a_reference_pointing_outside_the_store_is_refused(ledger, episode, tmp_path):
    _, eid = episode
    src = tmp_path / "x.txt"
    src.write_text("x")
    ref = ledger.store_artifact(eid, src, "judge")
    with pytest.raises(ArtifactError, match="outside the artifact store"):
        ledger.artifact_path(ref.model_copy(update={"path": "../../etc/passwd"}))


def test_same_name_twice_keeps_both(ledger, episode, tmp_path):
    _, eid = episode
    src = tmp_path / "log.txt"
    src.write_text("one")
    first = ledger.store_artifact(eid, src, "log")
    src.write_text("two")
    second = ledger.store_artifact(eid, src, "log")
    assert first.path != second.path
    assert ledger.artifact_path(first).read_text() == "one"


def test_bad_kind_is_refused(ledger, episode, tmp_path):
    _, eid = episode
    (tmp_path / "x").write_text("x")
    with pytest.raises(ArtifactError, match="kind"):
        ledger.store_artifact(eid, tmp_path / "x", "../evil")
