"""The work-stealing scheduler: one owner of the run's state; model calls run concurrently.

It is driven through the ``Dispatcher``, ``Judge`` and ``Replanner`` protocols and talks to
the attempts it starts through a typed inbox. ``priority`` orders the ready set;
``placement`` decides whether a task waits for a faster device.
"""

from __future__ import annotations

from swarm.scheduler._scheduler import Scheduler, SchedulerOutcome

__all__ = ["Scheduler", "SchedulerOutcome"]
