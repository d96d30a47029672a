"""Fixtures of the reliability suite (the helpers live in ``reliability_support.py``).

The suite pins what happens under faults and abuse; docs/reliability.md lists each one
with its test. Everything here is offline and bounded in time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# --import-mode=importlib does not put test folders on sys.path; the helpers need it.
sys.path.insert(0, str(Path(__file__).parent))

from reliability_support import fake_config_for, write_greet_catalog  # noqa: E402

from gym.config import GymConfig  # noqa: E402


@pytest.fixture
def greet_catalog(tmp_path: Path) -> Path:
    """The greet catalog under the test's tmp_path."""
    return write_greet_catalog(tmp_path / "catalog")


@pytest.fixture
def fake_config(tmp_path: Path, greet_catalog: Path) -> GymConfig:
    """A run of the fake swarm on the greet catalog with the in-process sim brain."""
    return fake_config_for(tmp_path, greet_catalog)
