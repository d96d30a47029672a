"""What a person watching `gym run` sees: the banner, live progress and the final summary."""

from __future__ import annotations

from gym.display._banner import (
    REAL_MODELS_HINT,
    SIMULATED_LINE,
    RunSummary,
    print_banner,
    print_summary,
    run_summary,
)
from gym.display._progress import (
    LiveProgress,
    PlainProgress,
    RunProgress,
    errors_table,
    summary_table,
)

__all__ = [
    "errors_table",
    "LiveProgress",
    "PlainProgress",
    "print_banner",
    "print_summary",
    "REAL_MODELS_HINT",
    "run_summary",
    "RunProgress",
    "RunSummary",
    "SIMULATED_LINE",
    "summary_table",
]
