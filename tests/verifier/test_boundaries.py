"""The verifier grades any swarm through its CLI contract: it imports no swarm or gym code."""

from __future__ import annotations

import subprocess
import sys

import verifier

PROBE = (
    "import sys, verifier, verifier.sandbox, verifier.ast_review;"
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'swarm', 'gym', 'ledger', 'reports'}))"
)


def test_verifier_imports_no_swarm_gym_ledger_or_reports_code() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_exported_name_exists_and_is_documented() -> None:
    for name in verifier.__all__:
        obj = getattr(verifier, name)
        if callable(obj) and not isinstance(obj, tuple):
            assert obj.__doc__, name


def test_sandbox_and_ast_review_keep_their_contract_names() -> None:
    from verifier import ast_review, sandbox

    assert {"run", "run_async", "Limits", "SandboxResult"} <= set(sandbox.__all__)
    assert "review_tree" in ast_review.__all__
