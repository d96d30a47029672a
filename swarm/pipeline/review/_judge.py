"""The LLM in-flight judge: a model reads a live worker and says whether it is healthy.

Its verdicts — ``ok``, ``spec_drift``, ``looping``, ``broken_code``, ``over_reading``,
``split`` — are advisory (``deterministic=False``): the scheduler acts on one only at or
above ``judge.llm.confidence_bar`` (a restart whose supervisor note is the judge's reason
and advice; ``looping`` with output worth keeping is salvaged; ``split`` restarts with a
note to write a compiling stub of every owned file and fill it one part at a time — the
DAG itself is not split mid-run). Below the bar it only reports: a ``judge_verdict`` event
with ``acted: false``.

An attempt is judged once it is ``judge.llm.min_age_s`` old, then again only
``judge.llm.cooldown_s`` after the task's last look ended (across restarts), never the
sink. The call runs as a ``SideCall`` on a free slot, so it waits rather than stack on a
busy node, and it is bounded in tokens (``judge.llm.max_tokens``) and time
(``judge.llm.timeout_s``); a look at an attempt that ends meanwhile is cancelled. The model
sees the task's brief, its owned files as they are on disk, the attempt's age and its
recent tool calls (``observe`` follows the event log), and answers a ``SemanticVerdict``.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from brain import Message, Role, Transport, ask_structured
from swarm.judge import TaskView, Verdict, VerdictKind
from swarm.knobs import Knobs, register_knob
from swarm.pipeline.review._files import owned_blocks
from swarm.protocols import Device, SideCall

register_knob(
    "judge.llm.enabled",
    bool,
    True,
    "Run the LLM in-flight judge (advisory) over live workers, on free slots only.",
    tunable=True,
)
register_knob(
    "judge.llm.confidence_bar",
    float,
    0.85,
    # The reference design's bar: an LLM's opinion stops a worker only when near-certain.
    "An LLM judge verdict acts only at or above this confidence; below it only reports.",
    bounds=(0.0, 1.0),
    tunable=True,
    tune_bounds=(0.6, 0.99),
)
register_knob(
    "judge.llm.cooldown_s",
    float,
    60.0,
    # One look a minute per worker: a local model's worker changes little faster than that,
    # and each look is a model call on a node that could be reviewing instead.
    "Seconds after a look ends before the LLM judge looks at the same task again.",
    bounds=(0.0, 3600.0),
    tunable=True,
    tune_bounds=(15.0, 600.0),
)
register_knob(
    "judge.llm.min_age_s",
    float,
    10.0,
    # Judging costs only an otherwise idle slot; younger than ~10 s there is nothing to read.
    "An attempt younger than this is not shown to the LLM judge.",
    bounds=(0.0, 3600.0),
)
register_knob(
    "judge.llm.poll_s",
    float,
    2.0,
    # A free slot and a running worker: look for a due judgment every couple of seconds.
    "While a slot is free and workers run, seconds between looks for due side calls.",
    bounds=(0.01, 600.0),
)
register_knob(
    "judge.llm.max_tokens",
    int,
    400,
    "Most tokens one LLM judge answer may hold.",
    bounds=(32, 8192),
)
register_knob(
    "judge.llm.timeout_s",
    float,
    60.0,
    "Wall limit of one LLM judge call (seconds); a late verdict is no verdict.",
    bounds=(1.0, 3600.0),
)

#: What the judge reads of the spec and of the owned files (characters).
SPEC_CHARS = 3000
FILES_CHARS = 6000
#: Recent tool calls kept per attempt for the prompt.
RECENT_TOOLS = 12

_SYSTEM = (
    "You are the in-flight judge of a coding swarm. A worker is building one task of a "
    "plan right now. Read what it has done so far and say whether it is healthy. Verdicts: "
    "ok (healthy, let it work); spec_drift (it builds something other than its brief or "
    "renames the brief's interfaces); looping (it repeats the same actions without "
    "progress); broken_code (what it wrote cannot run); over_reading (it keeps reading and "
    "has written nothing); split (the task is too big to finish in one pass). Give your "
    "confidence from 0 to 1 honestly: an advisory verdict acts only when you are nearly "
    "sure. Put one sentence of advice for the worker in note."
)
_SPLIT_ADVICE = (
    "the task is too big for one pass: write a compiling stub of every owned file first, "
    "then fill one part at a time"
)


class SemanticVerdict(BaseModel):
    """The LLM judge's structured answer about one live attempt."""

    verdict: Literal["ok", "spec_drift", "looping", "broken_code", "over_reading", "split"]
    confidence: float = Field(ge=0.0, le=1.0, description="0..1; acts only at the bar")
    reason: str = Field("", description="What in the attempt shows it (one sentence).")
    note: str = Field("", description="Advice for the worker if it is restarted.")


