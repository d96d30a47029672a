"""Done when: `gym tasks check` passes for every catalog task, broken controls included.

Each task grades its references and controls in the sandbox (tens of seconds), so these
run with `-m slow`; `gym tasks check` runs the same self-test from the command line.
"""

from __future__ import annotations

import pytest

from gym.catalog import CATALOG_DIR
from verifier import discover_tasks, self_test

TASKS = discover_tasks(CATALOG_DIR, errors=[])


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS, ids=[t.id for t in TASKS])
def test_catalog_task_passes_its_self_test(task) -> None:
    result = self_test(task)
    assert result.ok, [t.model_dump() for t in result.trees if not t.ok]
