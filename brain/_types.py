"""The normalized chat vocabulary every transport speaks.

One request/response shape for OpenAI-compatible servers, Claude and the
simulator, so the swarm and the harness never see an SDK type.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator


class Role(StrEnum):
    """Who authored a message."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


class ToolCall(BaseModel):
    """A tool invocation requested by the model, arguments already parsed.

    ``error`` is set when the call was recovered but is invalid (unknown tool,
    arguments that do not parse or validate); the caller returns it to the model
    as the tool result instead of executing anything.
    """

    id: str = Field(description="Call id, echoed back in the matching tool message.")
    name: str = Field(description="Registered tool name.")
    arguments: dict[str, Any] = Field(default_factory=dict, description="Parsed JSON arguments.")
    error: str | None = Field(default=None, description="Validation error to return as result.")


class Message(BaseModel):
    """One chat message: system, user, assistant (maybe with tool calls) or tool result."""

    role: Role
    content: str = Field(
        default="", description="Text; may be empty when an assistant only calls tools."
    )
    tool_calls: list[ToolCall] = Field(
        default_factory=list, description="For role=assistant: the tools it asked to run, in order."
    )
    tool_call_id: str | None = Field(default=None, description="For role=tool: the call answered.")
    name: str | None = Field(default=None, description="For role=tool: the tool's name.")


class ToolSpec(BaseModel):
    """A tool offered to the model; ``parameters`` is a JSON Schema object."""

    name: str
    description: str = Field(default="", description="Shown to the model: what the tool does.")
    parameters: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}},
        description="JSON Schema of the arguments; the default takes none.",
    )

    @field_validator("parameters")
    @classmethod
    def _valid_schema(cls, schema: dict[str, Any]) -> dict[str, Any]:
        """A schema that is not valid JSON Schema is refused here, not skipped at call time."""
        import jsonschema

        try:
            jsonschema.validators.validator_for(schema).check_schema(schema)
        except jsonschema.SchemaError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "schema"
            raise ValueError(f"not a valid JSON Schema at {where}: {exc.message}") from None
        return schema


class FinishReason(StrEnum):
    """Why the model stopped."""

    STOP = "stop"
    TOOL_CALLS = "tool_calls"
    LENGTH = "length"
    CONTENT_FILTER = "content_filter"


class Usage(BaseModel):
    """Token accounting; cache fields are zero where a provider has no prompt cache."""

    prompt_tokens: int = Field(
        default=0, description="Whole prompt in tokens, cached ones included (as OpenAI counts)."
    )
    completion_tokens: int = Field(default=0, description="Tokens the model generated.")
    cache_read_tokens: int = Field(
        default=0, description="Prompt tokens served from the prompt cache (part of prompt_tokens)."
    )
    cache_write_tokens: int = Field(
        default=0, description="Prompt tokens written to the cache; Anthropic only, else 0."
    )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
        )


class ChatRequest(BaseModel):
    """One chat turn to send to a transport."""

    messages: list[Message] = Field(description="The conversation so far, oldest first.")
    tools: list[ToolSpec] = Field(
        default_factory=list, description="Tools the model may call; empty = text answer only."
    )
    stream: bool = Field(default=False, description="Stream the answer (watchdog applies).")
    temperature: float | None = Field(
        default=None, description="Sampling temperature; None = server default (Claude ignores it)."
    )
    max_tokens: int | None = Field(
        default=None, description="Completion cap in tokens; None = server default (Claude: 8192)."
    )
    response_schema: dict[str, Any] | None = Field(
        default=None, description="JSON Schema the answer must satisfy (structured output)."
    )
    response_schema_name: str | None = Field(
        default=None,
        description="Name of the structured answer (Claude's tool name); None = answer.",
    )


class ChatResponse(BaseModel):
    """A transport's normalized answer."""

    text: str = Field(default="", description="Visible text, <think> blocks removed.")
    tool_calls: list[ToolCall] = Field(
        default_factory=list, description="Tools the model asked to run, native or recovered."
    )
    finish_reason: FinishReason = Field(
        default=FinishReason.STOP, description="Why it stopped; LENGTH = max_tokens was reached."
    )
    usage: Usage = Field(default_factory=Usage, description="Token counts of this one call.")
    latency_ms: float = Field(
        default=0.0, description="Wall time of the call in ms (the simulator's is modelled)."
    )
    model: str = Field(default="", description="Model that answered, as the server names it.")
    recovered: bool = Field(
        default=False, description="Tool calls were recovered from text content, not native."
    )
    structured_via: str | None = Field(
        default=None,
        description="How the answer's JSON shape was asked for when the request had a schema: "
        "json_schema, json_object (with the schema), prompt (instructions only) or tool "
        "(a forced tool call); None when no schema was asked for.",
    )
