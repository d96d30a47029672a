"""Where the page's artifact links point: beside the artifact store, or bundled in the page.

A report is often uploaded alone (a nightly job's artifact, a docs page). Links relative to
the ``.gym`` folder then break silently, so the page always says which of the two it does:
``bundled`` (every artifact a ``data:`` link inside the HTML, the page states the size) or
``linked`` (relative links, and the page names the folder they expect beside it).
"""

from __future__ import annotations

import base64
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path

#: An artifact bigger than this is not bundled (its link says so); keeps pages loadable.
BUNDLE_MAX_BYTES = 8 * 1024 * 1024
#: Artifacts stop being bundled once the page carries this much of them.
BUNDLE_TOTAL_MAX_BYTES = 64 * 1024 * 1024


@dataclass
class ArtifactPlacement:
    """How the page reaches the artifact store; the template states it in words."""

    #: ``bundled`` or ``linked``.
    mode: str
    #: Where the store lives on the machine that wrote the report.
    store: str
    #: The folder, relative to the page, that ``linked`` hrefs expect.
    expected: str
    #: True when served by ``gym view`` (the store is behind the page, links work).
    served: bool = False
    #: Bytes of artifacts embedded (``bundled`` only).
    bundled_bytes: int = 0


def placement(gym_dir: Path, out_dir: Path, *, bundle: bool, served: bool) -> ArtifactPlacement:
    """The placement of a report written to ``out_dir`` for the store in ``gym_dir``."""
    store = Path(gym_dir).resolve() / "artifacts"
    expected = os.path.relpath(store, Path(out_dir).resolve()).replace(os.sep, "/")
    return ArtifactPlacement("bundled" if bundle else "linked", str(store), expected, served)


def relative_href(gym_dir: Path, out_dir: Path, rel_path: str) -> str:
    """A link from the page to a stored artifact (``rel_path`` is relative to the gym dir)."""
    return os.path.relpath(Path(gym_dir) / rel_path, Path(out_dir)).replace(os.sep, "/")


def data_href(stored: Path, where: ArtifactPlacement) -> str | None:
    """The artifact as a ``data:`` URI (counted in ``where``); None when it is too big."""
    size = stored.stat().st_size
    if size > BUNDLE_MAX_BYTES or where.bundled_bytes + size > BUNDLE_TOTAL_MAX_BYTES:
        return None
    kind = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or stored.suffix in (".jsonl", ".md", ".json"):
        kind = "text/plain;charset=utf-8"  # shown as text, never rendered as a page
    where.bundled_bytes += size
    return f"data:{kind};base64,{base64.b64encode(stored.read_bytes()).decode('ascii')}"
