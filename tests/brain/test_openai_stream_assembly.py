"""Streamed tool-call deltas are assembled by index, tolerating what real servers do differently."""

from __future__ import annotations

from openai.types.chat import ChatCompletionChunk

from brain._openai_compat import _Draft


def _chunk(*calls: dict, finish: str | None = None) -> ChatCompletionChunk:
    return ChatCompletionChunk.model_validate(
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [
                {"index": 0, "delta": {"tool_calls": list(calls)}, "finish_reason": finish}
            ],
        }
    )


def _assemble(*chunks: ChatCompletionChunk) -> list[dict]:
    draft = _Draft()
    for chunk in chunks:
        draft.add_chunk(chunk)
    return [draft.calls[i] for i in sorted(draft.calls)]


def test_interleaved_deltas_of_two_calls_are_assembled_by_index() -> None:
    calls = _assemble(
        _chunk({"index": 0, "id": "a", "function": {"name": "read_file", "arguments": ""}}),
        _chunk({"index": 1, "id": "b", "function": {"name": "done", "arguments": "{}"}}),
        _chunk({"index": 0, "function": {"arguments": '{"path": '}}),
        _chunk({"index": 0, "function": {"arguments": '"a.py"}'}}, finish="tool_calls"),
    )

    assert calls == [
        {"id": "a", "name": "read_file", "arguments": '{"path": "a.py"}'},
        {"id": "b", "name": "done", "arguments": "{}"},
    ]


def test_a_name_repeated_in_every_delta_is_not_doubled() -> None:
    calls = _assemble(
        _chunk({"index": 0, "id": "a", "function": {"name": "done", "arguments": '{"summary"'}}),
        _chunk({"index": 0, "function": {"name": "done", "arguments": ': "ok"}'}}),
    )

    assert calls == [{"id": "a", "name": "done", "arguments": '{"summary": "ok"}'}]


def test_whole_calls_all_numbered_zero_stay_separate() -> None:
    calls = _assemble(
        _chunk(
            {"index": 0, "id": "a", "function": {"name": "read_file", "arguments": '{"path": "x"}'}}
        ),
        _chunk({"index": 0, "id": "b", "function": {"name": "done", "arguments": "{}"}}),
    )

    assert [(c["id"], c["name"]) for c in calls] == [("a", "read_file"), ("b", "done")]
