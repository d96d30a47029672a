"""Tool calls written into content by small models are recovered; unregistered names are refused."""

from __future__ import annotations

import json

import pytest

from brain import ToolSpec
from brain.toolcalls import (
    build_call,
    format_parsers,
    recover_tool_calls,
    register_format,
    strip_think,
)

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

    calls, _visible = recover_tool_calls(text, TOOLS)

    assert [(c.name, c.arguments) for c in calls] == expected
    assert all(c.error is None for c in calls), [c.error for c in calls]
    assert len({c.id for c in calls}) == len(calls)


def test_visible_text_keeps_prose_and_drops_calls_and_thinking() -> None:
    text = (
        '<think>plan</think>Writing now.\n<tool_call>{"name": "done", "arguments": {}}</tool_call>'
    )

    _calls, visible = recover_tool_calls(text, TOOLS)

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
    (call,), _visible = recover_tool_calls(text, TOOLS)

    assert call.name == name
    assert call.error == f"unknown tool {name!r}; available: done, run_command, write_file"
    assert call.arguments == {}, "nothing of an unknown call is passed on"


def test_arguments_that_violate_the_schema_become_an_error_for_the_model() -> None:
    text = '<tool_call>{"name": "write_file", "arguments": {"path": "a.py"}}</tool_call>'

    (call,), _visible = recover_tool_calls(text, TOOLS)

    assert call.name == "write_file"
    assert (
        call.error
        == "invalid arguments for write_file: arguments: 'content' is a required property"
    )


def test_arguments_that_are_not_an_object_become_an_error() -> None:
    (call,), _visible = recover_tool_calls(
        '<tool_call>{"name": "done", "arguments": [1, 2]}</tool_call>', TOOLS
    )

    assert call.error == "arguments of done must be a JSON object"


def test_fenced_json_that_is_not_a_call_is_left_as_text() -> None:
    text = 'The config is:\n```json\n{"name": "inventory", "version": 2}\n```'

    calls, visible = recover_tool_calls(text, TOOLS)

    assert calls == []
    assert visible == text


def test_prose_without_calls_yields_nothing() -> None:
    assert recover_tool_calls("I have finished the task.", TOOLS) == (
        [],
        "I have finished the task.",
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


# -- the defects of issue 13, one test each ---------------------------------------------------

SEARCH = ToolSpec(
    name="search",
    parameters={
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "limit": {"type": "integer"},
            "lang": {"type": ["string", "null"]},
            "strict": {"type": "boolean"},
        },
        "required": ["query"],
    },
)


def _xml(name: str, **params: str) -> str:
    body = "".join(f"<parameter={k}>\n{v}\n</parameter>\n" for k, v in params.items())
    return f"<tool_call>\n<function={name}>\n{body}</function>\n</tool_call>"


@pytest.mark.parametrize(
    "content",
    [
        'CLOSE = "</parameter>"\nprint(CLOSE)',
        'TAG = "<tool_call>"\nFN = "<function=write_file>"',
        "x = 1  # </parameter>\n</function>\ny = 2",
    ],
)
def test_qwen3_coder_value_holding_tag_text_is_not_cut(content: str) -> None:
    (call,), _ = recover_tool_calls(_xml("write_file", path="t.py", content=content), [WRITE])

    assert call.error is None
    assert call.arguments == {"path": "t.py", "content": content}


def test_qwen3_coder_missing_parameter_closer_does_not_swallow_the_next_parameter() -> None:
    text = (
        "<tool_call>\n<function=write_file>\n<parameter=path>\na.py\n"
        "<parameter=content>\nx = 1\n</parameter>\n</function>\n</tool_call>"
    )

    (call,), _ = recover_tool_calls(text, [WRITE])

    assert call.arguments == {"path": "a.py", "content": "x = 1"} and call.error is None


def test_qwen3_coder_value_cut_off_at_the_end_is_reported_not_run() -> None:
    text = "<tool_call>\n<function=write_file>\n<parameter=path>\na.py\n</parameter>\n"
    text += "<parameter=content>\ndef f():\n    return"

    (call,), _ = recover_tool_calls(text, [WRITE])

    assert call.error is not None and "'content' is not closed" in call.error


def test_qwen3_coder_values_are_coerced_by_the_schema() -> None:
    text = _xml("search", query="42", limit="42", lang="None", strict="false")

    (call,), _ = recover_tool_calls(text, [SEARCH])

    assert call.error is None
    assert call.arguments == {"query": "42", "limit": 42, "lang": None, "strict": False}


def test_null_is_not_forced_where_the_schema_does_not_allow_it() -> None:
    (call,), _ = recover_tool_calls(_xml("search", query="None", limit="null"), [SEARCH])

    assert call.arguments["query"] == "None", "a string parameter stays the text written"
    assert call.error is not None and "limit" in call.error


def test_a_tool_with_an_invalid_schema_is_refused_when_it_is_built() -> None:
    with pytest.raises(ValueError, match="not a valid JSON Schema at properties/a/type"):
        ToolSpec(name="bad", parameters={"type": "object", "properties": {"a": {"type": "txt"}}})


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{path: x.py, content: }}}", "'content' had no value"),
        ('{"path": "x.py", "content": ', "'content' had no value"),
        ('{"path": "x.py", "content": "import os\\nprint(', "cut off inside a string"),
    ],
)
def test_native_arguments_repaired_into_an_empty_or_cut_value_are_refused(
    raw: str, reason: str
) -> None:
    call = build_call("write_file", raw, TOOLS, "call_1")

    assert call.error is not None and reason in call.error and "resend" in call.error


def test_arguments_that_really_say_empty_are_kept() -> None:
    call = build_call("write_file", '{"path": "pkg/__init__.py", "content": "",}', TOOLS)

    assert call.error is None and call.arguments == {"path": "pkg/__init__.py", "content": ""}


def test_the_format_whose_call_starts_first_wins() -> None:
    # A Hermes call whose content holds Mistral and DeepSeek markers as text.
    content = "docs: [TOOL_CALLS]x[ARGS]{} and <｜tool▁call▁begin｜>y<｜tool▁sep｜>{}"
    text = (
        '<tool_call>{"name": "write_file", "arguments": '
        + json.dumps({"path": "d.md", "content": content})
        + "}</tool_call>"
    )

    (call,), _ = recover_tool_calls(text, [WRITE])

    assert call.arguments == {"path": "d.md", "content": content}


def test_a_new_format_can_be_registered_and_names_are_unique() -> None:
    names = [p.name for p in format_parsers()]
    assert names[0] == "deepseek" and names[-1] == "llama_json"
    with pytest.raises(ValueError, match="already registered"):
        register_format(format_parsers()[0])
