"""Fixtures for the `swarm run` tests; helpers live in swarmrun_support (importable here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# --import-mode=importlib does not put test folders on sys.path; the helpers need it.
sys.path.insert(0, str(Path(__file__).parent))

from swarmrun_support import Recorder  # noqa: E402


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()
