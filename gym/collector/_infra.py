"""Tell infrastructure failures apart from the swarm failing the task.

A swarm that ran and produced bad code failed the task. A swarm that could not
run — rejected its configuration, crashed with a traceback, or found no fleet
node answering — tells us nothing about the swarm, so the episode is recorded
as ``infra_error`` instead of a red verdict.
"""

from __future__ import annotations

from gym.collector._evidence import Evidence
from gym.errors import InfraError, SwarmRejectedError

#: Contract-2 exit codes: 0 done, 1 failed, 2 bad usage/config, 3 stuck, 130 interrupted.
SWARM_OUTCOME_CODES = {0, 1, 3, 130}
#: Error text of attempts that never reached a model.
UNREACHABLE_MARKERS = (
    "connection refused",
    "connect",
    "unreachable",
    "name or service",
    "no route",
    "cannot reach",
    "does not answer",
)


def infra_error(evidence: Evidence) -> InfraError | None:
    """The infrastructure failure behind a turn, or None when the swarm really ran."""
    if evidence.run.exit_code == 2 and not evidence.run.timed_out:
        line = _last_line(evidence.run.stderr)
        return SwarmRejectedError(f"swarm rejected its configuration (exit 2): {line}")
    problem = infra_problem(evidence)
    return InfraError(problem) if problem else None


def infra_problem(evidence: Evidence) -> str | None:
    """One line naming the infrastructure failure, or None when the swarm really ran."""
    run = evidence.run
    if run.timed_out or run.interrupted:
        return None
    if run.exit_code is None:
        return _last_line(run.stderr) or "swarm could not be started"
    if run.exit_code == 2:
        return f"swarm rejected its configuration (exit 2): {_last_line(run.stderr)}"
    if run.exit_code not in SWARM_OUTCOME_CODES:
        return f"swarm crashed (exit {run.exit_code}): {_last_line(run.stderr)}"
    if evidence.report is None and evidence.event_count == 0:
        # Not even a run_started event: the swarm died before it began (an import error,
        # a broken install), which says nothing about how it builds software.
        return f"swarm died before starting (exit {run.exit_code}): {_last_line(run.stderr)}"
    if _fleet_unreachable(evidence):
        return "no fleet node answered: every attempt failed to connect"
    return None


def _fleet_unreachable(evidence: Evidence) -> bool:
    """Every attempt of every task failed before reaching a model, and nothing was written."""
    tasks = (evidence.report or {}).get("tasks") or []
    attempts = [a for t in tasks for a in (t.get("attempt_history") or [])]
    if not attempts or evidence.files_written or evidence.tool_calls:
        return False
    errors = [str(a.get("error") or "").lower() for a in attempts]
    return all(any(m in e for m in UNREACHABLE_MARKERS) for e in errors)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
