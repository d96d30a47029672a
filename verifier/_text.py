"""Untrusted text (app output, model answers) made safe for one terminal or HTML line."""

from __future__ import annotations

import re

# C0 controls except tab/newline, DEL, ANSI escapes' ESC, zero-width and bidi overrides.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object, limit: int = 300) -> str:
    """One line, no control characters, at most ``limit`` characters (then an ellipsis)."""
    flat = _CONTROL.sub("", str(text)).replace("\r", " ").replace("\n", " ").strip()
    return flat if len(flat) <= limit else flat[:limit] + "…"
