"""The AI judge: its prompt, its grades, and its failure modes, over real HTTP to the simulator."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from brain import ChatResponse, ask_structured, transport_for
from brain.sim import ScriptedPolicy, SimServer
from verifier import Status, Verdict, grade_workdir
from verifier._judge import (
    JudgeReport,
    build_messages,
    code_blocks,
    grade_bugs,
    grade_requirements,
    judge,
)

GOOD = {
    "requirements": [
        {"id": f"R{i}", "requirement": "r", "met": True, "evidence": "greet/core.py greeting()"}
        for i in (1, 2, 3)
    ],
    "code_quality": {"score": 4, "reasons": ["small, documented functions"]},
    "bugs": [],
}


@pytest.fixture(scope="module")
def server() -> Iterator[SimServer]:
    with SimServer(ScriptedPolicy([])) as running:
        yield running


def url(server: SimServer, protocol: str) -> str:
    if protocol == "openai":
        return server.openai_base_url
    return f"anthropic:claude-sim?base_url={server.base_url}"


def answering(server: SimServer, *answers: dict | str) -> ScriptedPolicy:
    """Script the server: each answer is a JSON object or raw text; the last one repeats."""

    def reply(_request, _model) -> ChatResponse:
        index = min(len(policy.requests) - 1, len(answers) - 1)
        answer = answers[index]
        return ChatResponse(text=answer if isinstance(answer, str) else json.dumps(answer))

    policy = ScriptedPolicy(reply)
    server.policy = policy
    return policy


def close(transport) -> None:
    # The verifier ran the judge on its own loop; a client bound to it has nothing left to free.
    with contextlib.suppress(RuntimeError):
        asyncio.run(transport.aclose())


def test_prompt_has_spec_numbered_requirements_and_file_blocks(greet_task) -> None:
    messages, asked, shown = build_messages(greet_task, 1, greet_task.root / "reference")
    user = messages[-1].content
    assert "PROJECT SPEC:\n" in user and greet_task.spec.strip() in user
    assert asked[-1] == greet_task.hidden[0]  # hidden requirements follow the spec's bullets
    assert f"R{len(asked)}. {asked[-1]}" in user
    assert "REQUIREMENTS:\nR1. It prints `Hello, NAME!` on one line." in user
    assert "=== FILE: greet/core.py ===\n" in user
    assert set(shown) == {
        "greet/__init__.py",
        "greet/core.py",
        "greet/__main__.py",
        "tests/test_contract.py",
    }


def test_largest_files_are_summarised_to_signatures_within_budget(tmp_path: Path) -> None:
    (tmp_path / "small.py").write_text("X = 1\n")
    big = "\n".join(
        f"def f{i}(a, b):\n    '''Doc {i}.'''\n    return a + b + {i}\n" for i in range(300)
    )
    (tmp_path / "big.py").write_text(big)
    text, shown = code_blocks(tmp_path, budget=4000)
    assert "=== FILE: small.py ===\nX = 1" in text
    assert (
        "=== FILE: big.py === (summarised: signatures only)" in text
        or "=== FILE: big.py === (omitted: over the size budget)" in text
    )
    assert "return a + b" not in text
    assert shown == ["small.py", "big.py"]


def test_untrusted_bug_text_is_cleaned_and_unknown_paths_dropped() -> None:
    report = JudgeReport.model_validate(
        {
            **GOOD,
            "bugs": [
                {
                    "file": "../../etc/passwd",
                    "line": 3,
                    "severity": "medium",
                    "description": "\x1b[31mred\x1b[0m\nsecond line",
                },
                {"file": "greet/core.py", "line": 7, "severity": "low", "description": "nit"},
            ],
        }
    )
    grade = grade_bugs(report, ["greet/core.py"])
    assert grade.status is Status.PARTIAL
    assert grade.findings[0].file is None
    assert "\x1b" not in grade.findings[0].message and "\n" not in grade.findings[0].message
    assert (grade.findings[1].file, grade.findings[1].line) == ("greet/core.py", 7)


async def test_judge_over_http_maps_the_report_to_three_dimensions(
    server: SimServer, protocol: str, greet_task
) -> None:
    answer = {
        **GOOD,
        "requirements": GOOD["requirements"][:2],
        "bugs": [
            {"file": "greet/core.py", "line": 5, "severity": "high", "description": "ignores NAME"}
        ],
    }
    policy = answering(server, answer)
    transport = transport_for(url(server, protocol), model="sim-judge", timeout_s=10)
    try:
        grades = await judge(transport, greet_task, 1, greet_task.root / "reference")
    finally:
        await transport.aclose()
    assert policy.requests[0].response_schema_name == "JudgeReport"
    assert grades["requirements"].status is Status.PARTIAL  # 2 of 3 met: the third unanswered
    assert grades["requirements"].score == pytest.approx(2 / 3, abs=1e-3)
    assert grades["code_quality"].status is Status.PASS and grades["code_quality"].score == 0.75
    assert grades["bugs"].status is Status.FAIL
    assert {g.source.value for g in grades.values()} == {"judge"}


async def test_simulated_competent_judge_answers_a_valid_report(protocol: str, greet_task) -> None:
    with SimServer(profile="competent") as competent:
        transport = transport_for(url(competent, protocol), model="sim-judge", timeout_s=10)
        try:
            grades = await judge(transport, greet_task, 1, greet_task.root / "reference")
        finally:
            await transport.aclose()
    assert set(grades) == {"requirements", "code_quality", "bugs"}
    assert all(g.status is not Status.INCONCLUSIVE for g in grades.values())


async def test_malformed_answer_is_retried_once_then_inconclusive(
    server: SimServer, protocol: str, greet_task
) -> None:
    policy = answering(server, "I think the code is fine!", '{"requirements": "all good"}')
    transport = transport_for(url(server, protocol), model="sim-judge", timeout_s=10)
    try:
        grades = await judge(transport, greet_task, 1, greet_task.root / "reference")
    finally:
        await transport.aclose()
    assert len(policy.requests) == 2  # the answer, and one repair round
    for grade in grades.values():
        assert grade.status is Status.INCONCLUSIVE
        assert grade.findings[0].code == "judge_unavailable"
        assert "JudgeReport" in grade.findings[0].message


def test_deterministic_verdict_stands_when_the_judge_is_malformed(
    server: SimServer, reference_copy: Path, greet_task
) -> None:
    answering(server, "not json")
    transport = transport_for(url(server, "openai"), model="sim-judge", timeout_s=10)
    try:
        grade = grade_workdir(reference_copy, greet_task, judge=transport)
    finally:
        close(transport)
    assert grade.verdict is Verdict.PASS
    assert grade.dimensions["bugs"].status is Status.INCONCLUSIVE


def test_judge_lowers_a_pass_to_partial(
    server: SimServer, reference_copy: Path, greet_task
) -> None:
    answering(server, {**GOOD, "code_quality": {"score": 1, "reasons": ["unreadable"]}})
    transport = transport_for(url(server, "anthropic"), model="sim-judge", timeout_s=10)
    try:
        grade = grade_workdir(reference_copy, greet_task, judge=transport)
    finally:
        close(transport)
    assert grade.dimensions["checks"].status is Status.PASS
    assert grade.verdict is Verdict.PARTIAL


def test_judge_never_raises_a_failing_verdict(
    server: SimServer, reference_copy: Path, greet_task
) -> None:
    (reference_copy / "greet/__main__.py").write_text("raise SystemExit(1)\n")
    answering(server, GOOD)
    transport = transport_for(url(server, "openai"), model="sim-judge", timeout_s=10)
    try:
        grade = grade_workdir(reference_copy, greet_task, judge=transport)
    finally:
        close(transport)
    assert grade.dimensions["requirements"].status is Status.PASS
    assert grade.verdict is Verdict.FAIL


# ---------------------------------------------------------------- matching by requirement id

ASKED = ["prints a greeting", "exits 2 on bad input", "no use of eval"]


def _report(*entries: tuple[str, bool]) -> JudgeReport:
    return JudgeReport.model_validate(
        {
            **GOOD,
            "requirements": [
                {"id": rid, "met": met, "evidence": f"evidence for {rid}"} for rid, met in entries
            ],
        }
    )


def test_reordered_verdicts_land_on_their_own_requirement() -> None:
    grade = grade_requirements(_report(("R3", False), ("R1", True), ("R2", True)), ASKED)
    assert grade.status is Status.PARTIAL and grade.score == pytest.approx(2 / 3, abs=1e-3)
    assert [f.code for f in grade.findings] == ["requirement_unmet"]
    assert grade.findings[0].message.startswith("R3. no use of eval — evidence for R3")


def test_ids_are_read_leniently() -> None:
    grade = grade_requirements(_report(("r1", True), ("2", True), ("R3.", True)), ASKED)
    assert grade.status is Status.PASS and grade.findings == []


def test_a_missing_entry_is_unanswered_and_never_met() -> None:
    grade = grade_requirements(_report(("R1", True), ("R3", True)), ASKED)
    assert grade.status is Status.PARTIAL and grade.score == pytest.approx(2 / 3, abs=1e-3)
    assert [f.code for f in grade.findings] == ["requirement_unanswered"]
    assert grade.findings[0].message.startswith("R2. exits 2 on bad input")


def test_extra_entries_are_ignored() -> None:
    report = _report(("R1", True), ("R2", True), ("R3", False), ("R9", True), ("bonus", True))
    grade = grade_requirements(report, ASKED)
    assert grade.score == pytest.approx(2 / 3, abs=1e-3)
    assert [f.message[:2] for f in grade.findings] == ["R3"]


def test_nothing_answered_is_inconclusive_not_green() -> None:
    grade = grade_requirements(_report(("R7", True)), ASKED)
    assert grade.status is Status.INCONCLUSIVE
    assert {f.code for f in grade.findings} == {"requirement_unanswered"}


def test_a_duplicate_id_is_refused_by_the_schema() -> None:
    with pytest.raises(ValueError, match="R1"):
        _report(("R1", True), ("r1", False), ("R2", True))


async def test_a_duplicate_goes_back_in_the_repair_round(
    server: SimServer, protocol: str, greet_task
) -> None:
    n = len(build_messages(greet_task, 1, greet_task.root / "reference")[1])
    duplicate = {
        **GOOD,
        "requirements": [{"id": "R1", "met": True}, {"id": "R1", "met": False}],
    }
    fixed = {**GOOD, "requirements": [{"id": f"R{i}", "met": True} for i in range(n, 0, -1)]}
    policy = answering(server, duplicate, fixed)
    transport = transport_for(url(server, protocol), model="sim-judge", timeout_s=10)
    try:
        grades = await judge(transport, greet_task, 1, greet_task.root / "reference")
    finally:
        await transport.aclose()
    assert len(policy.requests) == 2  # the duplicate was sent back once
    repair = policy.requests[1].messages[-1].content
    assert "more than once: R1" in repair
    assert grades["requirements"].status is Status.PASS  # reversed order, matched by id


async def test_the_simulated_judge_answers_by_id(greet_task) -> None:
    with SimServer(profile="competent") as competent:
        transport = transport_for(competent.openai_base_url, model="sim-judge", timeout_s=10)
        try:
            messages, asked, _ = build_messages(greet_task, 1, greet_task.root / "reference")
            report = await ask_structured(transport, messages, JudgeReport)
        finally:
            await transport.aclose()
    assert [v.id for v in report.requirements] == [f"R{i}" for i in range(1, len(asked) + 1)]
