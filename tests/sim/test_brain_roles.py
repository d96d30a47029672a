"""The harness brain: judge rubric, user persona moves, invented tasks."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, Field

from brain import ChatRequest, Message
from brain.sim import make_policy


class Requirement(BaseModel):
    requirement: str
    met: bool
    evidence: str


class Quality(BaseModel):
    score: int = Field(ge=1, le=5)
    reasons: list[str]


class Bug(BaseModel):
    file: str
    line: int
    severity: Literal["high", "medium", "low"]
    description: str


class JudgeReport(BaseModel):
    requirements: list[Requirement]
    code_quality: Quality
    bugs: list[Bug]


class UserTurn(BaseModel):
    move: Literal["feature", "fix", "tests", "refactor", "mcp-feature", "change-direction", "done"]
    message: str


CODE = '''=== FILE: notes/store.py ===
"""Store."""


def add_note(path, text):
    """Add a note to the csv file."""
    try:
        return save(path, text)
    except:
        pass


def search_notes(path, word):
    raise NotImplementedError  # TODO search
'''


def _ask(kit, schema: str, prompt: str, json_schema: dict | None = None, seed: int = 0) -> dict:
    policy = make_policy("competent", seed=seed, catalog_dir=kit.FIXTURES, time_scale=0)
    request = ChatRequest(
        messages=[Message(role="user", content=prompt)],
        response_schema_name=schema,
        response_schema=json_schema,
    )
    return json.loads(policy.reply(request, "m").response.text)


def _judge(kit) -> JudgeReport:
    prompt = (
        "Judge this.\nREQUIREMENTS:\n1. notes are added to a csv file\n"
        "2. export notes as yaml documents\n\n" + CODE
    )
    return JudgeReport.model_validate(_ask(kit, "JudgeReport", prompt))


def test_judge_meets_a_requirement_whose_words_appear_in_the_code(kit) -> None:
    added, exported = _judge(kit).requirements
    assert added.met and "csv" in added.evidence
    assert not exported.met and "yaml" in exported.evidence


def test_judge_reports_stubs_todos_and_bare_excepts_with_file_and_line(kit) -> None:
    bugs = {(b.line, b.severity) for b in _judge(kit).bugs}
    assert (8, "medium") in bugs  # bare except
    assert (13, "high") in bugs and (13, "low") in bugs  # NotImplementedError + TODO
    assert all(b.file == "notes/store.py" for b in _judge(kit).bugs)


def test_judge_scores_clean_code_above_stubbed_code(kit) -> None:
    clean = (
        "REQUIREMENTS:\n1. add notes\n\n=== FILE: notes/store.py ===\n"
        + kit.reference("notes")["notes/store.py"]
    )
    good = JudgeReport.model_validate(_ask(kit, "JudgeReport", clean))
    assert good.code_quality.score > _judge(kit).code_quality.score
    assert good.bugs == []


def _user(kit, verdict: str | None, stages: str, persona: str = "pragmatic") -> UserTurn:
    prompt = f"PERSONA: {persona}\nPROJECT SPEC:\n{kit.spec_text('notes')}\n"
    if verdict:
        prompt += f"LAST VERDICT: {verdict}\n"
    prompt += f"NEXT STAGES:\n{stages}\n"
    return UserTurn.model_validate(_ask(kit, "UserTurn", prompt))


def test_user_moves_to_the_next_stage_after_a_pass(kit) -> None:
    stage_text = kit.task_data("notes")["stages"][0]["text"]
    turn = _user(kit, "pass", f"2. feature: {stage_text}\n3. tests: add tests")
    assert turn.move == "feature" and stage_text in turn.message


def test_user_asks_for_a_fix_after_a_failure(kit) -> None:
    assert _user(kit, "fail", "2. feature: more").move == "fix"


def test_user_is_done_when_no_stages_remain(kit) -> None:
    assert _user(kit, "pass", "").move == "done"


def test_user_message_speaks_in_the_persona_voice(kit) -> None:
    pm = _user(kit, "pass", "2. feature: add search", persona="demanding-pm").message
    vague = _user(kit, "pass", "2. feature: add search", persona="vague-user").message
    assert pm != vague and "add search" in pm and "add search" in vague


def test_invented_task_is_a_catalog_task_in_the_requested_shape(kit) -> None:
    class InventedTask(BaseModel):
        id: str
        title: str
        spec: str
        entry: str
        hidden: list[str] = []

    data = _ask(kit, "InventedTask", "Invent a task.", InventedTask.model_json_schema())
    task = InventedTask.model_validate(data)
    source, _, variation = task.id.rpartition("-var")
    assert source and variation.isdigit()  # a variation of a catalog task, under a new id
    assert task.spec == kit.task_data(source)["spec"]  # verbatim: the fleet recognises it


def test_user_reads_the_verdict_from_an_evidence_line_without_the_marker(kit) -> None:
    prompt = (
        "PERSONA: perfectionist\nTURN 2 of at most 6. What happened on the last turn:\n"
        "Verdict when the app was run on its checks: fail (checks=fail).\n"
        "NEXT STAGES:\n2. feature: add search\n"
    )
    assert UserTurn.model_validate(_ask(kit, "UserTurn", prompt)).move == "fix"


def test_judge_reads_summarised_file_blocks_as_their_own_files(kit) -> None:
    prompt = (
        "REQUIREMENTS:\n1. add notes\n\n\nCODE (2 files):\n"
        "=== FILE: a.py === (summarised: signatures only)\n4: def f():\n"
        "=== FILE: b.py ===\ndef g():\n    raise NotImplementedError\n"
    )
    bugs = JudgeReport.model_validate(_ask(kit, "JudgeReport", prompt)).bugs
    assert [(b.file, b.line) for b in bugs] == [("b.py", 2)]
