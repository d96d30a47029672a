"""Model transports behind one protocol: OpenAI-compatible, Claude, and the offline simulator.

Public surface::

    from brain import transport_for, ChatRequest, Message, Role, ToolSpec
    node = transport_for("sim:competent?seed=1")
    answer = await node.chat(ChatRequest(messages=[Message(role=Role.USER, content="hi")]))
"""

from brain._classify import honour_retry_after
from brain._context_size import probe_context_tokens
from brain._errors import (
    BrainError,
    ConfigError,
    ContentError,
    ContextOverflowError,
    FatalError,
    StalledError,
    TransientError,
)
from brain._guard import check_host_allowed, loopback_only
from brain._identity import is_simulated, mark_simulated
from brain._nodes import NodeSpec, parse_fleet_spec, parse_node_spec
from brain._protocol import Transport
from brain._registry import known_schemes, register_scheme, scheme_of, transport_for
from brain._structured import ask_structured
from brain._types import (
    ChatRequest,
    ChatResponse,
    FinishReason,
    Message,
    Role,
    ToolCall,
    ToolSpec,
    Usage,
)
from brain.toolcalls import recover_tool_calls

__all__ = [
    "BrainError",
    "ChatRequest",
    "ChatResponse",
    "ConfigError",
    "ContentError",
    "ContextOverflowError",
    "FatalError",
    "FinishReason",
    "Message",
    "NodeSpec",
    "Role",
    "StalledError",
    "ToolCall",
    "ToolSpec",
    "Transport",
    "TransientError",
    "Usage",
    "ask_structured",
    "check_host_allowed",
    "honour_retry_after",
    "is_simulated",
    "known_schemes",
    "loopback_only",
    "mark_simulated",
    "parse_fleet_spec",
    "parse_node_spec",
    "probe_context_tokens",
    "recover_tool_calls",
    "register_scheme",
    "scheme_of",
    "transport_for",
]
