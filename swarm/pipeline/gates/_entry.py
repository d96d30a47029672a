"""Which package is the app's entry point: ``python -m <pkg>`` in the spec, else a ``__main__``."""

from __future__ import annotations

import re
from pathlib import Path

_RUN_MODULE = re.compile(r"python3?\s+-m\s+([A-Za-z_][\w]*)")
#: Modules a spec may run that are tools, not the app.
_TOOLS = {"pytest", "pip", "venv", "unittest", "http", "json", "doctest", "pydoc"}


def entry_package(spec: str, workdir: Path | None = None) -> str | None:
    """The app's package: the first non-tool ``python -m X`` in the spec, else a dir with
    ``__main__.py`` in the workdir, else None."""
    for name in _RUN_MODULE.findall(spec):
        if name not in _TOOLS:
            return name
    if workdir is not None:
        mains = sorted(p.parent.name for p in workdir.glob("*/__main__.py"))
        if mains:
            return mains[0]
    return None
