"""Reading a produced tree: read, never followed.

A tree a swarm produced is untrusted data. A symlink in it (``NOTES.md ->
/proc/self/environ``) would hand whoever follows it the harness's own secrets, and a FIFO
would block the reader forever. Every reader of a produced tree goes through here:

- the walk never enters a symlinked directory (``os.fwalk`` without following);
- each file is opened relative to its directory's descriptor with ``O_NOFOLLOW`` and
  ``O_NONBLOCK``, then ``fstat``-ed: only a regular file is read, so a link swapped in after
  the walk fails to open rather than being followed;
- sizes are bounded per file and in total; a file over the bound is skipped, not truncated.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Default per-file bound: bigger than any source file a swarm should write.
MAX_FILE_BYTES = 1_000_000
#: Default bound on everything one call reads.
MAX_TOTAL_BYTES = 20_000_000
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _skipped(name: str, skip: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in skip)


def _regular_files(root: Path, skip: tuple[str, ...]) -> Iterator[tuple[str, str, int]]:
    """(relative path, name, directory fd) of each non-link entry, sorted, pruned by ``skip``."""
    for dirpath, dirnames, filenames, dirfd in os.fwalk(root, follow_symlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _skipped(d, skip))
        rel_dir = Path(dirpath).relative_to(root)
        for name in sorted(filenames):
            if not _skipped(name, skip):
                yield (rel_dir / name).as_posix(), name, dirfd


def _read_at(dirfd: int | None, name: str, max_bytes: int) -> bytes | None:
    """A regular file's bytes, opened without following links; None for anything else."""
    try:
        fd = os.open(name, _OPEN_FLAGS, dir_fd=dirfd)
    except OSError:  # ELOOP for a symlink, ENXIO for a socket, EACCES, gone...
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(max_bytes + 1)
        return data if len(data) <= max_bytes else None
    finally:
        os.close(fd)


def tree_files(root: Path, *, skip: Iterable[str] = ()) -> dict[str, int]:
    """Relative path -> size of every regular file under ``root``; links are not followed.

    ``skip`` holds glob patterns matched against each file and directory name.
    """
    sizes: dict[str, int] = {}
    for rel, name, dirfd in _regular_files(Path(root), tuple(skip)):
        try:
            info = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            sizes[rel] = info.st_size
    return sizes


def read_tree_files(
    root: Path,
    *,
    skip: Iterable[str] = (),
    suffixes: Iterable[str] | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> dict[str, bytes]:
    """Relative path -> bytes of the regular files under ``root``, never following a link.

    Symlinks, FIFOs, sockets and devices are skipped, as are files over ``max_file_bytes``
    and, once ``max_total_bytes`` is read, every later file. ``suffixes`` (``.py``, ...)
    limits which files are read; ``skip`` holds glob patterns for file and directory names.
    """
    wanted = None if suffixes is None else set(suffixes)
    found: dict[str, bytes] = {}
    used = 0
    for rel, name, dirfd in _regular_files(Path(root), tuple(skip)):
        if wanted is not None and Path(name).suffix not in wanted:
            continue
        data = _read_at(dirfd, name, min(max_file_bytes, max_total_bytes - used))
        if data is not None:
            found[rel] = data
            used += len(data)
    return found


def read_tree_file(root: Path, rel: str, *, max_bytes: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of ``root/rel`` when every step of the way is a real directory and the file
    a regular one within ``max_bytes``; None otherwise (link, special file, ``..``, missing).
    """
    parts = Path(rel).parts
    if not parts or Path(rel).is_absolute() or ".." in parts:
        return None
    try:
        fd = os.open(root, _DIR_FLAGS)
    except OSError:
        return None
    try:
        for part in parts[:-1]:
            next_fd = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = next_fd
        return _read_at(fd, parts[-1], max_bytes)
    except OSError:
        return None
    finally:
        os.close(fd)
