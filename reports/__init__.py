"""Reports: the self-contained HTML report, paired run comparison and the statistics behind them.

Public surface::

    build_report(ledger, out, *, run_ids, group_by, timeline, max_episodes, comparison)
    compare_runs(data, baseline, candidate) -> Comparison      (load(ledger) -> ReportData)
    difference_between(data, baseline_runs, candidate_runs) -> Difference (paired or unpaired)
    wilson, pass_hat_k, mcnemar_exact, paired_bootstrap, mde_pass_rate, mde_score
    export_frame, write_export; comparison_table, mde_sentence   (CLI output)
    ReportError, ComparisonError
"""

from reports._build import DEFAULT_MAX_EPISODES, ReportSummary, build_report
from reports._compare import (
    Comparison,
    DimensionChange,
    compare_runs,
    difference_between,
    pair_episodes,
)
from reports._data import GROUP_KEYS, ReportData, load
from reports._errors import ComparisonError, ReportError
from reports._export import export_frame, write_export
from reports._stats import (
    BootstrapResult,
    Interval,
    McNemarResult,
    mcnemar_exact,
    mde_pass_rate,
    mde_score,
    paired_bootstrap,
    pass_hat_k,
    wilson,
)
from reports._table import comparison_table, mde_sentence
from reports.difference import Difference

__all__ = [
    "DEFAULT_MAX_EPISODES",
    "GROUP_KEYS",
    "BootstrapResult",
    "Comparison",
    "ComparisonError",
    "Difference",
    "DimensionChange",
    "Interval",
    "McNemarResult",
    "ReportData",
    "ReportError",
    "ReportSummary",
    "build_report",
    "compare_runs",
    "comparison_table",
    "difference_between",
    "export_frame",
    "load",
    "mcnemar_exact",
    "mde_pass_rate",
    "mde_sentence",
    "mde_score",
    "pair_episodes",
    "paired_bootstrap",
    "pass_hat_k",
    "wilson",
    "write_export",
]
