"""Scout answers (``ScoutFindings``): read-only research through the lens the prompt names.

The simulator reads only what the prompt shows a real scout (the ``LENS:`` line, the
spec, the ``EXISTING FILES:`` list), never the catalog's reference solution, and no other
simulated role reads the findings back: a run with scouts gains nothing here that a real
model would not have had to find, so the simulator tilts no result toward the mechanism.
"""

from __future__ import annotations

import re
from typing import Any

from brain.sim._request import RequestView

#: Standard-library modules a spec's words point to (a word → the module a scout would name).
_LIBRARIES = (
    ("csv", "csv"),
    ("json", "json"),
    ("sqlite", "sqlite3"),
    ("date", "datetime"),
    ("decimal", "decimal"),
    ("regular expression", "re"),
    ("regex", "re"),
    ("average", "statistics"),
    ("median", "statistics"),
    ("path", "pathlib"),
)
#: Words of a spec line that pins behaviour an edge-case scout would point out.
_EDGE_WORDS = re.compile(
    r"\b(error|empty|missing|invalid|exit code|exits?|must|never|no such)\b", re.IGNORECASE
)
_MOST = 4


def _spec(view: RequestView) -> str:
    index = view.prompt.find("PROJECT SPEC:")
    if index < 0:
        return ""
    rest = view.prompt[index + len("PROJECT SPEC:") :]
    return re.split(r"\n(?=EXISTING FILES:|Answer as ScoutFindings)", rest, maxsplit=1)[0]


def _codebase(view: RequestView) -> list[str]:
    listed = re.findall(r"^- (\S+)$", view.section("EXISTING FILES:"), re.MULTILINE)
    if not listed:
        return ["The project starts empty: every module is new, nothing must keep working yet."]
    shown = ", ".join(listed[:_MOST])
    return [f"{len(listed)} files exist already ({shown}); changes must keep them working."]


def _libraries(spec: str) -> list[str]:
    lowered = spec.lower()
    found = list(dict.fromkeys(mod for word, mod in _LIBRARIES if word in lowered))
    notes = [f"The standard library's {mod} fits a part of the spec." for mod in found[:_MOST]]
    if "python -m" in spec or "command" in lowered:
        notes.append("argparse covers the command line; its subcommands match the spec's.")
    return notes or ["Nothing beyond the standard library is needed."]


def _architecture(spec: str) -> list[str]:
    found = re.search(r"python3? -m ([A-Za-z_][\w.]*)", spec)
    if not found:
        return ["No `python -m` entry is named: one package with a __main__.py is simplest."]
    package = found[1].split(".")[0]
    return [f"The entry point is `python -m {package}`: package {package}/ with __main__.py."]


def _edge_cases(spec: str) -> list[str]:
    lines = [" ".join(ln.split()) for ln in spec.splitlines()]
    pinned = [ln for ln in lines if ln and _EDGE_WORDS.search(ln)]
    return [f"The spec pins: {ln[:160]}" for ln in pinned[:_MOST]] or [
        "The spec names no error cases: keep failures to one line and a non-zero exit."
    ]


def scout_findings(view: RequestView) -> dict[str, Any]:
    """A ``ScoutFindings`` answer for the lens named on the prompt's ``LENS:`` line."""
    lens = view.line_after("LENS:").split("—")[0].strip().lower()
    spec = _spec(view)
    answers = {
        "codebase": lambda: _codebase(view),
        "libraries": lambda: _libraries(spec),
        "architecture": lambda: _architecture(spec),
        "edge cases": lambda: _edge_cases(spec),
    }
    return {"findings": answers[lens]() if lens in answers else []}
