"""Tell infrastructure failures apart from the swarm failing the task.

A swarm that ran and produced bad code failed the task. A swarm that could not
run — rejected its configuration, crashed with a traceback, found no fleet node
answering, or said itself that it ended before any model had a chance to build (its
report's ``infra_reason``) — tells us nothing about the swarm, so the turn is recorded
as an infrastructure failure instead of a red verdict.

Connection failures come in two kinds told apart by their error text: *unreachable*
(refused, unknown host, no route: no model was ever reached) and *dropped* (a node that
answered and then lost the connection mid-answer).
"""

from __future__ import annotations

from gym.collector._evidence import Evidence
from gym.errors import InfraError, SwarmRejectedError
from verifier import clean_line

#: Contract-2 exit codes: 0 done, 1 failed, 2 bad usage/config, 3 stuck, 130 interrupted.
SWARM_OUTCOME_CODES = {0, 1, 3, 130}
#: Error text of attempts that never reached a model (refused, unknown host, no route).
UNREACHABLE_MARKERS = (
    "connection refused",
    "failed to connect",
    "cannot connect",
    "all connection attempts failed",
    "failed to establish",
    "unreachable",
    "name or service not known",
    "nodename nor servname",
    "name resolution",
    "getaddrinfo",
    "could not resolve",
    "unknown host",
    "no route",
    "cannot reach",
    "does not answer",
)
#: Error text of attempts whose connection was lost after the node answered.
DROPPED_MARKERS = (
    "connection dropped",
    "disconnected",
    "connection reset",
    "reset by peer",
    "peer closed",
    "remote end closed",
    "incomplete chunked read",
    "remoteprotocolerror",
    "broken pipe",
    "connection aborted",
    "connection lost",
)


def connection_failure(error: str) -> str | None:
    """``dropped``, ``unreachable`` or None for one attempt's error text.

    Dropped is tested first: "connection dropped" must never read as a failure to connect.
    """
    text = error.lower()
    if any(m in text for m in DROPPED_MARKERS):
        return "dropped"
    if any(m in text for m in UNREACHABLE_MARKERS):
        return "unreachable"
    return None


def infra_error(evidence: Evidence) -> InfraError | None:
    """The infrastructure failure behind a turn, or None when the swarm really ran.

    A swarm that names its own ``infra_reason`` is never read as rejecting its configuration:
    a failed probe in one episode need not stop the run.
    """
    if (
        evidence.run.exit_code == 2
        and not evidence.run.timed_out
        and not _swarm_infra_reason(evidence)
    ):
        line = _last_line(evidence.run.stderr)
        return SwarmRejectedError(f"swarm rejected its configuration (exit 2): {line}")
    problem = infra_problem(evidence)
    return InfraError(problem) if problem else None


def infra_problem(evidence: Evidence) -> str | None:
    """One line naming the infrastructure failure, or None when the swarm really ran."""
    run = evidence.run
    reason = _swarm_infra_reason(evidence)
    if reason and not run.interrupted:
        return f"swarm ended before any model could build: {reason}"
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
    return _fleet_connections(evidence)


def _swarm_infra_reason(evidence: Evidence) -> str:
    """The report's ``infra_reason`` (request shape refused, probe failed, all quarantined)."""
    reason = (evidence.report or {}).get("infra_reason")
    return clean_line(str(reason), 300) if reason else ""


def _fleet_connections(evidence: Evidence) -> str | None:
    """Every attempt of every task lost its connection and nothing was written: which way."""
    tasks = (evidence.report or {}).get("tasks") or []
    attempts = [a for t in tasks for a in (t.get("attempt_history") or [])]
    if not attempts or evidence.files_written or evidence.tool_calls:
        return None
    kinds = [connection_failure(str(a.get("error") or "")) for a in attempts]
    if None in kinds:
        return None
    dropped = kinds.count("dropped")
    if not dropped:
        return "no fleet node answered: every attempt failed to connect (refused or unknown host)"
    return (
        f"fleet connections dropped: every attempt lost its connection "
        f"({dropped} dropped mid-answer, {len(kinds) - dropped} unreachable)"
    )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
