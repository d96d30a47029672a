"""Fixtures: the tiny `greet` task under fixtures/ and fresh workdirs copied from its trees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from verifier import Task, load_task

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def greet_task() -> Task:
    """The fixture task (read-only: tests copy trees out of it before changing anything)."""
    return load_task(FIXTURES / "greet")


@pytest.fixture
def reference_copy(tmp_path: Path, greet_task: Task) -> Path:
    """A writable copy of the reference tree, standing in for a swarm's workdir."""
    assert greet_task.root is not None
    return Path(shutil.copytree(greet_task.root / "reference", tmp_path / "work"))


@pytest.fixture(params=["openai", "anthropic"])
def protocol(request: pytest.FixtureRequest) -> str:
    """Each wire protocol the simulator's HTTP server speaks."""
    return request.param
