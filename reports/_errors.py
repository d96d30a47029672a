"""Errors raised while building reports or comparing runs.

::

    ReportError          bad report options (unknown --group-by, no such timeline turn)
    └── ComparisonError  two runs that cannot be compared (no pairs, real vs simulated)
"""

from __future__ import annotations


class ReportError(Exception):
    """A report cannot be built as asked; ``str(err)`` is one line."""


class ComparisonError(ReportError):
    """Two runs cannot be compared (nothing pairs, or one is simulated and one is real)."""
