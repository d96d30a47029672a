"""An asyncio event loop on virtual time, for simulations of the scheduler.

Whenever nothing is ready to run, the clock jumps straight to the next timer, so
``await asyncio.sleep(300)`` in a simulated device costs no wall time and every duration
is exact. The scheduler reads time only through ``loop.time()``, so it runs unchanged on
this loop: the benchmark (``benchmarks/scheduler_bench.py``) and timing-sensitive tests
use it to get the same schedule every time. Not for real runs: threads and subprocesses
do not advance virtual time.
"""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """A selector loop whose ``time()`` only moves when every task waits on a timer."""

    def __init__(self) -> None:
        super().__init__()
        self._virtual_now = 0.0

    def time(self) -> float:
        """Virtual seconds since the loop was created."""
        return self._virtual_now

    def _run_once(self) -> None:
        # Drop cancelled timers at the head (as the base loop does), then jump to the
        # earliest live timer when nothing else can run. Uses the base loop's private
        # timer heap: the loop API offers no public way to find the next deadline.
        scheduled = self._scheduled  # type: ignore[attr-defined]
        while scheduled and scheduled[0]._cancelled:
            handle = heapq.heappop(scheduled)
            handle._scheduled = False
            self._timer_cancelled_count -= 1  # type: ignore[attr-defined]
        if not self._ready and scheduled:  # type: ignore[attr-defined]
            self._virtual_now = max(self._virtual_now, scheduled[0]._when)
        super()._run_once()  # type: ignore[misc]


def run_virtual(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` to completion on a fresh virtual-clock loop."""
    with asyncio.Runner(loop_factory=VirtualClockLoop) as runner:
        return runner.run(main)
