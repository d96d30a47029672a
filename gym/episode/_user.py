"""The simulated user: the brain, in a persona's voice, writes each turn's message and move.

The brain sees the task, the follow-up stages still available and a summary of the
last turn's evidence — never the hidden requirements or hidden check names.
"""

from __future__ import annotations

from brain import Transport
from gym.collector import Evidence
from gym.generator import Persona, UserTurn
from gym.prompts import ask_brain, render
from verifier import Grade, Status, Task

#: How many findings the brain (and, on a fix, the swarm) is shown: enough to act on,
#: few enough that a small model's context is not flooded.
MAX_FINDINGS_SHOWN = 8


async def ask_user_turn(
    brain: Transport,
    who: Persona,
    task: Task,
    *,
    turn: int,
    max_turns: int,
    stage: int,
    evidence: str = "",
) -> UserTurn:
    """Ask the brain for the next move; InfraError when it keeps failing."""
    prompt = render(
        "user_turn.j2",
        persona=who,
        task=task,
        turn=turn,
        max_turns=max_turns,
        evidence=evidence,
        next_stages=[s for s in task.stages if s.n > stage],
    )
    return await ask_brain(brain, prompt, UserTurn, what="answer as the user")


def next_stage(task: Task, stage: int, move: str) -> int | None:
    """The stage the next turn works at, or None when the episode ends.

    ``fix`` repairs the current stage (unless the next stage *is* a fix); any other
    move asks for the next stage; ``done`` or nothing left to ask for ends it.
    """
    if move == "done":
        return None
    upcoming = task.stage(stage + 1)
    if move == "fix" and (upcoming is None or upcoming.move != "fix"):
        return stage
    return stage + 1 if upcoming is not None else None


def visible_findings(grade: Grade, task: Task, stage: int) -> list[str]:
    """Failing findings a user could see: hidden check names and requirements are left out."""
    secret = {c.name for c in task.checks_for_stage(stage) if c.hidden}
    secret |= set(task.hidden_for_stage(stage))
    lines = []
    for name in ("checks", "diagnostics", "swarm"):
        dim = grade.dimensions.get(name)
        if dim is None or dim.status == Status.PASS:
            continue
        for finding in dim.findings:
            text = f"{finding.code}: {finding.message}"
            if not any(s and s in text for s in secret):
                lines.append(text[:300])
    return lines[:MAX_FINDINGS_SHOWN]


def evidence_summary(evidence: Evidence, grade: Grade, task: Task, stage: int) -> str:
    """A few lines about the last turn for the brain to react to."""
    dims = ", ".join(f"{n}={d.status.value}" for n, d in grade.dimensions.items())
    lines = [
        f"LAST VERDICT: {grade.verdict.value}",
        f"The swarm said: {evidence.status} (exit code {evidence.run.exit_code}).",
        f"Files in the project: {len(evidence.tree)}.",
        f"Verdict when the app was run on its checks: {grade.verdict.value} ({dims}).",
    ]
    findings = visible_findings(grade, task, stage)
    if findings:
        lines.append("Problems seen:")
        lines += [f"- {f}" for f in findings]
    return "\n".join(lines)
