"""The plan of last resort: the whole spec to one worker, when no draft was usable.

A weak model that cannot write a valid plan may still write code; without a plan the run
would end with nothing built, and the workers' behaviour would never be measured. So the
run goes on with one subtask holding the whole spec (plus the integrate-verify sink), and
says so (``plan_fallback``). It owns the files the spec names, read deterministically:
backticked paths with an extension, ``python FILE.py``, and the entry package the gates
find (the first ``python -m PACKAGE`` that is not a tool such as pytest).
"""

from __future__ import annotations

import re

from swarm.pipeline._planner_models import DraftSubtask, PlanDraft
from swarm.pipeline.gates import entry_package

#: The id of the single subtask of a fallback plan.
FALLBACK_ID = "whole-spec"
_BACKTICKED_PATH = re.compile(r"`([\w./-]+\.(?:py|toml|json|txt|md|cfg|ini|csv))`")
_SCRIPT = re.compile(r"\bpython3?\s+([\w./-]+\.py)\b")


def files_named_in(spec: str) -> list[str]:
    """Relative paths the spec names for the program itself, in order of first mention."""
    found = [*_BACKTICKED_PATH.findall(spec), *_SCRIPT.findall(spec)]
    package = entry_package(spec)
    found += [f"{package}/__main__.py"] if package else []
    safe = [p.removeprefix("./") for p in found if not p.startswith(("/", "..")) and ".." not in p]
    return list(dict.fromkeys(safe))


def fallback_draft(spec: str) -> PlanDraft:
    """One subtask: build everything the spec asks for, owning the files it names."""
    task = DraftSubtask(
        id=FALLBACK_ID,
        description="Build everything the spec asks for, in one piece.",
        owned_files=files_named_in(spec),
    )
    return PlanDraft(subtasks=[task], confidence=0.0)
