"""The one reader of produced trees: links are never followed, special files never opened.

Before the fix each reader walked the tree its own way and followed links: a symlink
``NOTES.md -> /proc/self/environ`` put the harness's environment into the judge's prompt,
and a FIFO would have blocked a reader forever.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from verifier import read_tree_file, read_tree_files, tree_files


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A produced tree with one of everything a hostile swarm might plant."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("sk-outside-secret")
    root = tmp_path / "tree"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "app.py").write_text("print('hi')\n")
    (root / "README.md").write_text("# app\n")
    (root / "NOTES.md").symlink_to("/proc/self/environ")
    (root / "pkg" / "key.md").symlink_to(outside / "secret.txt")
    (root / "linked_dir").symlink_to(outside, target_is_directory=True)
    (root / "inside_link.md").symlink_to(root / "README.md")
    os.mkfifo(root / "pipe.md")
    (root / "big.txt").write_bytes(b"x" * 5000)
    return root


def test_only_regular_files_are_read(tree: Path) -> None:
    found = read_tree_files(tree, max_file_bytes=4096)
    assert sorted(found) == ["README.md", "pkg/app.py"]
    assert b"sk-outside-secret" not in b"".join(found.values())


def test_even_a_link_to_a_file_inside_the_tree_is_not_followed(tree: Path) -> None:
    assert "inside_link.md" not in read_tree_files(tree)


def test_a_fifo_does_not_block_the_reader(tree: Path) -> None:
    result: dict[str, bytes] = {}
    worker = threading.Thread(target=lambda: result.update(read_tree_files(tree)), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "reading the tree blocked on a FIFO"
    assert "pipe.md" not in result


def test_sizes_are_bounded_per_file_and_in_total(tree: Path) -> None:
    assert "big.txt" in read_tree_files(tree, max_file_bytes=5000)
    assert "big.txt" not in read_tree_files(tree, max_file_bytes=4999)
    assert sum(map(len, read_tree_files(tree, max_total_bytes=20).values())) <= 20


def test_suffix_and_skip_filters(tree: Path) -> None:
    assert sorted(read_tree_files(tree, suffixes={".py"})) == ["pkg/app.py"]
    assert sorted(read_tree_files(tree, skip=("pkg",))) == ["README.md", "big.txt"]


def test_tree_files_lists_sizes_without_links(tree: Path) -> None:
    assert tree_files(tree) == {"README.md": 6, "big.txt": 5000, "pkg/app.py": 12}


@pytest.mark.parametrize(
    "rel",
    [
        "NOTES.md",
        "pkg/key.md",
        "linked_dir/secret.txt",
        "../outside/secret.txt",
        "/etc/hostname",
        "pipe.md",
    ],
)
def test_one_file_is_refused_through_any_link_or_escape(tree: Path, rel: str) -> None:
    assert read_tree_file(tree, rel) is None


def test_one_regular_file_is_read(tree: Path) -> None:
    assert read_tree_file(tree, "pkg/app.py") == b"print('hi')\n"
    assert read_tree_file(tree, "big.txt", max_bytes=10) is None


def test_a_kept_app_keeps_links_as_links_and_drops_fifos(tree: Path, tmp_path: Path) -> None:
    # A green app is kept to seed later episodes: copying it must not dereference anything.
    from gym.episode import KeptApps

    kept = KeptApps(tmp_path / "gymdir", simulated=True).keep("greet", 1, tree, "k1")
    assert (kept.path / "NOTES.md").is_symlink()
    assert os.readlink(kept.path / "pkg" / "key.md").endswith("secret.txt")
    assert not (kept.path / "pipe.md").exists()
    assert b"sk-outside-secret" not in b"".join(read_tree_files(kept.path).values())
