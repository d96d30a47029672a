"""``checks``: the task's golden-value checks and hidden tests, run against the app.

The app's own test suite is run and reported as an info finding, but its green count
never makes this dimension pass: a swarm can write tests that agree with its own bugs.
"""

from __future__ import annotations

from verifier import sandbox
from verifier._dimensions._context import GradeContext, deterministic, inconclusive
from verifier._grade import DimensionGrade, Finding, Severity, Status


def _finding(result) -> Finding:
    label = f"{'hidden ' if result.hidden else ''}check {result.name}"
    if result.status is Status.FAIL:
        return Finding(
            code="check_failed", message=f"{label}: {result.message}", severity=Severity.HIGH
        )
    return Finding(
        code="check_inconclusive", message=f"{label}: {result.message}", severity=Severity.INFO
    )


def _own_suite_finding(ctx: GradeContext) -> list[Finding]:
    suite = ctx.own_suite
    if suite is None:
        return []
    return [
        Finding(
            code="own_suite",
            severity=Severity.INFO,
            message=f"app's own tests ({suite.status}, not counted): {suite.message}",
        )
    ]


def _unconfined(results) -> list[Finding]:
    """A check that ran unconfined could read the golden values and rewrite its own oracle."""
    levels = {r.isolation for r in results if r.isolation} - sandbox.CONFINED_LEVELS
    if not levels:
        return []
    message = f"checks ran unconfined (isolation {', '.join(sorted(levels))}): not trusted"
    return [Finding(code="sandbox_unconfined", message=message, severity=Severity.HIGH)]


def grade_checks(ctx: GradeContext) -> DimensionGrade:
    """Pass only when every check ran and passed; any failure fails the dimension.

    Checks that ran code outside a confining sandbox level grade inconclusive, whatever
    they said: the app could have read the catalog's golden values or changed the tests.
    """
    results = ctx.check_results
    if not results:
        return inconclusive("no_checks", "the task has no checks at this stage")
    untrusted = _unconfined(results)
    if untrusted:
        return deterministic(Status.INCONCLUSIVE, 0.0, untrusted + _own_suite_finding(ctx))
    findings = [_finding(r) for r in results if r.status is not Status.PASS]
    findings += _own_suite_finding(ctx)
    passed = sum(r.status is Status.PASS for r in results)
    statuses = {r.status for r in results}
    if Status.FAIL in statuses:
        status = Status.FAIL
    elif Status.INCONCLUSIVE in statuses:
        status = Status.INCONCLUSIVE
    else:
        status = Status.PASS
    return deterministic(status, passed / len(results), findings)
