"""Contracts: signature stubs frozen, unparseable ones dropped and logged, CLI shape verbatim."""

from __future__ import annotations

import json

from swarmrun_support import Recorder, scripted

from brain import ChatResponse
from swarm.pipeline.contracts import ContractWriter, cli_shape, contract_targets, spec_commands
from swarm.protocols import Subtask

ENTRY_STUB = """
import argparse

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inv")
    sub = parser.add_subparsers(dest="command")
    imp = sub.add_parser("import")
    imp.add_argument("path")
    imp.add_argument("--dry-run", action="store_true")
    report = sub.add_parser("report")
    kinds = report.add_subparsers(dest="kind")
    monthly = kinds.add_parser("monthly")
    monthly.add_argument("--month")
    return parser

def main(argv: list[str] | None = None) -> int: ...
"""

TASKS = [
    Subtask(id="store", description="storage", owned_files=("inv/store.py", "tests/test_store.py")),
    Subtask(
        id="cli",
        description="cli",
        owned_files=("inv/__init__.py", "inv/__main__.py"),
        deps=("store",),
    ),
]


def test_cli_shape_keeps_subcommand_names_verbatim_and_nesting() -> None:
    shape = cli_shape(ENTRY_STUB)
    assert "import path --dry-run" in shape  # never renamed to import_
    assert "report monthly --month" in shape  # nested stays nested
    assert "report" in shape


def test_spec_commands_are_kept_verbatim() -> None:
    spec = "Run `python -m inv import data.csv --dry-run` then\n$ python -m inv report monthly"
    assert spec_commands(spec) == [
        "python -m inv import data.csv --dry-run",
        "python -m inv report monthly",
    ]


def test_only_logic_modules_get_a_contract_call() -> None:
    assert [path for _, path in contract_targets(TASKS)] == ["inv/store.py", "inv/__main__.py"]


def _contract_node(stubs: dict[str, tuple[str, str]]):
    def reply(request, model):
        path = request.messages[1].content.split("MODULE TO FREEZE: ")[1].split(" ")[0]
        stub, schema = stubs[path]
        return ChatResponse(text=json.dumps({"path": path, "stub": stub, "schema": schema}))

    return scripted(reply)


async def test_unparseable_stub_is_dropped_and_logged_the_rest_frozen() -> None:
    events = Recorder()
    node = _contract_node(
        {
            "inv/store.py": (
                "def load(path: str) -> list[dict]:\n    ...\n",
                "items(name TEXT, qty INTEGER)",
            ),
            "inv/__main__.py": ("def main(argv:\n", ""),
        }
    )
    frozen = await ContractWriter([node], events).freeze("python -m inv report", TASKS)
    assert list(frozen.stubs) == ["inv/store.py"]
    assert (
        "inv/__main__.py" in frozen.dropped
        and "does not parse" in frozen.dropped["inv/__main__.py"]
    )
    assert events.named("contract_dropped")[0]["path"] == "inv/__main__.py"
    event = events.named("contract_frozen")[0]
    assert event["modules"] == ["inv/store.py"] and "inv/__main__.py" in event["dropped"]
    text = frozen.render()
    assert "--- stub: inv/store.py ---\ndef load(path: str) -> list[dict]:" in text
    assert "# SCHEMA\nitems(name TEXT, qty INTEGER)" in text
    assert "example: python -m inv report" in text


async def test_entry_stub_cli_shape_is_frozen_into_the_block() -> None:
    node = _contract_node({"inv/store.py": ("X: int\n", ""), "inv/__main__.py": (ENTRY_STUB, "")})
    frozen = await ContractWriter([node], Recorder()).freeze("spec", TASKS)
    assert "report monthly --month" in frozen.render()
