"""SIGTERM and SIGHUP end a run the way Ctrl-C does.

asyncio.run already turns SIGINT into cancelling the main task; these two get the same
treatment, so running swarms are stopped (their process groups get SIGINT, then SIGKILL
after a grace), running episodes are recorded interrupted and the run is resumable.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from gym.errors import GymError

#: Signals that stop a run cleanly besides SIGINT (which asyncio handles itself).
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class RunInterrupted(GymError):
    """A stop signal ended the run; it was recorded interrupted (exit 128 + signal)."""

    def __init__(self, message: str, signum: int):
        super().__init__(message)
        self.exit_code = 128 + signum


class StopSignals:
    """Which stop signal, if any, cancelled the run's main task."""

    def __init__(self) -> None:
        self.received: signal.Signals | None = None

    @contextmanager
    def installed(self) -> Iterator[StopSignals]:
        """Cancel the current task on the first SIGTERM/SIGHUP; later ones are ignored."""
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        assert task is not None

        def stop(sig: signal.Signals) -> None:
            if self.received is None:
                self.received = sig
                task.cancel()

        installed = []
        for sig in STOP_SIGNALS:
            try:
                loop.add_signal_handler(sig, stop, sig)
                installed.append(sig)
            except (ValueError, RuntimeError, NotImplementedError):
                pass  # not the main thread (tests) or no signals here: Ctrl-C still works
        try:
            yield self
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)
