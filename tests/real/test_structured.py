"""Every schema the project asks a model for, asked of a real llama.cpp server.

llama-cpp-python refuses ``json_schema`` (HTTP 500 naming the parameter) and accepts
``json_object`` with a schema, which it turns into a grammar: the node must settle on that
rung by itself, and what comes back must be schema-valid or an honest ContentError.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel
from real_support import MAX_TOKENS

from brain import ContentError, Message, Role, ask_structured, transport_for
from gym.generator import InventedTask, UserTurn
from gym.tweaker import KnobProposal
from swarm.pipeline.contracts import ModuleContract
from swarm.pipeline.examples import SpecExamples
from swarm.pipeline.planner import PlanDraft, SubtaskDetail
from verifier import JudgeReport

SPEC = "Build `greet.py`: `python greet.py NAME` prints `Hello, NAME!`."
SCHEMAS: list[tuple[type[BaseModel], str]] = [
    (PlanDraft, f"Split this spec into subtasks that own files.\n{SPEC}"),
    (SubtaskDetail, f"Describe how to implement greet.py.\n{SPEC}"),
    (ModuleContract, f"Write the signature stub of greet.py.\n{SPEC}"),
    (SpecExamples, f"List the example commands of this spec and their output.\n{SPEC}"),
    (UserTurn, "You are a terse user. The app works. Say what you want next."),
    (InventedTask, "Invent a tiny command-line task with one check."),
    (JudgeReport, f"Judge this code against the spec.\n{SPEC}\ngreet.py: print('Hello')"),
    (KnobProposal, "Propose one knob change: scheduler.policy is fanout or critical_path."),
]


@pytest.mark.parametrize(("model_cls", "prompt"), SCHEMAS, ids=[m.__name__ for m, _ in SCHEMAS])
async def test_each_schema_is_asked_on_a_rung_the_server_accepts(smollm2, model_cls, prompt):
    transport = transport_for(smollm2.url)
    messages = [Message(role=Role.USER, content=prompt)]
    try:
        answer = await ask_structured(transport, messages, model_cls, max_tokens=MAX_TOKENS)
    except ContentError as exc:
        # A tiny model may run out of tokens inside the grammar: that is its failure, said
        # as one line with the validation problem, never an HTTP refusal of our request.
        assert "HTTP" not in str(exc) and "\n" not in str(exc)
        answer = None
    finally:
        await transport.aclose()

    assert transport.structured_rung == "json_object"
    assert answer is None or isinstance(answer, model_cls)
