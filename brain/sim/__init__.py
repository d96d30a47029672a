"""The offline simulator: a seeded, deterministic stand-in for every model the project talks to.

It plays the planner, the worker (writing a catalog task's reference files through real
tool calls) and the harness brain (judge, user persona, task inventor), with profiles that
inject the misbehaviours of small local models. Use it in-process through a node URL::

    from brain import transport_for
    node = transport_for("sim:drifter+flaky?seed=3&rate=0.5&time_scale=0")

or over real HTTP with :class:`SimServer` (``gym sim serve``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from brain.sim._policy import RulePolicy, make_policy
from brain.sim._profiles import PROFILES, Profile, ProfileMix, parse_profiles
from brain.sim._reply import Fault, FaultKind, SimPolicy, SimReply
from brain.sim._scripted import ScriptedPolicy
from brain.sim._transport import SimTransport, fault_error

if TYPE_CHECKING:
    from brain.sim.server import SimServer

__all__ = [
    "PROFILES",
    "Fault",
    "FaultKind",
    "Profile",
    "ProfileMix",
    "RulePolicy",
    "ScriptedPolicy",
    "SimPolicy",
    "SimReply",
    "SimServer",
    "SimTransport",
    "fault_error",
    "make_policy",
    "parse_profiles",
]


def __getattr__(name: str) -> Any:
    # The HTTP server pulls in starlette/uvicorn: imported only when someone asks for it.
    if name == "SimServer":
        from brain.sim.server import SimServer

        return SimServer
    raise AttributeError(f"module 'brain.sim' has no attribute {name!r}")
