"""Static review: each finding code on the smallest tree that shows it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from verifier.ast_review import review_tree


def tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def codes(root: Path, package: str | None = "app") -> list[tuple[str, str]]:
    return [(f.code, f.file or "") for f in review_tree(root, package=package)]


WIRED = {
    "app/__init__.py": '"""App."""\n',
    "app/__main__.py": "from app.cli import main\nmain()\n",
    "app/cli.py": "from . import store\n\ndef main():\n    return store.load()\n",
    "app/store.py": "def load():\n    return 1\n",
}


def test_clean_wired_package_has_no_findings(tmp_path: Path) -> None:
    assert codes(tree(tmp_path, WIRED)) == []


def test_stub_bodies_are_found_but_protocols_and_abstract_methods_are_not(tmp_path: Path) -> None:
    tree(
        tmp_path,
        WIRED
        | {
            "app/store.py": '''
        from abc import ABC, abstractmethod
        from typing import Protocol

        def load():
            """Docstring only."""

        def save():
            ...

        def drop():
            pass

        class Port(Protocol):
            def get(self): ...

        class Base(ABC):
            @abstractmethod
            def run(self):
                raise NotImplementedError
    '''
        },
    )
    found = review_tree(tmp_path, package="app")
    assert sorted((f.code, f.line) for f in found) == [
        ("stub_body", 5),
        ("stub_body", 8),
        ("stub_body", 11),
    ]


def test_not_implemented_todo_and_breakpoint(tmp_path: Path) -> None:
    tree(
        tmp_path,
        WIRED
        | {
            "app/store.py": """
        def load():
            x = 1  # TODO: real storage
            breakpoint()
            raise NotImplementedError("later")
    """
        },
    )
    found = {f.code: f for f in review_tree(tmp_path, package="app")}
    assert set(found) == {"todo", "breakpoint", "not_implemented"}
    assert found["todo"].severity.value == "low"
    assert found["not_implemented"].severity.value == "high"


def test_module_imported_by_nobody_is_unwired(tmp_path: Path) -> None:
    tree(
        tmp_path,
        WIRED
        | {
            "app/report.py": "def render():\n    return 'r'\n",
            "tests/test_report.py": "from app.report import render\n",
        },
    )
    assert codes(tmp_path) == [("unwired_module", "app/report.py")]


def test_dynamic_import_with_a_literal_counts_as_wiring(tmp_path: Path) -> None:
    tree(
        tmp_path,
        WIRED
        | {
            "app/cli.py": "import importlib\nfrom . import store\n\ndef main():\n"
            "    importlib.import_module('app.plugins')\n    return store.load()\n",
            "app/plugins.py": "X = 1\n",
        },
    )
    assert codes(tmp_path) == []


def test_stray_root_module_shadowing_a_package_module(tmp_path: Path) -> None:
    tree(tmp_path, WIRED | {"store.py": "def load():\n    return 2\n"})
    assert codes(tmp_path) == [("shadowing_module", "store.py")]


def test_root_module_named_like_a_missing_package_module_shadows_it(tmp_path: Path) -> None:
    files = dict(WIRED)
    files["app/cli.py"] = "from app.engine import run\n\ndef main():\n    return run()\n"
    tree(tmp_path, files | {"engine.py": "def run():\n    return 1\n"})
    assert ("shadowing_module", "engine.py") in codes(tmp_path)


def test_root_module_shadowing_the_standard_library(tmp_path: Path) -> None:
    tree(tmp_path, WIRED | {"json.py": "dumps = str\n"})
    assert codes(tmp_path) == [("shadowing_module", "json.py")]


def test_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    tree(tmp_path, WIRED | {"app/store.py": "def load(:\n    pass\n"})
    found = review_tree(tmp_path, package="app")
    assert [(f.code, f.file, f.line) for f in found] == [("syntax_error", "app/store.py", 1)]


def test_packages_are_inferred_when_none_is_given(tmp_path: Path) -> None:
    tree(tmp_path, WIRED | {"app/orphan.py": "X = 1\n"})
    assert codes(tmp_path, package=None) == [("unwired_module", "app/orphan.py")]


def test_hidden_and_cache_directories_are_skipped(tmp_path: Path) -> None:
    tree(
        tmp_path,
        WIRED
        | {
            ".swarm/scratch.py": "def f():\n    pass\n",
            "app/__pycache__/x.py": "def f():\n    pass\n",
        },
    )
    assert codes(tmp_path) == []
