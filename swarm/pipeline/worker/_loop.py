"""The tool-calling agent loop: the swarm's :class:`~swarm.protocols.Dispatcher`.

One attempt of one subtask on one device: build the prompt (sized to the device's
context window), let the model call tools until ``done`` (or the turn cap), then apply
the done gates. Brain errors map onto the scheduler's retry classes; a failed gate is a
content error whose message becomes the next attempt's supervisor note.

What small models really send is handled here, not trusted:

- a call whose arguments did not parse or validate (``ToolCall.error``, including a value
  that only existed because broken JSON was repaired) is never run: the error goes back
  as the tool result, and a ``worker_note`` (``refused``) records it;
- an answer cut at the output token limit (``finish_reason: length``) with tool calls is
  never run: each call gets a "cut off, write smaller pieces" result (``truncated``);
- a context-overflow refusal is retried with a smaller prompt (``context_overflow``);
- the integrate-verify sink is done only when its last ``run_command`` succeeded and no
  call failed or wrote a file after it (a fix must be re-run);
- skeleton-first (``_skeleton``): once an entry or multi-file owner has written each of its
  skeleton files, they are import-checked once in the sandbox; a failure is a content retry.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from brain import (
    BrainError,
    ChatRequest,
    ChatResponse,
    ContextOverflowError,
    FatalError,
    FinishReason,
    Message,
    Role,
    ToolCall,
    ToolSpec,
    TransientError,
    Transport,
    Usage,
)
from swarm.pipeline.worker._compact import (
    compact_messages,
    conversation_chars,
    fit_user_message,
)
from swarm.pipeline.worker._context import WorkerContext
from swarm.pipeline.worker._prompts import (
    NARRATION_NUDGE,
    OVERFLOW_NOTE,
    SINK_NUDGE,
    SINK_UNVERIFIED_NOTE,
    TRUNCATED_NOTE,
    TRUNCATED_RESULT,
    WORKER_SYSTEM,
    WorkerBrief,
    worker_user_message,
)
from swarm.pipeline.worker._settings import WorkerSettings
from swarm.pipeline.worker._skeleton import check_skeleton, skeleton_files
from swarm.pipeline.worker._tools import TOOL_SPECS, McpCaller, Toolbox, ToolOutcome, ToolPolicy
from swarm.pipeline.worker._transcript import append_transcript
from swarm.pipeline.worker._window import ContextWindows
from swarm.protocols import Assignment, DispatchResult, ErrorClass, EventSink, Subtask

WRITE_FIRST_NOTE = "your very first action must be to write each of these files: {files}"
FAKE_DONE_NOTE = "you called done without writing your files; " + WRITE_FIRST_NOTE
NARRATED_NOTE = "you answered in prose instead of calling tools; " + WRITE_FIRST_NOTE
SINK_NARRATED_NOTE = (
    "you answered in prose instead of calling tools; act only through tool "
    "calls: run_command to check, write_file to fix, then done"
)
#: Share of the conversation budget the task's user message may take; the rest is for turns.
FIRST_MESSAGE_SHARE = 0.6
#: A string argument longer than this is cut from a truncated call kept in the history.
_KEPT_ARG_CHARS = 200


def error_class_of(exc: BrainError) -> ErrorClass:
    """Map the brain's error tree onto the scheduler's retry classes."""
    if isinstance(exc, TransientError):
        return ErrorClass.TRANSIENT
    if isinstance(exc, FatalError):
        return ErrorClass.FATAL
    return ErrorClass.CONTENT


class AttemptStopped(Exception):
    """The attempt ended without success; carries the class and the note for the retry."""

    def __init__(self, error_class: ErrorClass, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class


@dataclass
class _Attempt:
    """Mutable state of one attempt."""

    assignment: Assignment
    events: EventSink
    toolbox: Toolbox
    messages: list[Message]
    tools: list[ToolSpec]
    brief: WorkerBrief
    budget: int
    usage: Usage = field(default_factory=Usage)
    tool_calls: int = 0
    written: list[str] = field(default_factory=list)
    nudges: int = 0
    truncations: int = 0
    overflows: int = 0
    shrink_level: int = 0
    sink_verified: bool = False
    """The sink's last command succeeded and no call failed or wrote a file after it."""
    skeleton: list[str] = field(default_factory=list)
    """Files still to be checked as a skeleton (emptied once the check ran)."""

    @property
    def task(self) -> Subtask:
        return self.assignment.task


