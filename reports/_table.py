"""The comparison as a terminal table (``gym regress`` prints it)."""

from __future__ import annotations

from rich.table import Table

from reports._compare import Comparison, DimensionChange


def _fmt(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _result(ch: DimensionChange) -> str:
    return "REGRESSION" if ch.regressed else "improved" if ch.improved else "no sig. change"


def comparison_table(c: Comparison) -> Table:
    """One row per dimension: paired counts, McNemar, bootstrap, adjusted p, MDE, result."""
    table = Table(
        title=f"{c.candidate} vs baseline {c.baseline}: {c.n_pairs} pairs (task, seed)",
        caption=difference_sentence(c),
    )
    table.add_column("dimension", no_wrap=True)
    for column in (
        "pairs",
        "base",
        "cand",
        "flips -/+",
        "McNemar p (adj)",
        "score Δ [95% CI]",
        "bootstrap p (adj)",
        "MDE",
    ):
        table.add_column(column, justify="right")
    table.add_column("result", no_wrap=True)
    for ch in c.changes:
        boot = ch.score_test
        table.add_row(
            ch.dimension,
            str(ch.n_pairs),
            _fmt(ch.base_mean, 2),
            _fmt(ch.cand_mean, 2),
            f"{ch.pass_test.regressed}/{ch.pass_test.improved}",
            f"{_fmt(ch.pass_test.p_value)} ({_fmt(ch.p_pass_adj)})",
            f"{_fmt(boot.mean_delta)} [{_fmt(boot.low)}, {_fmt(boot.high)}]" if boot else "—",
            f"{_fmt(boot.p_value)} ({_fmt(ch.p_score_adj)})" if boot else "—",
            _fmt(ch.mde_score),
            _result(ch),
        )
    return table


def difference_sentence(c: Comparison) -> str:
    """The final pass-rate difference with its interval, in words ('' when not computed)."""
    d = c.pass_diff
    if d is None:
        return ""
    return (
        f"Final pass rate (last graded turn): {d.rate_a:.0%} -> {d.rate_b:.0%}, "
        f"difference {d.text()} (candidate - baseline, 95%, {d.method})."
    )


def mde_sentence(c: Comparison) -> str:
    """The minimum detectable effect, stated in words."""
    head = (
        f"Minimum detectable effect with {c.n_pairs} pairs (power 80%, alpha {c.alpha}/"
        f"{c.family_size} tests): "
    )
    if c.mde_pass is None:
        return head + "too few pairs to detect any pass-rate change."
    return head + f"a pass-rate drop of {c.mde_pass:.0%}."
