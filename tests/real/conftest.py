"""The real-model tier: llama.cpp serving tiny GGUF weights shipped as packages.

Every test here is marked ``real`` and deselected by default; ``.ci/run`` installs the
``real`` extra and runs them with ``pytest -m real``. Each model call is bounded in tokens
and time: the models are tiny and slow on two cores, and must fail honestly, not hang.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gym.models import LlamaServer

# --import-mode=importlib does not put test folders on sys.path; the helpers need it.
sys.path.insert(0, str(Path(__file__).parent))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this folder is the real tier."""
    for item in items:
        if "tests/real/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.real)


@pytest.fixture(scope="session")
def smollm2() -> Iterator[LlamaServer]:
    """SmolLM2-135M-Instruct on a free loopback port for the whole session."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("the real extra is not installed: pip install -e '.[real]'")
    with LlamaServer("smollm2") as server:
        yield server
