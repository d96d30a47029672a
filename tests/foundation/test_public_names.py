"""Packages use each other only through public names; each `__all__` is the whole surface.

The rule (STYLE 1, 12): a module may import its own package's private modules, never
another package's. A cross-package import names a public module path, and where that
module declares ``__all__``, only names listed there (or public submodules). The layout
rule rides along: no folder of project code holds more than 15 modules.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("gym", "swarm", "verifier", "brain", "ledger", "reports")
#: Task data (apps a model should write), not this project's code.
DATA_DIRS = ("gym/catalog",)
MAX_MODULES_PER_FOLDER = 15


def _project_files() -> Iterator[Path]:
    for top in (*PACKAGES, "benchmarks"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not rel.startswith(DATA_DIRS):
                yield path


def _owner(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


def _imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) of every absolute import, function-level ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def _private(dotted: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in dotted.split("."))


def _foreign_imports() -> Iterator[tuple[str, str, list[str]]]:
    """Imports of another project package: (where, module, names)."""
    for path in _project_files():
        for line, module, names in _imports(path):
            top = module.split(".")[0]
            if top in PACKAGES and top != _owner(path):
                yield f"{path.relative_to(ROOT)}:{line}", module, names


def _not_exported(module: str, name: str) -> bool:
    target = importlib.import_module(module)
    if name.startswith("_"):
        return True
    if inspect.ismodule(getattr(target, name, None)):
        return _private(getattr(target, name).__name__)
    exported = getattr(target, "__all__", None)
    return exported is not None and name not in exported


def test_no_module_imports_another_packages_private_module() -> None:
    offenders = [
        f"{where}: {module}" for where, module, _ in _foreign_imports() if _private(module)
    ]
    assert offenders == []


def test_cross_package_imports_name_only_exported_members() -> None:
    offenders = [
        f"{where}: {module}.{name}"
        for where, module, names in _foreign_imports()
        if not _private(module)
        for name in names
        if _not_exported(module, name)
    ]
    assert offenders == []


#: The dependency direction (docs/architecture.md): an arrow is "may import".
MAY_IMPORT = {
    "brain": set(),
    "verifier": {"brain"},
    "ledger": {"verifier"},  # ledger rows carry the verifier's Grade model
    "reports": {"ledger", "verifier"},
    "swarm": {"brain", "verifier"},
    "gym": {"swarm", "verifier", "brain", "ledger", "reports"},
}
#: What swarm and gym may name of the package they reach into beyond its top level.
NARROW = {
    ("swarm", "verifier"): {
        "verifier.sandbox",
        "verifier.ast_review",
        "verifier:sandbox",
        "verifier:ast_review",
        "verifier:clean_line",  # the one scrubber of untrusted text for a terminal
    },
    # gym drives the swarm through its CLI (contract 2); the tweaker alone reads the
    # knob registry in-process, since `swarm knobs` prints text, not data.
    # The collector stores each turn's timeline, computed by swarm's public function (issue 18).
    ("gym", "swarm"): {"swarm:all_knobs", "swarm:KnobError", "swarm.timeline"},
}


def test_packages_import_only_along_the_dependency_direction() -> None:
    wrong = []
    for where, module, names in _foreign_imports():
        owner, target = where.split("/")[0], module.split(".")[0]
        if owner == "benchmarks":
            continue
        if target not in MAY_IMPORT[owner]:
            wrong.append(f"{where}: {module}")
        allowed = NARROW.get((owner, target))
        used = {module} if module != target or not names else {f"{module}:{n}" for n in names}
        if allowed is not None and not used <= allowed:
            wrong.append(f"{where}: {sorted(used - allowed)}")
    assert wrong == []


def test_the_private_import_check_catches_an_offender(tmp_path: Path) -> None:
    # The rule above must be able to fail: an import of verifier._text is private.
    probe = tmp_path / "probe.py"
    probe.write_text("from verifier._text import clean_line\nimport brain.sim._policy\n")
    assert [m for _, m, _ in _imports(probe) if _private(m)] == [
        "verifier._text",
        "brain.sim._policy",
    ]
    assert _not_exported("verifier", "_text") and _not_exported("reports", "_table")


def _public_packages() -> Iterator[str]:
    for top in PACKAGES:
        yield top
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, f"{top}."):
            if info.ispkg and not _private(info.name) and ".catalog" not in info.name:
                yield info.name


@pytest.mark.parametrize("name", list(_public_packages()))
def test_every_package_lists_its_whole_surface_in_all(name: str) -> None:
    package = importlib.import_module(name)
    exported = getattr(package, "__all__", None)
    if exported is None:  # a package with no surface of its own (data, or submodules only)
        defined = [n for n, v in vars(package).items() if _is_project_member(name, n, v)]
        assert defined == [], f"{name} defines {defined} but has no __all__"
        return
    missing = [n for n in exported if not hasattr(package, n)]
    unlisted = [n for n, v in vars(package).items() if _is_project_member(name, n, v)]
    assert missing == [] and sorted(set(unlisted) - set(exported)) == []


def _is_project_member(package: str, name: str, value: object) -> bool:
    """A public class or function of this project bound in the package's namespace."""
    if name.startswith("_") or not (inspect.isclass(value) or inspect.isfunction(value)):
        return False
    return getattr(value, "__module__", "").split(".")[0] == package.split(".")[0]


def test_no_folder_of_project_code_holds_more_than_15_modules() -> None:
    folders: dict[str, int] = {}
    for path in _project_files():
        folder = path.parent.relative_to(ROOT).as_posix()
        folders[folder] = folders.get(folder, 0) + 1
    crowded = {f: n for f, n in folders.items() if n > MAX_MODULES_PER_FOLDER}
    assert crowded == {}
