"""How the simulator's HTTP server says what it is, so its nodes are never taken for real ones.

A node's URL says nothing about what answers it: ``gym sim serve`` speaks the same
OpenAI and Anthropic wire as LM Studio or Claude. The server therefore marks every
response with a header, and lists its models as owned by the simulator; a transport's
probe reads either mark and the node is recorded as simulated wherever it is served.
"""

from __future__ import annotations

from collections.abc import Mapping

from brain._nodes import NodeSpec

#: Response header on every answer of the simulator's HTTP server (value ``1``).
SIMULATOR_HEADER = "x-swarm-gym-simulator"
#: ``owned_by`` of every model the simulator's HTTP server lists.
SIMULATOR_OWNER = "swarm-gym-sim"


def header_says_simulator(headers: Mapping[str, str]) -> bool:
    """True when a response's headers carry the simulator's mark."""
    return any(k.lower() == SIMULATOR_HEADER and v.strip() == "1" for k, v in headers.items())


def is_simulated(transport: object) -> bool:
    """True when ``transport`` is the simulator, in process or found behind a URL by its probe."""
    return bool(getattr(transport, "served_by_simulator", False))


def mark_simulated(node: NodeSpec, transport: object) -> NodeSpec:
    """``node``, marked simulated when its probed transport found the simulator behind its URL."""
    if is_simulated(transport) and not node.simulated:
        return node.model_copy(update={"served_by_simulator": True})
    return node
