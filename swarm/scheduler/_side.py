"""Side calls: model calls outside the plan (the LLM judge, pre-review) on free slots only.

After the scheduler has placed every ready task it can, each slot still free is offered
to the ``SideWork`` (``swarm.pipeline.review``); a call it returns claims the slot like an
attempt does, so a judge call never stacks on a busy node: it waits until a slot is free.
The call runs as its own asyncio task and comes back through the inbox as a
``SideCallFinished``, which frees the slot; only then may a judge's verdict act. A judge
call about an attempt that has ended (done, failed, restarted) is cancelled at once and
its slot freed: its verdict could no longer act, and real work may want the slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from swarm.fleet import DeviceState
from swarm.judge import TaskView, Verdict
from swarm.protocols import EventSink, SideCall, SideWork
from swarm.report import TaskStatus
from swarm.scheduler._messages import SideCallFinished
from swarm.scheduler._state import RunState


class SideFeed:
    """Owns the side calls in flight of one run and the slots they hold."""

    def __init__(
        self, work: SideWork, events: EventSink, post: Callable[[SideCallFinished], None]
    ) -> None:
        self.work, self.events, self._post = work, events, post
        self._calls: dict[asyncio.Task[None], tuple[SideCall, DeviceState]] = {}

    @property
    def busy(self) -> bool:
        """A side call holds a slot (the run is not stuck while one runs)."""
        return bool(self._calls)

    def poll_s(self, state: RunState) -> float | None:
        """How soon to look again: only while a slot is free and a worker runs."""
        if state.running() and any(s.free for s in state.fleet):
            return self.work.poll_s
        return None

    def offer(self, state: RunState, running: Sequence[TaskView]) -> None:
        """Fill every free slot with the side calls the work wants now."""
        finished = [
            t.task.id
            for t in state.tasks.values()
            if t.status in (TaskStatus.DONE, TaskStatus.SALVAGED)
        ]
        for slot in state.fleet:
            while slot.free:
                call = self.work.next_call(slot.device, running, finished)
                if call is None:
                    break
                slot.in_flight += 1
                handle = asyncio.create_task(self._run(call, slot))
                self._calls[handle] = (call, slot)
                handle.add_done_callback(lambda done: self._calls.pop(done, None))

    def drop_stale(self, state: RunState) -> None:
        """Cancel judge calls about attempts that have ended, freeing their slots."""
        for handle, (call, slot) in list(self._calls.items()):
            if handle.done() or call.epoch is None:
                continue  # a done call has posted its result; its slot is freed there
            ts = state.tasks.get(call.task_id or "")
            if ts is not None and ts.live is not None and ts.live.epoch == call.epoch:
                continue
            handle.cancel()
            del self._calls[handle]
            slot.in_flight -= 1
            self.events.emit(
                "side_call_dropped", kind=call.kind, task_id=call.task_id, device=slot.name
            )

    async def _run(self, call: SideCall, slot: DeviceState) -> None:
        verdict: Verdict | None = None
        try:
            verdict = await call.run(slot.device)
        except asyncio.CancelledError:
            raise  # the run is over; nobody waits for the slot
        except Exception as exc:  # noqa: BLE001 - a side call is optional; say why it failed
            self.events.emit(
                "side_call_failed",
                kind=call.kind,
                task_id=call.task_id,
                device=slot.name,
                error=f"{type(exc).__name__}: {exc}"[:500],
            )
        self._post(SideCallFinished(slot.name, call, verdict))

    def release(self, state: RunState, message: SideCallFinished) -> None:
        """Free the slot the finished call held."""
        for slot in state.fleet:
            if slot.name == message.device:
                slot.in_flight -= 1
                return

    def cancel(self) -> None:
        """Cancel every call still running (the run is over)."""
        for handle in list(self._calls):
            handle.cancel()
