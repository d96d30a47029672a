"""Which runs a triage covers, resolved from what a person types."""

from __future__ import annotations

from collections.abc import Sequence

from ledger import Ledger


def resolve_runs(ledger: Ledger, refs: Sequence[str]) -> list[str]:
    """Run ids for ``refs`` (ids, unique prefixes, ``last``); none given = the last run.

    Repeats are dropped, order kept; an unknown or ambiguous ref raises the ledger's error.
    """
    ids: list[str] = []
    for ref in refs or ["last"]:
        run_id = ledger.resolve_run(ref)
        if run_id not in ids:
            ids.append(run_id)
    return ids
