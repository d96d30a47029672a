"""docs/reliability.md cannot drift: every test it names exists, and it lists 40+ faults."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"
#: A table row: | number | fault | what happens | test |
ROW = re.compile(r"^\|\s*(\d+)\s*\|(.+)\|(.+)\|(.+)\|\s*$")
TEST_REF = re.compile(r"^`(tests/[\w/]+\.py)::(\w+)`$")


def _rows() -> list[tuple[str, str, str, str]]:
    return [m.groups() for m in map(ROW.match, DOC.read_text("utf-8").splitlines()) if m]


@cache
def _test_names(path: str) -> frozenset[str]:
    tree = ast.parse((ROOT / path).read_text("utf-8"))
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )


def test_the_table_lists_at_least_forty_faults_numbered_once() -> None:
    numbers = [int(row[0]) for row in _rows()]
    assert len(numbers) >= 40
    assert numbers == list(range(1, len(numbers) + 1)), "rows are numbered 1..n once each"


def test_every_row_says_what_happens_and_names_a_test_or_pending() -> None:
    for number, fault, happens, test in _rows():
        assert fault.strip() and happens.strip(), f"row {number} is missing a cell"
        cell = test.strip()
        assert cell == "pending" or TEST_REF.match(cell), f"row {number}: bad test cell {cell!r}"


def test_every_named_test_exists() -> None:
    missing = []
    for number, _, _, test in _rows():
        found = TEST_REF.match(test.strip())
        if found is None:
            continue
        path, name = found.groups()
        if not (ROOT / path).is_file() or name not in _test_names(path):
            missing.append(f"row {number}: {path}::{name}")
    assert not missing, "docs/reliability.md names tests that do not exist:\n" + "\n".join(missing)


def test_a_renamed_test_would_be_caught(tmp_path, monkeypatch) -> None:
    doc = tmp_path / "reliability.md"
    doc.write_text("| 1 | a | b | `tests/reliability/test_reliability_doc.py::test_gone` |\n")
    monkeypatch.setattr(f"{__name__}.DOC", doc)
    try:
        test_every_named_test_exists()
    except AssertionError as exc:
        assert "test_gone" in str(exc)
    else:
        raise AssertionError("a missing test went unnoticed")
