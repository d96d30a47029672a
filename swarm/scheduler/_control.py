"""The files that steer and watch a running scheduler from outside.

- ``WORKDIR/.swarm/pause``: while it exists no new attempt starts (running ones finish);
  removing it resumes. Each transition is an event (``run_paused`` / ``run_resumed``).
- ``WORKDIR/.swarm/heartbeat``: touched every ``scheduler.heartbeat_s`` while the
  scheduler runs, paused or not, so a watcher can tell a quiet run from a dead one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from swarm.protocols import EventSink


class RunControl:
    """Pause file and heartbeat of one run (inactive without a workdir)."""

    def __init__(self, workdir: Path | None, events: EventSink):
        self.dir = workdir / ".swarm" if workdir is not None else None
        self.events = events
        self.paused = False

    def check_pause(self) -> bool:
        """True while the pause file exists; emits the transitions."""
        if self.dir is None:
            return False
        paused = (self.dir / "pause").exists()
        if paused != self.paused:
            self.paused = paused
            self.events.emit("run_paused" if paused else "run_resumed")
        return paused

    def start_heartbeat(self, every_s: float) -> asyncio.Task[None] | None:
        """Start touching the heartbeat file; the caller cancels the task at the end."""
        return asyncio.create_task(self._beat(every_s)) if self.dir is not None else None

    async def _beat(self, every_s: float) -> None:
        assert self.dir is not None
        self.dir.mkdir(parents=True, exist_ok=True)
        beat = self.dir / "heartbeat"
        while True:
            beat.touch()
            await asyncio.sleep(every_s)
