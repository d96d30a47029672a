"""Planner answers: a DAG drafted from the reference layout, subtask details, module contracts."""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from typing import Any

from brain.sim._catalog import SimTask
from brain.sim._contract import schema_of, signature_stub
from brain.sim._imports import import_graph, parse
from brain.sim._request import RequestView, clean_path

#: Files smaller than this ride along with the entry module instead of being a subtask.
_TINY_CHARS = 300


@dataclass
class _Group:
    id: str
    files: list[str] = field(default_factory=list)
    deps: set[str] = field(default_factory=set)


def changed_files(task: SimTask, stage: int) -> dict[str, str]:
    """Reference files at ``stage`` that differ from what exists before it (all if none do)."""
    ref, base = task.reference(stage), task.baseline(stage)
    changed = {p: t for p, t in ref.items() if base.get(p) != t}
    return changed or ref


def is_test(path: str) -> bool:
    """A test file: under tests/ or named test_*."""
    name = path.rsplit("/", 1)[-1]
    return path.startswith("tests/") or "/tests/" in path or name.startswith("test_")


def _slug(path: str) -> str:
    stem = path[:-3] if path.endswith(".py") else path
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "module"


def _is_tiny(source: str) -> bool:
    """No function or class and little text: an ``__init__.py`` rather than a module."""
    tree = parse(source)
    defines = tree is not None and any(
        isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for n in tree.body
    )
    return not defines and len(source) < _TINY_CHARS


def _entry_file(files: list[str], package: str) -> str | None:
    for name in (f"{package}/__main__.py", f"{package}/cli.py", "__main__.py", "main.py"):
        if name in files:
            return name
    return None


def _group_files(files: dict[str, str], package: str) -> dict[str, _Group]:
    tests = sorted(p for p in files if is_test(p))
    modules = sorted(p for p in files if p.endswith(".py") and p not in tests)
    big = [p for p in modules if not _is_tiny(files[p])] or modules[:1]
    groups = {p: _Group(_slug(p).split("-", 1)[-1], [p]) for p in big}
    _unique_ids(groups)
    home = _entry_file(big, package) or (max(big, key=lambda p: len(files[p])) if big else None)
    for rest in sorted(set(files) - set(big) - set(tests)):
        if home is None:
            home = rest
            groups[home] = _Group("files")
        groups[home].files.append(rest)
    if tests:
        groups["tests"] = _Group("tests", tests)
    return groups


def _unique_ids(groups: dict[str, _Group]) -> None:
    seen: set[str] = set()
    for path, group in sorted(groups.items()):
        if group.id in seen or group.id == "tests":
            group.id = _slug(path)
        seen.add(group.id)


def _reaches(groups: dict[str, _Group], start: str, goal: str) -> bool:
    stack, seen = [start], set()
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack += [d for g in groups.values() if g.id == node for d in g.deps]
    return False


def _link(groups: dict[str, _Group], ref: dict[str, str]) -> None:
    owner = {f: g for g in groups.values() for f in g.files}
    for path, targets in sorted(import_graph(ref).items()):
        for target in sorted(targets):
            a, b = owner.get(path), owner.get(target)
            # An edge that would close a cycle is dropped: mutual imports share a frozen contract.
            if a and b and a is not b and not _reaches(groups, b.id, a.id):
                a.deps.add(b.id)


def _reduce(groups: dict[str, _Group]) -> None:
    """Drop a dep already implied by another dep: the DAG the scheduler needs, no wider."""
    for group in groups.values():
        implied = {
            d for d in group.deps for other in group.deps - {d} if _reaches(groups, other, d)
        }
        group.deps -= implied


def _describe(group: _Group, files: dict[str, str]) -> str:
    lead = group.files[0]
    tree = parse(files[lead]) if lead.endswith(".py") else None
    doc = (ast.get_docstring(tree) or "").split("\n")[0] if tree else ""
    what = f"Write {', '.join(group.files)}"
    return f"{what}: {doc}" if doc else what


