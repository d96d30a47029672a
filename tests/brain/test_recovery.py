"""Tool calls written into content by small models are recovered; unregistered names are refused."""

from __future__ import annotations

import pytest

from brain import ToolSpec
from brain._recovery import recover_tool_calls, strip_think

WRITE = ToolSpec(
    name="write_file",
    parameters={
        "type": "object",
        "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
        "required": ["path", "content"],
    },
)
RUN = ToolSpec(
    name="run_command",
    parameters={
        "type": "object",
        "properties": {"command": {"type": "string"}, "timeout": {"type": "integer"}},
        "required": ["command"],
    },
)
TOOLS = {WRITE.name: WRITE, RUN.name: RUN, "done": None}

CORPUS = {
    "hermes_tool_call_tag": (
        'I will write it.\n<tool_call>\n{"name": "write_file", '
        '"arguments": {"path": "a.py", "content": "x = 1\\n"}}\n</tool_call>',
        [("write_file", {"path": "a.py", "content": "x = 1\n"})],
    ),
    "two_tool_call_tags": (
        '<tool_call>{"name": "run_command", "arguments": {"command": "pytest"}}</tool_call>'
        '<tool_call>{"name": "done", "arguments": {"summary": "ok"}}</tool_call>',
        [("run_command", {"command": "pytest"}), ("done", {"summary": "ok"})],
    ),
    "qwen3_coder_function_tags": (
        "<tool_call>\n<function=write_file>\n<parameter=path>\npkg/app.py\n</parameter>\n"
        "<parameter=content>\nimport sys\n\nprint(sys.argv)\n</parameter>\n"
        "</function>\n</tool_call>",
        [("write_file", {"path": "pkg/app.py", "content": "import sys\n\nprint(sys.argv)"})],
    ),
    "qwen3_coder_without_wrapper_decodes_non_string_params": (
        "<function=run_command><parameter=command>ls -la</parameter>"
        "<parameter=timeout>30</parameter></function>",
        [("run_command", {"command": "ls -la", "timeout": 30})],
    ),
    "fenced_json_block": (
        "Here is the call:\n```json\n"
        '{"name": "run_command", "arguments": {"command": "python -m app"}}\n```',
        [("run_command", {"command": "python -m app"})],
    ),
    "broken_json_trailing_comma_and_single_quotes": (
        "<tool_call>{'name': 'run_command', 'arguments': {'command': 'make test',},}</tool_call>",
        [("run_command", {"command": "make test"})],
    ),
    "truncated_json_missing_braces": (
        '<tool_call>{"name": "run_command", "arguments": {"command": "pytest -q"',
        [("run_command", {"command": "pytest -q"})],
    ),
    "arguments_as_json_string": (
        '<tool_call>{"name": "run_command", '
        '"arguments": "{\\"command\\": \\"echo hi\\"}"}</tool_call>',
        [("run_command", {"command": "echo hi"})],
    ),
    "think_block_hides_a_draft_call": (
        '<think>maybe <tool_call>{"name": "done", "arguments": {}}</tool_call>? no.</think>'
        '<tool_call>{"name": "run_command", "arguments": {"command": "ls"}}</tool_call>',
        [("run_command", {"command": "ls"})],
    ),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_content_embedded_tool_calls_parse_to_the_right_calls(case: str) -> None:
    text, expected = CORPUS[case]

    _visible, calls = recover_tool_calls(text, TOOLS)

    assert [(c.name, c.arguments) for c in calls] == expected
    assert all(c.error is None for c in calls), [c.error for c in calls]
    assert len({c.id for c in calls}) == len(calls)


def test_visible_text_keeps_prose_and_drops_calls_and_thinking() -> None:
    text = (
        '<think>plan</think>Writing now.\n<tool_call>{"name": "done", "arguments": {}}</tool_call>'
    )

    visible, _calls = recover_tool_calls(text, TOOLS)

    assert visible == "Writing now."


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('<tool_call>{"name": "rm_rf", "arguments": {"path": "/"}}</tool_call>', "rm_rf"),
        ("<function=shell><parameter=cmd>rm -rf /</parameter></function>", "shell"),
        ('```json\n{"name": "delete_repo", "arguments": {}}\n```', "delete_repo"),
    ],
)
def test_unregistered_tool_names_become_errors_not_calls(text: str, name: str) -> None:
    _visible, (call,) = recover_tool_calls(text, TOOLS)

    assert call.name == name
    assert call.error == f"unknown tool {name!r}; available: done, run_command, write_file"
    assert call.arguments == {}, "nothing of an unknown call is passed on"


def test_arguments_that_violate_the_schema_become_an_error_for_the_model() -> None:
    text = '<tool_call>{"name": "write_file", "arguments": {"path": "a.py"}}</tool_call>'

    _visible, (call,) = recover_tool_calls(text, TOOLS)

    assert call.name == "write_file"
    assert (
        call.error
        == "invalid arguments for write_file: arguments: 'content' is a required property"
    )


def test_arguments_that_are_not_an_object_become_an_error() -> None:
    _visible, (call,) = recover_tool_calls(
        '<tool_call>{"name": "done", "arguments": [1, 2]}</tool_call>', TOOLS
    )

    assert call.error == "arguments of done must be a JSON object"


def test_fenced_json_that_is_not_a_call_is_left_as_text() -> None:
    text = 'The config is:\n```json\n{"name": "inventory", "version": 2}\n```'

    visible, calls = recover_tool_calls(text, TOOLS)

    assert calls == []
    assert visible == text


def test_prose_without_calls_yields_nothing() -> None:
    assert recover_tool_calls("I have finished the task.", TOOLS) == (
        "I have finished the task.",
        [],
    )


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("<think>hidden</think>answer", "answer"),
        ("reasoning only the close tag</think>answer", "answer"),
        ("answer<think>unfinished thought", "answer"),
    ],
)
def test_think_blocks_are_stripped(text: str, visible: str) -> None:
    assert strip_think(text) == visible
