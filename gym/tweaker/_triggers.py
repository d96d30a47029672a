"""Cluster reds of a finished run, as triggers the tweaker can act on.

The ``cluster`` dimension grades each turn on its own and names a node only in a
finding's message (``node sim-a did 77% …``); its retry and stall shares are run-wide,
so they say *that* the fleet retried, not *which* node failed. A trigger therefore reads
two sources, both recorded by the run:

- the cluster findings of every graded turn (``starved_node``, ``overloaded_node``), the
  node taken from the message; a node is a trigger when the finding recurs in at least
  :data:`RECURRING` of the turns graded;
- the swarm's own report of each turn (``tasks[].attempt_history``): per node, the share
  of attempts that failed (the run-wide ``retry_share`` broken down by node) and that
  stalled; and, fleet-wide, the attempts stopped by the turn cap or the context window.

Thresholds are the cluster dimension's own (25% retries, 10% stalls), applied per node
with a minimum number of attempts so that one unlucky attempt is not a trigger.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ledger import Ledger

#: A node whose attempts failed more often than this is retrying (the cluster dimension's).
RETRY_SHARE = 0.25
#: A node whose attempts stalled more often than this is stalling (the cluster dimension's).
STALL_SHARE = 0.10
#: Attempts on one node before its shares are trusted.
MIN_ATTEMPTS = 4
#: A spread finding counts when it recurs in at least this share of the graded turns.
RECURRING = 0.5
#: Attempts ended by the turn cap / context window, as a share of all attempts, that trigger.
LIMIT_SHARE = 0.10

_NODE = re.compile(r"\bnode (\S+) did\b")
_TURN_CAP = re.compile(r"turn cap of \d+ reached")
_CONTEXT = re.compile(r"did not fit the node's context window|context_overflow|context length")
_STALL = re.compile(r"stall")


@dataclass(frozen=True)
class Trigger:
    """One cluster red: what it is, on which node (if one), and the evidence in words."""

    #: starved_node | overloaded_node | node_retry_share | node_stall_share | turn_cap |
    #: context_limit
    code: str
    #: The node it is about; '' for a fleet-wide trigger.
    node: str
    #: One line: the measured evidence (numbers from the ledger, never model text).
    evidence: str
    #: How strong it is (a share in 0..1): triggers are acted on strongest first.
    share: float

    def label(self) -> str:
        """``code[node]: evidence`` — how a proposal names its trigger."""
        where = f"[{self.node}]" if self.node else ""
        return f"{self.code}{where}: {self.evidence}"


@dataclass
class NodeStats:
    """Attempts a node made over a run, and how they ended."""

    attempts: int = 0
    failed: int = 0
    stalled: int = 0


@dataclass
class RunUsage:
    """What a run's turns say about its fleet (the trigger rules' input)."""

    nodes: dict[str, NodeStats] = field(default_factory=dict)
    #: Cluster findings per (code, node), counted once per graded turn.
    spread: Counter[tuple[str, str]] = field(default_factory=Counter)
    graded_turns: int = 0
    attempts: int = 0
    turn_cap: int = 0
    context: int = 0


def run_usage(ledger: Ledger, run_id: str) -> RunUsage:
    """Gather a run's per-node attempts and cluster findings from the ledger."""
    usage = RunUsage()
    for episode in ledger.episodes(run_id):
        for turn in ledger.turns(episode.id):
            _add_report(usage, turn.report if isinstance(turn.report, dict) else {})
        for grade in ledger.grades(episode.id):
            if grade.dimension != "cluster":
                continue
            usage.graded_turns += 1
            for finding in grade.findings:
                match = _NODE.search(finding.message)
                if finding.code in ("starved_node", "overloaded_node") and match:
                    usage.spread[(finding.code, match.group(1))] += 1
    return usage


def _add_report(usage: RunUsage, report: dict[str, Any]) -> None:
    for task in report.get("tasks") or []:
        if not isinstance(task, dict):
            continue
        for attempt in task.get("attempt_history") or []:
            if isinstance(attempt, dict):
                _add_attempt(usage, attempt)


def _add_attempt(usage: RunUsage, attempt: dict[str, Any]) -> None:
    stats = usage.nodes.setdefault(str(attempt.get("device") or "?"), NodeStats())
    text = f"{attempt.get('outcome') or ''} {attempt.get('error') or ''}"
    stats.attempts += 1
    usage.attempts += 1
    if str(attempt.get("outcome") or "") not in ("ok", "done", ""):
        stats.failed += 1
    if _STALL.search(text):
        stats.stalled += 1
    if _TURN_CAP.search(text):
        usage.turn_cap += 1
    if _CONTEXT.search(text):
        usage.context += 1


def find_triggers(usage: RunUsage) -> list[Trigger]:
    """The run's cluster reds as triggers, strongest first."""
    found = _node_shares(usage) + _spread(usage) + _limits(usage)
    return sorted(found, key=lambda t: (-t.share, t.code, t.node))


def _node_shares(usage: RunUsage) -> list[Trigger]:
    found = []
    for name, stats in sorted(usage.nodes.items()):
        if stats.attempts < MIN_ATTEMPTS:
            continue
        retry, stall = stats.failed / stats.attempts, stats.stalled / stats.attempts
        if retry > RETRY_SHARE:
            found.append(
                Trigger(
                    "node_retry_share",
                    name,
                    f"{stats.failed} of {stats.attempts} attempts failed ({retry:.0%} > "
                    f"{RETRY_SHARE:.0%})",
                    retry,
                )
            )
        if stall > STALL_SHARE:
            found.append(
                Trigger(
                    "node_stall_share",
                    name,
                    f"{stats.stalled} of {stats.attempts} attempts stalled ({stall:.0%} > "
                    f"{STALL_SHARE:.0%})",
                    stall,
                )
            )
    return found


def _spread(usage: RunUsage) -> list[Trigger]:
    found = []
    turns = max(usage.graded_turns, 1)
    for (code, node), count in sorted(usage.spread.items()):
        share = count / turns
        if share >= RECURRING:
            found.append(
                Trigger(code, node, f"cluster {code} in {count} of {turns} graded turns", share)
            )
    return found


def _limits(usage: RunUsage) -> list[Trigger]:
    found = []
    total = max(usage.attempts, 1)
    for code, count, what in (
        ("turn_cap", usage.turn_cap, "hit the turn cap"),
        ("context_limit", usage.context, "did not fit the context window"),
    ):
        if usage.attempts and count / total > LIMIT_SHARE:
            found.append(Trigger(code, "", f"{count} of {total} attempts {what}", count / total))
    return found


def run_triggers(ledger: Ledger, run_id: str) -> list[Trigger]:
    """The cluster reds of one recorded run, strongest first."""
    return find_triggers(run_usage(ledger, run_id))