@dataclass(frozen=True)
class LlmJudgeSettings:
    """The judge's knobs, read once per run."""

    confidence_bar: float = 0.85
    cooldown_s: float = 60.0
    min_age_s: float = 10.0
    max_tokens: int = 400
    timeout_s: float = 60.0

    @classmethod
    def from_knobs(cls, knobs: Knobs) -> LlmJudgeSettings:
        """Read every ``judge.llm.*`` setting."""
        get = knobs.get
        return cls(
            get("judge.llm.confidence_bar"),
            get("judge.llm.cooldown_s"),
            get("judge.llm.min_age_s"),
            get("judge.llm.max_tokens"),
            get("judge.llm.timeout_s"),
        )


@dataclass
class LlmJudge:
    """Decides which live attempts are due a look and makes each look a ``SideCall``."""

    transports: Mapping[str, Transport]
    """Device name → transport: the call runs on the device whose slot it claimed."""
    spec: str
    workdir: Path
    settings: LlmJudgeSettings = field(default_factory=LlmJudgeSettings)
    _last: dict[str, float] = field(default_factory=dict)
    _tools: dict[tuple[str, int], deque[str]] = field(default_factory=dict)

    def observe(self, record: Mapping[str, Any]) -> None:
        """Follow the event log: remember each attempt's recent tool calls."""
        if record.get("event") != "tool_call" or "task_id" not in record:
            return
        key = (str(record["task_id"]), int(record.get("epoch") or 0))
        recent = self._tools.setdefault(key, deque(maxlen=RECENT_TOOLS))
        recent.append(f"{record.get('tool')}{'' if record.get('ok', True) else ' (failed)'}")

    def due(self, view: TaskView) -> bool:
        """Old enough, not the sink, and the task's cooldown has passed."""
        if view.task.is_sink or view.age_s < self.settings.min_age_s:
            return False
        last = self._last.get(view.task.id)
        return last is None or view.now - last >= self.settings.cooldown_s

    def call_for(self, view: TaskView) -> SideCall:
        """Start the task's cooldown now and return the look as a side call."""
        self._last[view.task.id] = view.now

        async def run(device: Device) -> Verdict:
            return await self.judge(view, device)

        return SideCall(
            "judge",
            run,
            task_id=view.task.id,
            epoch=view.epoch,
            confidence_bar=self.settings.confidence_bar,
        )

    async def judge(self, view: TaskView, device: Device) -> Verdict:
        """Ask ``device``'s model about ``view`` (bounded) and return its advisory verdict."""
        try:
            async with asyncio.timeout(self.settings.timeout_s):
                answer = await ask_structured(
                    self.transports[device.name],
                    self.messages(view),
                    SemanticVerdict,
                    max_tokens=self.settings.max_tokens,
                )
        finally:  # the cooldown runs from the end of the look: a slow judge is not back at once
            self._last[view.task.id] = asyncio.get_running_loop().time()
        return to_verdict(answer)

    def messages(self, view: TaskView) -> list[Message]:
        """The judge's prompt about one live attempt."""
        task = view.task
        recent = self._tools.get((task.id, view.epoch), ())
        user = "\n\n".join(
            [
                f"PROJECT SPEC:\n{self.spec[:SPEC_CHARS]}",
                f"TASK: {task.id}\nBRIEF: {task.description}",
                f"OWNED FILES: {', '.join(task.owned_files)}",
                f"ATTEMPT: {view.attempt}\nAGE SECONDS: {view.age_s:.0f}\n"
                f"TOOL CALLS: {view.tool_calls}\n"
                f"FILES WRITTEN: {', '.join(view.files_written) or 'none'}",
                f"RECENT TOOL CALLS: {', '.join(recent) or 'none'}",
                owned_blocks(task, self.workdir, FILES_CHARS),
                "YOUR ANSWER:\nJudge the attempt now.",
            ]
        )
        return [Message(role=Role.SYSTEM, content=_SYSTEM), Message(role=Role.USER, content=user)]


def to_verdict(answer: SemanticVerdict) -> Verdict:
    """The scheduler's advisory verdict; its reason becomes the supervisor note on a restart."""
    advice = _SPLIT_ADVICE if answer.verdict == "split" else answer.note.strip()
    reason = "; ".join(p for p in (answer.reason.strip(), advice) if p)
    return Verdict(
        VerdictKind(answer.verdict),
        f"LLM judge: {reason or answer.verdict}"[:1000],
        confidence=answer.confidence,
        deterministic=False,
    )
