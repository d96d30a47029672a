"""Differences between two pass rates with their interval, and A/B experiments in words.

Public surface::

    episode_difference(a, b, outcome) -> Difference   (paired when episodes pair one to one)
    paired_difference(a, b), unpaired_difference(k_a, n_a, k_b, n_b)
    experiment_view(decision, statistics) -> ExperimentView
"""

from reports.difference._difference import (
    PAIR_KEY,
    Difference,
    episode_difference,
    keyed,
    paired_difference,
    unpaired_difference,
)
from reports.difference._experiment import (
    ENDPOINTS,
    EndpointRow,
    ExperimentView,
    experiment_view,
)

__all__ = [
    "ENDPOINTS",
    "PAIR_KEY",
    "Difference",
    "EndpointRow",
    "ExperimentView",
    "episode_difference",
    "experiment_view",
    "keyed",
    "paired_difference",
    "unpaired_difference",
]
