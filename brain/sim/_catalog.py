"""The simulator's view of the task catalog: specs, stage texts and reference trees.

Read straight from ``task.toml`` files with :mod:`tomllib` (the layout of contract 1),
so ``brain`` depends on no ``gym`` or ``verifier`` code. A request is matched to a task
by finding the task's spec (whitespace-normalized) in the request text; its stage is
the highest stage whose text is present too.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Files of a reference tree the simulator never writes.
_SKIP_PARTS = {"__pycache__", ".pytest_cache", ".git", ".swarm", ".mypy_cache"}
#: Bigger files are left out of the reference view (a model would not write them either).
_MAX_FILE_BYTES = 200_000


def normalize(text: str) -> str:
    """Collapse every run of whitespace to one space, so re-wrapped text still matches."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class SimStage:
    """A follow-up amendment: its number, move and text."""

    n: int
    move: str
    text: str


@dataclass(frozen=True)
class SimTask:
    """A catalog task as the simulator sees it."""

    id: str
    spec: str
    entry: str
    archetype: str
    root: Path
    stages: tuple[SimStage, ...] = ()
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def package(self) -> str:
        """The entry package: ``python -m inventory`` → ``inventory``."""
        parts = self.entry.split()
        return parts[parts.index("-m") + 1] if "-m" in parts else (parts[-1] if parts else "app")

    @property
    def sink_commands(self) -> list[str]:
        """What a diligent sink runs, in order until one succeeds: ``--help``, then the
        first visible command check of the base spec (its own example)."""
        commands = [f"{self.entry} --help"] if self.entry else []
        for check in self.data.get("checks", []):
            if isinstance(check, dict) and check.get("kind") == "command":
                if not check.get("hidden") and isinstance(check.get("cmd"), str):
                    return [*commands, check["cmd"]]
        return commands

    @property
    def max_stage(self) -> int:
        """The last stage number (1 when the task has no follow-ups)."""
        return 1 + len(self.stages)

    def stage_in(self, text: str) -> int:
        """The highest stage whose text appears in ``text`` (already normalized)."""
        found = [s.n for s in self.stages if normalize(s.text) in text]
        return max(found, default=1)

    def reference(self, n: int = 1) -> dict[str, str]:
        """The reference tree at stage ``n``: relative path → text."""
        for k in range(min(n, self.max_stage), 1, -1):
            tree = read_tree(self.root / "stages" / str(k) / "reference")
            if tree:
                return tree
        return read_tree(self.root / "reference")

    def seed(self) -> dict[str, str]:
        """The starting codebase of a continue-existing task (empty otherwise)."""
        return read_tree(self.root / "seed")

    def baseline(self, n: int) -> dict[str, str]:
        """What already exists before stage ``n`` is built: the previous reference or the seed."""
        return self.reference(n - 1) if n > 1 else self.seed()


@functools.lru_cache(maxsize=256)
def _read_tree_cached(root: str, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    base = Path(root)
    files: list[tuple[str, str]] = []
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base)
        if not path.is_file() or _SKIP_PARTS.intersection(rel.parts) or path.suffix == ".pyc":
            continue
        if path.stat().st_size > _MAX_FILE_BYTES:
            continue
        try:
            files.append((rel.as_posix(), path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, OSError):
            continue  # binary or unreadable: not something a worker writes as text
    return tuple(files)


def read_tree(root: Path) -> dict[str, str]:
    """Every text file under ``root`` by relative POSIX path; empty if ``root`` is absent."""
    if not root.is_dir():
        return {}
    return dict(_read_tree_cached(str(root), root.stat().st_mtime_ns))


def _task_from(path: Path) -> SimTask | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # the verifier reports broken task files; the simulator skips them
    if not isinstance(data.get("spec"), str) or not isinstance(data.get("id"), str):
        return None
    stages = tuple(
        SimStage(int(s.get("n", i + 2)), str(s.get("move", "feature")), str(s.get("text", "")))
        for i, s in enumerate(data.get("stages", []))
        if isinstance(s, dict) and s.get("text")
    )
    return SimTask(
        id=data["id"],
        spec=data["spec"],
        entry=str(data.get("entry", "")),
        archetype=str(data.get("archetype", "heavy-spec")),
        root=path.parent,
        stages=stages,
        data=data,
    )


def default_catalog_dir() -> Path | None:
    """``gym/catalog`` located as data, without importing any ``gym`` code."""
    spec = importlib.util.find_spec("gym")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / "catalog"
        if candidate.is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class Catalog:
    """The tasks the simulator knows, recognisable from request text."""

    tasks: tuple[SimTask, ...]

    def recognise(self, text: str) -> tuple[SimTask, int] | None:
        """The task whose spec appears in ``text`` (the longest such spec) and its stage."""
        flat = normalize(text)
        hits = [t for t in self.tasks if normalize(t.spec) and normalize(t.spec) in flat]
        if not hits:
            return None
        task = max(hits, key=lambda t: len(normalize(t.spec)))
        return task, task.stage_in(flat)

    def get(self, task_id: str) -> SimTask | None:
        """The task with id ``task_id``."""
        return next((t for t in self.tasks if t.id == task_id), None)


def load_catalog(*dirs: Path | None) -> Catalog:
    """Every ``*/task.toml`` under the given directories (missing ones are skipped)."""
    tasks: list[SimTask] = []
    for base in dirs:
        if base is None or not Path(base).is_dir():
            continue
        for toml_path in sorted(Path(base).glob("*/task.toml")):
            task = _task_from(toml_path)
            if task is not None:
                tasks.append(task)
    return Catalog(tuple(tasks))
