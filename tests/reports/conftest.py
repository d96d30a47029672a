"""Fixtures: ledgers with runs whose outcomes the test chooses."""

from __future__ import annotations

import pytest

from ledger import Ledger, add_synthetic_run


@pytest.fixture
def ledger(tmp_path):
    with Ledger.open(tmp_path / ".gym") as opened:
        yield opened


@pytest.fixture
def run_with():
    """``run_with(ledger, [True, False, ...], **options)`` -> run id (see ledger.SyntheticPlan)."""
    return add_synthetic_run
