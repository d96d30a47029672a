"""The four deterministic dimensions, registered by name; each reads one GradeContext.

``checks`` needs the check results, which the grader computes first (they run in the
sandbox); ``swarm`` then compares the swarm's claim with them.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier._dimensions._context import GradeContext, deterministic
from verifier._dimensions.checks import grade_checks
from verifier._dimensions.cluster import grade_cluster
from verifier._dimensions.diagnostics import grade_diagnostics
from verifier._dimensions.swarm import grade_swarm
from verifier._grade import DimensionGrade

Grader = Callable[[GradeContext], DimensionGrade]

# Order matters: swarm's honesty findings read the checks grade.
REGISTRY: dict[str, Grader] = {
    "checks": grade_checks,
    "swarm": grade_swarm,
    "diagnostics": grade_diagnostics,
    "cluster": grade_cluster,
}

__all__ = ["REGISTRY", "GradeContext", "Grader", "deterministic"]
