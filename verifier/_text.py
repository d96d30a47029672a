"""Untrusted text (app output, model answers, produced trees) made safe for one line.

The one scrubber of the project: every place that shows untrusted text on a terminal, in a
CLI message or in a prompt goes through :func:`clean_line`.
"""

from __future__ import annotations

import re

# C0 controls except tab/newline (newlines are flattened below), DEL and the C1 controls
# (a terminal reads 0x9b as CSI), zero-width characters and bidi overrides (they reorder
# what a reader sees).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_line(text: object, limit: int | None = 300) -> str:
    """One line, no control characters, at most ``limit`` characters (then an ellipsis)."""
    flat = _CONTROL.sub("", str(text)).replace("\r", " ").replace("\n", " ").strip()
    return flat if limit is None or len(flat) <= limit else flat[:limit] + "…"
