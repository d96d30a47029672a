"""Package boundaries: ledger and reports never import the harness or the swarm."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["ledger", "reports"])
def test_package_imports_neither_gym_nor_swarm(package):
    code = (
        f"import sys, {package}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'gym', 'swarm'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


@pytest.mark.parametrize("package", ["ledger", "reports"])
def test_public_names_are_all_exported_and_documented(package):
    module = __import__(package)
    for name in module.__all__:
        value = getattr(module, name)
        if callable(value):
            assert value.__doc__, f"{package}.{name} has no docstring"
