"""Text output: ``name: count=4 sum=10.00 ... stdev=1.29`` per column."""

from csvstats.stats import Summary

FIELDS = ("sum", "mean", "median", "min", "max", "stdev")


def _fixed(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def render(summaries: dict[str, Summary]) -> str:
    """One line per column."""
    lines = []
    for name, s in summaries.items():
        parts = [f"count={s.count}"] + [f"{f}={_fixed(getattr(s, f))}" for f in FIELDS]
        lines.append(f"{name}: " + " ".join(parts))
    return "".join(line + "\n" for line in lines)


def render_grouped(groups: dict[str, dict[str, Summary]]) -> str:
    """Lines prefixed with ``[GROUP] ``."""
    return "".join(f"[{group}] {line}\n" for group, summaries in groups.items()
                   for line in render(summaries).splitlines())