def plan_draft(task: SimTask, stage: int, confidence: float) -> dict[str, Any]:
    """A PlanDraft: cohesive subtasks over the files this stage changes, deps from imports."""
    files = changed_files(task, stage)
    if not files:  # a task without a reference tree: plan like an unknown spec
        return _package_plan(task.package, confidence)
    groups = _group_files(files, task.package)
    _link(groups, task.reference(stage))
    _reduce(groups)
    sizes = {g.id: sum(len(files[f]) for f in g.files) for g in groups.values()}
    hard_count = math.ceil(len(groups) / 3) if len(groups) > 1 else int(max(sizes.values()) > 2000)
    hard = set(sorted(sizes, key=lambda k: (-sizes[k], k))[:hard_count])
    subtasks = [
        {
            "id": g.id,
            "description": _describe(g, files),
            "difficulty": "hard" if g.id in hard else "easy",
            "owned_files": sorted(g.files),
            "deps": sorted(g.deps),
        }
        for g in sorted(groups.values(), key=lambda g: g.id)
    ]
    return {"subtasks": subtasks, "confidence": round(confidence, 3)}


def _package_plan(package: str, confidence: float) -> dict[str, Any]:
    files = [f"{package}/__init__.py", f"{package}/__main__.py"]
    subtask = {
        "id": "app",
        "description": f"Write {', '.join(files)}",
        "difficulty": "easy",
        "owned_files": files,
        "deps": [],
    }
    return {"subtasks": [subtask], "confidence": round(confidence, 3)}


def unknown_plan(view: RequestView, confidence: float) -> dict[str, Any]:
    """A one-subtask plan for a spec the simulator does not know: the package it names."""
    found = re.search(r"python3? -m ([A-Za-z_][\w.]*)", view.prompt)
    return _package_plan(found[1].split(".")[0] if found else "app", confidence / 2)


def _signatures(source: str) -> list[str]:
    tree = parse(source)
    sigs = []
    for node in tree.body if tree else []:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            head = ast.unparse(node).split("\n")[0].rstrip(":")
            sigs.append(head)
    return sigs


def subtask_detail(view: RequestView, ref: dict[str, str]) -> dict[str, Any]:
    """A SubtaskDetail: the owned files named verbatim, each with its public interface."""
    owned = view.owned_files or mentioned_files(view, ref)
    parts = [f"Write exactly these files: {', '.join(owned) or '(none named)'}."]
    for path in owned:
        sigs = _signatures(ref.get(path, "")) if path.endswith(".py") else []
        if sigs:
            parts.append(f"{path} defines: " + "; ".join(sigs) + ".")
    parts.append("Keep every name and signature exactly as given; no stubs, no TODOs.")
    return {"spec": "\n".join(parts)}


def mentioned_files(view: RequestView, ref: dict[str, str]) -> list[str]:
    """Reference paths named on a ``MODULE:``/``PATH:``/``FILE:`` line, else anywhere."""
    for marker in ("OWNED FILES:", "MODULE:", "PATH:", "FILE:"):
        line = view.line_after(marker)
        named = [clean_path(p) for p in re.split(r"[,\s]+", line) if clean_path(p)]
        if named:
            return named
    return [p for p in sorted(ref, key=len, reverse=True) if p in view.prompt][:1]


def module_contract(view: RequestView, ref: dict[str, str]) -> dict[str, Any]:
    """A ModuleContract: the reference module's signatures and its SCHEMA block."""
    named = [p for p in mentioned_files(view, ref) if p.endswith(".py")]
    path = named[0] if named else "app/__init__.py"
    source = ref.get(path, "")
    stub = signature_stub(source) if source else '"""Module contract unknown to the simulator."""\n'
    return {"path": path, "stub": stub, "schema": schema_of(source) if source else ""}
