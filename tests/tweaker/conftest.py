"""Fixtures for the tweaker tests; the arm helpers of tests/gym_tune are reused."""

from __future__ import annotations

import sys
from pathlib import Path

# --import-mode=importlib does not put test folders on sys.path; the helpers need it.
sys.path.insert(0, str(Path(__file__).parent.parent / "gym_tune"))
