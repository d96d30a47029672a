"""The simulator reads the catalog as data: brain imports no gym or verifier code."""

from __future__ import annotations

import subprocess
import sys

import brain.sim


def test_the_default_catalog_is_read_without_importing_gym_or_verifier() -> None:
    code = (
        "import sys; from brain.sim import make_policy; from brain.sim._catalog import "
        "default_catalog_dir; p = make_policy('competent'); "
        "print(default_catalog_dir().as_posix()); "
        "print([m for m in sys.modules if m.split('.')[0] in ('gym', 'verifier', 'swarm')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    catalog, imported = out.stdout.splitlines()
    assert catalog.endswith("gym/catalog") and imported == "[]"


def test_public_names_are_all_exported() -> None:
    for name in brain.sim.__all__:
        assert getattr(brain.sim, name) is not None
    assert brain.sim.SimServer.__name__ == "SimServer"
