"""The artifact store: bulky evidence under ``<gym_dir>/artifacts/<episode>/``.

Files are copied in (directories become ``.tar.gz`` archives; links and special files are
stored as what they are, never followed or opened), named from sanitised
parts only (a model may have chosen the original name), and referenced from the ledger
by relative path and sha256. Every read checks the hash, so an edited or truncated
artifact is reported instead of silently graded.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tarfile
import tempfile
from pathlib import Path

from ledger._errors import ArtifactError

_KIND = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")[:80]
    return cleaned or "file"


def _unused(path: Path) -> Path:
    """``path`` or the first ``stem-N.suffix`` that does not exist yet."""
    if not path.exists():
        return path
    for n in range(1, 10_000):
        candidate = path.with_name(f"{path.stem}-{n}{''.join(path.suffixes[-1:])}")
        if not candidate.exists():
            return candidate
    raise ArtifactError(f"too many artifacts named like {path.name}")


def copy_in(gym_dir: Path, episode_id: str, src: Path, kind: str, turn: int | None) -> Path:
    """Copy ``src`` (file or directory) into the store; return the stored file's path."""
    if not _KIND.match(kind):
        raise ArtifactError(f"artifact kind {kind!r} must be lowercase letters, digits, - or _")
    if not _ID.match(episode_id):
        raise ArtifactError(f"episode id {episode_id!r} is not a valid artifact folder name")
    if not os.path.lexists(src):
        raise ArtifactError(f"artifact source {src} does not exist")
    folder = gym_dir / "artifacts" / episode_id
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f"t{turn}-" if turn is not None else ""
    if src.is_dir() and not src.is_symlink():
        dest = _unused(folder / f"{prefix}{kind}-{_safe_name(src.name)}.tar.gz")
        _archive(src, dest)
    else:
        dest = _unused(folder / f"{prefix}{kind}-{_safe_name(src.name)}")
        _atomic_copy(src, dest)
    return dest


def _open_as_is(src: Path) -> tuple[int | None, bytes]:
    """A descriptor of ``src`` when it is a regular file, else a note of what it is instead.

    A produced tree is untrusted: ``events.jsonl -> /proc/self/environ`` must be stored as
    the link it is, never as the harness's environment; a FIFO must not block the copy.
    """
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        if src.is_symlink():
            return None, f"symbolic link -> {os.readlink(src)!r} (not followed)\n".encode()
        return None, b"special file (not read)\n"
    if stat.S_ISREG(os.fstat(fd).st_mode):
        return fd, b""
    os.close(fd)
    return None, b"special file (not read)\n"


def _atomic_copy(src: Path, dest: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
    source, note = _open_as_is(src)
    with os.fdopen(fd, "wb") as out:
        if source is None:
            out.write(note)
        else:
            with os.fdopen(source, "rb") as fh:
                shutil.copyfileobj(fh, out)
    os.replace(tmp, dest)


def _archive(src: Path, dest: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
    os.close(fd)
    with tarfile.open(tmp, "w:gz") as tar:
        # Symlinks are stored as links, never followed: a produced tree may point anywhere.
        tar.add(src, arcname=".", recursive=True)
    os.replace(tmp, dest)


def verified_path(gym_dir: Path, rel_path: str, sha256: str) -> Path:
    """The absolute path of a stored artifact after checking it is inside the store and intact."""
    store = (gym_dir / "artifacts").resolve()
    path = (gym_dir / rel_path).resolve()
    if not path.is_relative_to(store):
        raise ArtifactError(f"artifact path {rel_path!r} points outside the artifact store")
    if not path.is_file():
        raise ArtifactError(f"artifact {rel_path} is missing")
    actual = sha256_of(path)
    if actual != sha256:
        raise ArtifactError(
            f"artifact {rel_path} does not match its sha256 (recorded {sha256[:12]}, "
            f"found {actual[:12]}); it was changed after it was stored"
        )
    return path


def extract_tree(archive: Path, dest: Path) -> Path:
    """Unpack a stored tree archive into ``dest`` (tar 'data' filter: no escapes, no devices)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(dest, filter="data")
    return dest


def write_packed(gym_dir: Path, episode_id: str, name: str, data: bytes) -> Path:
    """Store bytes packed elsewhere (a recording's artifact) under a sanitised, unused name."""
    if not _ID.match(episode_id):
        raise ArtifactError(f"episode id {episode_id!r} is not a valid artifact folder name")
    folder = gym_dir / "artifacts" / episode_id
    folder.mkdir(parents=True, exist_ok=True)
    dest = _unused(folder / _safe_name(name))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, dest)
    return dest


def read_jsonl(path: Path, max_lines: int | None = None) -> list[dict]:
    """The JSON objects of a stored JSONL file (an event log, a transcript), one per line.

    A line that is not a JSON object (a writer killed mid-line) reads as ``{}``, so a
    position in the list is still the line's number for whoever cites it.
    """
    out: list[dict] = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh):
            if max_lines is not None and n >= max_lines:
                break
            try:
                item = json.loads(line)
            except ValueError:
                item = {}
            out.append(item if isinstance(item, dict) else {})
    return out
