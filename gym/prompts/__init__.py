"""The harness brain's prompts: jinja templates (``*.j2``), their rendering, the structured ask.

``render`` fills a template; ``ask_brain`` asks the brain for a validated answer, retrying
before it calls the failure infrastructure.
"""

from __future__ import annotations

from gym.prompts._ask import BRAIN_ATTEMPTS, ask_brain
from gym.prompts._render import render

__all__ = [
    "ask_brain",
    "BRAIN_ATTEMPTS",
    "render",
]
