"""Configuration labels: short, unique, leading with what differs; a legend to the full definition.

Public surface::

    config_labels(runs, group_by) -> Labels      (Labels.short(key), Labels.items)
"""

from reports.labels._labels import MAX_LABEL, ConfigLabel, Labels, config_labels

__all__ = ["MAX_LABEL", "ConfigLabel", "Labels", "config_labels"]