class Worker:
    """Runs subtasks with a tool-calling model on the assigned device (a Dispatcher)."""

    def __init__(
        self,
        transports: Mapping[str, Transport],
        context: WorkerContext,
        settings: WorkerSettings | None = None,
        *,
        mcp_tools: Mapping[str, McpCaller] | None = None,
        mcp_specs: list[ToolSpec] | None = None,
        context_tokens: Mapping[str, int | None] | None = None,
    ) -> None:
        """``context_tokens``: device name → context window (the node field ``?ctx=``);
        a device not named is probed (``worker.probe_context``)."""
        self.transports = transports
        self.context = context
        self.settings = settings or WorkerSettings()
        self.mcp_tools = dict(mcp_tools or {})
        self.mcp_specs = list(mcp_specs or [])
        self.windows = ContextWindows(self.settings, context_tokens or {})

    async def dispatch(self, assignment: Assignment, events: EventSink) -> DispatchResult:
        """Run one attempt; never raises except on cancellation."""
        tokens = await self.windows.tokens(assignment.device)
        attempt = self._start(assignment, events, self.windows.budget(assignment.device, tokens))
        try:
            self._fit(attempt, self.settings.keep_recent_turns, tokens=tokens)
            await self._converse(attempt)
            self._check_done(attempt)
        except AttemptStopped as stop:
            return self._result(attempt, stop.error_class, str(stop))
        except BrainError as exc:
            return self._result(attempt, error_class_of(exc), str(exc))
        finally:
            self._keep_transcript(attempt)
        return self._result(attempt, None, None)

    def _keep_transcript(self, attempt: _Attempt) -> None:
        """Append the attempt's conversation to the run's transcript (report drill-down)."""
        if self.context.transcript is None:
            return
        fields = {"task_id": attempt.task.id, "attempt": attempt.assignment.attempt}
        fields["device"] = attempt.assignment.device.name
        try:
            append_transcript(self.context.transcript, fields, attempt.messages)
        except OSError:
            pass  # evidence for people, not for the run: a full disk must not fail the attempt

    # -- setup -------------------------------------------------------------------------------

    def _start(self, assignment: Assignment, events: EventSink, budget: int) -> _Attempt:
        task = assignment.task
        if self.settings.write_first:
            for rel in task.owned_files:
                (self.context.workdir / rel).parent.mkdir(parents=True, exist_ok=True)
        owners = {p: t for p, t in self.context.owners().items() if t != task.id}
        toolbox = Toolbox(
            self.context.workdir,
            policy=ToolPolicy(foreign_owned=owners, may_write_foreign=task.is_sink),
            output_cap=self.settings.output_cap,
            command_timeout_s=self.settings.command_timeout_s,
            mcp_tools=self.mcp_tools,
        )
        brief = self._brief(assignment)
        messages = [
            Message(role=Role.SYSTEM, content=WORKER_SYSTEM),
            Message(role=Role.USER, content=worker_user_message(brief)),
        ]
        tools = TOOL_SPECS + self.mcp_specs
        attempt = _Attempt(assignment, events, toolbox, messages, tools, brief, budget)
        attempt.skeleton = list(brief.skeleton_files)
        return attempt

    def _brief(self, assignment: Assignment) -> WorkerBrief:
        task, ctx, s = assignment.task, self.context, self.settings
        deps = ctx.dependency_files(task, s.dep_chars) if s.inject_deps else {}
        return WorkerBrief(
            spec=ctx.spec,
            task_id=task.id,
            description=task.description,
            owned_files=task.owned_files,
            detail=ctx.details.get(task.id, ""),
            frozen_interfaces=ctx.frozen_interfaces,
            dependency_files=deps,
            clarifications=ctx.clarifications,
            supervisor_note=assignment.supervisor_note,
            review_findings=ctx.findings_for(task),
            prior_work=dict(assignment.prior_work),
            current_files={} if assignment.prior_work else ctx.current_files(task),
            mcp_tools=[spec.name for spec in self.mcp_specs],
            write_first=s.write_first,
            scout_findings=ctx.scout_findings,
            skeleton_files=skeleton_files(task.owned_files) if s.skeleton else (),
        )

    # -- the loop ----------------------------------------------------------------------------

    async def _converse(self, attempt: _Attempt) -> None:
        transport = self.transports[attempt.assignment.device.name]
        for _ in range(self.settings.turn_cap):
            compact_messages(attempt.messages, attempt.budget, self._keep_turns(attempt))
            response = await self._ask(transport, attempt)
            attempt.usage = attempt.usage + response.usage
            if response.tool_calls and response.finish_reason is FinishReason.LENGTH:
                self._truncated(attempt, response)
                continue
            if not response.tool_calls:
                if self._finished(attempt):
                    return  # did the work, then said so in prose: as good as done
                self._nudge(attempt, response.text)
                continue
            attempt.messages.append(
                Message(
                    role=Role.ASSISTANT,
                    content=response.text,
                    tool_calls=response.tool_calls,
                )
            )
            finished = await self._run_calls(attempt)
            await self._check_skeleton(attempt)
            if finished:
                return
        if not self._finished(attempt):
            raise AttemptStopped(
                ErrorClass.CONTENT,
                f"turn cap of {self.settings.turn_cap} reached before done; write your files "
                "first and call done as soon as they work",
            )

    async def _ask(self, transport: Transport, attempt: _Attempt) -> ChatResponse:
        """One model call; a context-overflow refusal is retried with a smaller prompt."""
        while True:
            request = ChatRequest(
                messages=attempt.messages,
                tools=attempt.tools,
                stream=self.settings.stream,
                temperature=self.settings.temperature,
            )
            try:
                return await transport.chat(request)
            except ContextOverflowError as exc:
                self._shrink_after_overflow(attempt, exc)

    # -- fitting the context window ----------------------------------------------------------

    def _keep_turns(self, attempt: _Attempt) -> int:
        """Recent turns kept verbatim: fewer after each overflow."""
        return max(0, self.settings.keep_recent_turns - attempt.overflows)

    def _fit(self, attempt: _Attempt, keep_turns: int, tokens: int | None = None) -> None:
        """Cut the task message, then old turns, until the conversation fits the budget."""
        room = int(attempt.budget * FIRST_MESSAGE_SHARE) - len(attempt.messages[0].content)
        text, level = fit_user_message(attempt.brief, room, attempt.shrink_level)
        if level != attempt.shrink_level:
            attempt.shrink_level = level
            attempt.messages[1] = Message(role=Role.USER, content=text)
            self._flag(attempt, "prompt_sized", level=level, budget=attempt.budget, ctx=tokens)
        compact_messages(attempt.messages, attempt.budget, keep_turns)

    def _shrink_after_overflow(self, attempt: _Attempt, exc: ContextOverflowError) -> None:
        size = conversation_chars(attempt.messages)
        attempt.overflows += 1
        self._flag(attempt, "context_overflow", chars=size, budget=attempt.budget, error=str(exc))
        stop = AttemptStopped(
            ErrorClass.CONTENT, OVERFLOW_NOTE.format(chars=size, n=attempt.overflows)
        )
        if attempt.overflows > self.settings.overflow_retries:
            raise stop
        attempt.budget = self.windows.learn(attempt.assignment.device, min(size, attempt.budget))
        self._fit(attempt, self._keep_turns(attempt))
        if conversation_chars(attempt.messages) >= size:
            raise stop  # nothing left to cut: the same prompt would be refused again

    # -- what the model asked for ------------------------------------------------------------

    def _truncated(self, attempt: _Attempt, response: ChatResponse) -> None:
        """Calls cut by the output limit: answered with an error, never run."""
        attempt.truncations += 1
        names = [c.name for c in response.tool_calls]
        self._flag(attempt, "truncated", tools=names, count=attempt.truncations)
        if attempt.truncations > self.settings.truncation_retries:
            raise AttemptStopped(ErrorClass.CONTENT, TRUNCATED_NOTE.format(n=attempt.truncations))
        calls = [_cut_call(c) for c in response.tool_calls]
        attempt.messages.append(
            Message(role=Role.ASSISTANT, content=response.text, tool_calls=calls)
        )
        for call in calls:
            attempt.messages.append(
                Message(
                    role=Role.TOOL, content=TRUNCATED_RESULT, tool_call_id=call.id, name=call.name
                )
            )

    async def _run_calls(self, attempt: _Attempt) -> bool:
        """Execute one turn's calls in order; True when the model called done."""
        finished = False
        for call in list(attempt.messages[-1].tool_calls):
            if call.error:
                self._flag(attempt, "refused", tool=call.name, reason=call.error[:300])
            outcome = await attempt.toolbox.call(call)
            attempt.tool_calls += 1
            self._track_sink(attempt, call, outcome)
            self._record(attempt, call.name, call.arguments.get("path"), outcome)
            attempt.messages.append(
                Message(
                    role=Role.TOOL,
                    content=outcome.text,
                    tool_call_id=call.id,
                    name=call.name,
                )
            )
            finished = finished or outcome.done_summary is not None
        return finished

    async def _check_skeleton(self, attempt: _Attempt) -> None:
        """Once every skeleton file is written, import them once; failing is a content retry."""
        if not attempt.skeleton or any(f not in attempt.written for f in attempt.skeleton):
            return
        files, attempt.skeleton = attempt.skeleton, []
        check = await check_skeleton(self.context.workdir, files)
        for rel, error in check.errors.items():
            attempt.events.emit(
                "skeleton_written",
                task_id=attempt.task.id,
                device=attempt.assignment.device.name,
                attempt=attempt.assignment.attempt,
                file=rel,
                imports_ok=error is None,
                error=error,
            )
        if not check.ok:
            raise AttemptStopped(ErrorClass.CONTENT, check.note())

    def _track_sink(self, attempt: _Attempt, call: ToolCall, outcome: ToolOutcome) -> None:
        """Verified = the last command succeeded and nothing failed or changed after it."""
        if call.name == "run_command":
            attempt.sink_verified = outcome.ok
        elif not outcome.ok or outcome.written:
            attempt.sink_verified = False

    def _flag(self, attempt: _Attempt, note: str, **fields: object) -> None:
        """A ``worker_note`` event: what the loop refused, cut or resized, for the log."""
        attempt.events.emit(
            "worker_note",
            task_id=attempt.task.id,
            device=attempt.assignment.device.name,
            note=note,
            attempt=attempt.assignment.attempt,
            **fields,
        )

    def _record(self, attempt: _Attempt, tool: str, path: object, outcome: ToolOutcome) -> None:
        device = attempt.assignment.device.name
        task_id = attempt.task.id
        fields: dict[str, object] = {"path": path} if isinstance(path, str) else {}
        if not outcome.ok:
            fields["error"] = outcome.text[:300]
        attempt.events.emit(
            "tool_call",
            task_id=task_id,
            device=device,
            tool=tool,
            ok=outcome.ok,
            mcp=outcome.mcp,
            attempt=attempt.assignment.attempt,
            **fields,
        )
        if outcome.written:
            if outcome.written not in attempt.written:
                attempt.written.append(outcome.written)
            size = (self.context.workdir / outcome.written).stat().st_size
            attempt.events.emit(
                "file_written", task_id=task_id, device=device, path=outcome.written, bytes=size
            )

    def _nudge(self, attempt: _Attempt, text: str) -> None:
        attempt.nudges += 1
        task = attempt.task
        attempt.events.emit(
            "worker_note",
            task_id=task.id,
            device=attempt.assignment.device.name,
            note="narrated",
            nudge=attempt.nudges,
        )
        if attempt.nudges > self.settings.narration_nudges:
            raise AttemptStopped(
                ErrorClass.CONTENT,
                self._note(task, NARRATED_NOTE) if task.owned_files else SINK_NARRATED_NOTE,
            )
        nudge = (
            NARRATION_NUDGE.format(files=", ".join(task.owned_files))
            if task.owned_files
            else SINK_NUDGE
        )
        attempt.messages.append(Message(role=Role.ASSISTANT, content=text))
        attempt.messages.append(Message(role=Role.USER, content=nudge))

    # -- done gates --------------------------------------------------------------------------

    def _note(self, task: Subtask, template: str) -> str:
        missing = self._missing(task) or list(task.owned_files)
        return template.format(files=", ".join(missing))

    def _missing(self, task: Subtask) -> list[str]:
        return [f for f in task.owned_files if not (self.context.workdir / f).is_file()]

    def _finished(self, attempt: _Attempt) -> bool:
        """Work done without a ``done`` call: owned files complete, or a sink that acted."""
        if not attempt.task.owned_files:
            return attempt.sink_verified  # it ran the app, and nothing failed after that
        return self._files_complete(attempt)

    def _files_complete(self, attempt: _Attempt) -> bool:
        task = attempt.task
        wrote_own = any(f in attempt.written for f in task.owned_files)
        return (
            bool(task.owned_files)
            and wrote_own
            and not self._missing(task)
            and self._syntax_problem(task) is None
        )

    def _check_done(self, attempt: _Attempt) -> None:
        task = attempt.task
        if not task.owned_files:
            if self.settings.fake_done_gate and not attempt.sink_verified:
                raise AttemptStopped(ErrorClass.CONTENT, SINK_UNVERIFIED_NOTE)
            return
        wrote_own = any(f in attempt.written for f in task.owned_files)
        if self.settings.fake_done_gate and (not wrote_own or self._missing(task)):
            raise AttemptStopped(ErrorClass.CONTENT, self._note(task, FAKE_DONE_NOTE))
        problem = self._syntax_problem(task) if self.settings.syntax_gate else None
        if problem:
            raise AttemptStopped(ErrorClass.CONTENT, problem)

    def _syntax_problem(self, task: Subtask) -> str | None:
        for rel in task.owned_files:
            path = self.context.workdir / rel
            if not rel.endswith(".py") or not path.is_file():
                continue
            problem = syntax_error_of(path, rel)
            if problem:
                return problem
        return None

    def _result(
        self, attempt: _Attempt, error_class: ErrorClass | None, error: str | None
    ) -> DispatchResult:
        return DispatchResult(
            ok=error_class is None,
            error_class=error_class,
            error=error,
            tool_calls=attempt.tool_calls,
            files_written=list(attempt.written),
            prompt_tokens=attempt.usage.prompt_tokens,
            completion_tokens=attempt.usage.completion_tokens,
        )


def _cut_call(call: ToolCall) -> ToolCall:
    """A truncated call as kept in the history: long (incomplete) values cut to a note."""
    arguments = {
        key: f"[cut off after {len(value)} characters; not executed]"
        if isinstance(value, str) and len(value) > _KEPT_ARG_CHARS
        else value
        for key, value in call.arguments.items()
    }
    return call.model_copy(update={"arguments": arguments})


def syntax_error_of(path: Path, rel: str) -> str | None:
    """The exact SyntaxError of a Python file as one note, or None when it parses."""
    try:
        ast.parse(path.read_text(encoding="utf-8", errors="replace"), filename=rel)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        line = (exc.text or "").strip()
        shown = f": {line}" if line else ""
        return f"{rel} does not parse: SyntaxError: {exc.msg} ({rel}, {where}){shown}; fix it"
    return None
