"""What a run cost: the swarm's tokens per node, priced by the node's own ``usd_in`` /
``usd_out`` (USD per million prompt / completion tokens, given on its URL).

Tokens per node come from the swarm's event log of each turn: every model call is a
``model_call`` event naming its node (contract 2). A price is never invented — there is no
built-in price table — so the total is ``None``, with the reason, as soon as a real node
that spent tokens has no price, or tokens the swarm reported cannot be put on a node.
Simulated nodes cost 0 and the note says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ledger import Ledger, LedgerError, NodeRecord, read_jsonl

#: Prices are per this many tokens.
PER_TOKENS = 1_000_000


@dataclass
class NodeUsage:
    """Tokens one node spent (as its server reported them)."""

    prompt: int = 0
    completion: int = 0

    @property
    def total(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt + self.completion


@dataclass
class RunCost:
    """The run's cost: a total (None = unknown, ``note`` says why) and each node's share."""

    cost_usd: float | None
    note: str
    #: Node name -> tokens, its price and its cost (None: no price), as summary.json shows.
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)


def node_usage(events: Iterable[Mapping[str, Any]]) -> dict[str, NodeUsage]:
    """Tokens per node from one event log's ``model_call`` events (other events ignored)."""
    usage: dict[str, NodeUsage] = {}
    for event in events:
        if event.get("event") != "model_call" or not isinstance(event.get("node"), str):
            continue
        one = usage.setdefault(event["node"], NodeUsage())
        one.prompt += _count(event.get("prompt_tokens"))
        one.completion += _count(event.get("completion_tokens"))
    return usage


def price_run(
    fleet: Sequence[NodeRecord], usage: Mapping[str, NodeUsage], unattributed: int = 0
) -> RunCost:
    """Price ``usage`` with the fleet's own prices; ``unattributed`` tokens are on no node."""
    by_name = {n.name: n for n in fleet}
    nodes, reasons, total = {}, [], 0.0
    for name, used in sorted(usage.items()):
        if not used.total:
            continue
        row, reason = _node_cost(by_name.get(name), name, used)
        nodes[name] = row
        if reason:
            reasons.append(reason)
        else:
            total += row["cost_usd"]
    all_simulated = bool(fleet) and all(n.simulated for n in fleet)
    if unattributed and not all_simulated:
        reasons.append(
            f"{unattributed} token(s) the swarm reported are on no node (no model_call events)"
        )
    if not nodes and not unattributed and not all_simulated:
        reasons.append("the swarm reported no tokens, so what it spent is unknown")
    if reasons:
        return RunCost(None, "not priced: " + "; ".join(reasons), nodes)
    return RunCost(round(total, 6), _priced_note(nodes, all_simulated), nodes)


def _node_cost(node: NodeRecord | None, name: str, used: NodeUsage) -> tuple[dict[str, Any], str]:
    row: dict[str, Any] = {
        "prompt_tokens": used.prompt,
        "completion_tokens": used.completion,
        "usd_in": node.usd_in if node else None,
        "usd_out": node.usd_out if node else None,
        "cost_usd": None,
        "note": "",
    }
    if node is None:
        row["note"] = "not in the run's fleet"
        return row, f"node {name} is not in the run's fleet"
    if node.simulated:
        row.update(cost_usd=0.0, note="simulated: costs 0")
        return row, ""
    if node.usd_in is None or node.usd_out is None:
        row["note"] = "no price (give usd_in and usd_out on its URL)"
        return row, f"node {name} has no price"
    cost = (used.prompt * node.usd_in + used.completion * node.usd_out) / PER_TOKENS
    row["cost_usd"] = round(cost, 6)
    return row, ""


def _priced_note(nodes: Mapping[str, Mapping[str, Any]], all_simulated: bool) -> str:
    simulated = [n for n, row in nodes.items() if row["note"].startswith("simulated")]
    if all_simulated or (simulated and len(simulated) == len(nodes)):
        return "simulated nodes cost 0"
    note = "sum over the nodes' own prices (usd_in / usd_out per million tokens)"
    return note + ("; simulated nodes cost 0" if simulated else "")


def run_cost(ledger: Ledger, run_id: str, episode_ids: Iterable[str]) -> RunCost:
    """The cost of these episodes of a run (all their turns), priced by the run's fleet."""
    usage: dict[str, NodeUsage] = {}
    unattributed = 0
    for episode_id in episode_ids:
        logs = {a.turn: a for a in ledger.artifacts(episode_id, kind="events")}
        for turn in ledger.turns(episode_id):
            per_node = node_usage(_events(ledger, logs.get(turn.turn)))
            for name, used in per_node.items():
                into = usage.setdefault(name, NodeUsage())
                into.prompt += used.prompt
                into.completion += used.completion
            on_nodes = sum(u.total for u in per_node.values())
            unattributed += max(0, turn.prompt_tokens + turn.completion_tokens - on_nodes)
    return price_run(ledger.run(run_id).fleet, usage, unattributed)


def _events(ledger: Ledger, ref: Any) -> list[dict[str, Any]]:
    """The log's JSON objects; [] when there is none or it does not open (then its tokens
    count as on no node)."""
    if ref is None:
        return []
    try:
        return [e for e in read_jsonl(ledger.artifact_path(ref)) if e]
    except (OSError, LedgerError):
        return []


def _count(value: Any) -> int:
    """A token count from untrusted JSON: a non-negative int, else 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
