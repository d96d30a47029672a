"""Owned-file paths come from a model's plan: untrusted, so resolve them inside the workdir."""

from __future__ import annotations

from pathlib import Path


def owned_path(workdir: Path, rel: str) -> Path | None:
    """``workdir/rel`` when it stays inside ``workdir``; None for ``../`` or absolute escapes."""
    root = Path(workdir).resolve()
    path = (root / rel).resolve()
    return path if path.is_relative_to(root) and path != root else None
