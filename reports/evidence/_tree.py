"""Read a stored tree archive without unpacking it: produced trees are untrusted.

Only regular files are read (links, devices and FIFOs are listed as what they are, never
followed), each one capped, and bookkeeping folders (``.swarm``, caches) are left out: they
are the swarm's and the harness's, not the app a model produced.
"""

from __future__ import annotations

import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: Folders that are bookkeeping, not the produced app (the collector's list, for reports).
SKIPPED_DIRS = frozenset({".swarm", "__pycache__", ".pytest_cache", ".git"})
#: A file bigger than this is listed, not shown.
FILE_MAX_BYTES = 64 * 1024
#: At most this many files of one tree are read; the rest are listed as skipped.
TREE_MAX_FILES = 40


@dataclass
class TreeFile:
    """One file of a produced tree as the report shows it."""

    path: str
    size: int
    #: The text, or None when the file is binary, too big or not a regular file.
    text: str | None
    #: Why there is no text ('' when there is).
    note: str = ""


def read_tree(archive: Path) -> list[TreeFile]:
    """The produced files of a ``.tar.gz`` tree artifact, sorted by path."""
    files: list[TreeFile] = []
    with tarfile.open(archive, "r:gz") as tar:
        members = sorted((m for m in tar.getmembers() if _produced(m)), key=lambda m: m.name)
        for n, member in enumerate(members):
            path = _clean(member.name)
            if n >= TREE_MAX_FILES:
                files.append(TreeFile(path, member.size, None, "not read (file limit)"))
            else:
                files.append(_one(tar, member, path))
    return files


def _clean(name: str) -> str:
    return PurePosixPath(name).as_posix().removeprefix("./")


def _produced(member: tarfile.TarInfo) -> bool:
    parts = PurePosixPath(member.name).parts
    return (
        not member.isdir()
        and not any(p in SKIPPED_DIRS for p in parts)
        and _clean(member.name) not in ("", ".")
    )


def _one(tar: tarfile.TarFile, member: tarfile.TarInfo, path: str) -> TreeFile:
    if member.issym() or member.islnk():
        return TreeFile(path, 0, None, f"link to {member.linkname!r} (not followed)")
    if not member.isreg():
        return TreeFile(path, 0, None, "special file (not read)")
    if member.size > FILE_MAX_BYTES:
        return TreeFile(path, member.size, None, f"{member.size} B, too big to show")
    handle = tar.extractfile(member)
    raw = handle.read(FILE_MAX_BYTES) if handle else b""
    try:
        return TreeFile(path, member.size, raw.decode("utf-8"))
    except UnicodeDecodeError:
        return TreeFile(path, member.size, None, "binary (not shown)")
