"""A real local Ray instance for the `ray` tier: 2 CPUs, loopback, shut down at session end.

Tests that use it are marked ``ray`` (deselected by default; ``pytest -m ray`` runs them).
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ray_instance():
    """Start Ray once for the session; the ray executor joins it instead of starting its own."""
    ray = pytest.importorskip("ray", reason="the ray extra is not installed")
    ray.init(
        address="local",  # never join a cluster `ray start` may have left on this machine
        num_cpus=2,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        log_to_driver=False,
        configure_logging=False,
    )
    try:
        yield ray
    finally:
        ray.shutdown()
