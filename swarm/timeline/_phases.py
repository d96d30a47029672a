"""Phase markers: ``phase_started`` / ``phase_finished`` events around each pipeline step.

The pipeline wraps each step (scout, plan, detail, contracts, build, gates) in
:func:`phase`; the timeline reads the pairs back. The sink is not wrapped: it is the
``integrate-verify`` task inside the build plus the ``sink`` gate, both already logged.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from swarm.protocols import EventSink

#: The phases a timeline knows, in pipeline order (others are kept, drawn after these).
PHASES = ("scout", "plan", "detail", "contracts", "build", "gates", "sink")


@contextlib.contextmanager
def phase(events: EventSink, name: str) -> Iterator[None]:
    """Emit ``phase_started`` now and ``phase_finished`` (with ``elapsed_ms``) on the way out.

    ``ok`` is false when the step raised (the exception still propagates), so a timeline of
    a failed run shows where it stopped.
    """
    started = time.monotonic()
    events.emit("phase_started", phase=name)
    ok = False
    try:
        yield
        ok = True
    finally:
        elapsed = round((time.monotonic() - started) * 1000, 1)
        events.emit("phase_finished", phase=name, elapsed_ms=elapsed, ok=ok)
