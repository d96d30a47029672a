"""Each SDK failure maps onto exactly one brain error class, with one line that names the status."""

from __future__ import annotations

import anthropic
import httpx2
import openai
import pytest

from brain import ContentError, FatalError, StalledError, TransientError
from brain._classify import classify_sdk_error

REQUEST = httpx2.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


def _status(sdk, status: int, body: dict):
    response = httpx2.Response(status, request=REQUEST, json=body)
    return sdk.APIStatusError(f"Error code: {status}", response=response, body=body)


@pytest.mark.parametrize(
    ("exc", "error", "line"),
    [
        (
            _status(openai, 404, {"message": "model 'qwen9' not found", "code": "model_not_found"}),
            FatalError,
            "node: HTTP 404: model 'qwen9' not found (unknown model or wrong base URL)",
        ),
        (
            _status(openai, 404, {"message": "Model is not loaded. Load it\nfirst."}),
            TransientError,
            "node: HTTP 404: Model is not loaded. Load it first.",
        ),
        (
            _status(
                anthropic,
                403,
                {"type": "error", "error": {"type": "permission_error", "message": "no access"}},
            ),
            FatalError,
            "node: HTTP 403: no access (check the API key)",
        ),
        (
            _status(
                anthropic,
                200,
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            ),
            TransientError,
            "node: HTTP 200: Overloaded",
        ),
        (
            openai.APIError("stream failed", REQUEST, body={"message": "CUDA out of memory"}),
            TransientError,
            "node: error mid-stream: CUDA out of memory",
        ),
        (openai.APITimeoutError(request=REQUEST), TransientError, "node: timed out"),
        (
            httpx2.RemoteProtocolError("peer closed connection"),
            TransientError,
            "node: peer closed connection",
        ),
        (ValueError("unexpected shape"), ContentError, "node: ValueError: unexpected shape"),
    ],
)
def test_sdk_failures_map_to_one_class_and_one_line(exc, error, line) -> None:
    mapped = classify_sdk_error(exc, where="node")

    assert type(mapped) is error
    assert str(mapped) == line


def test_a_brain_error_passes_through_unchanged() -> None:
    stalled = StalledError("node: stream stalled")

    assert classify_sdk_error(stalled, where="node") is stalled
