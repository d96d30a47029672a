"""Suite-wide guards: nothing leaves 127.0.0.1, seeds are fixed."""

from __future__ import annotations

import os

# Set before any transport is built; inherited by every subprocess the tests start.
os.environ["SWARM_GYM_LOOPBACK_ONLY"] = "1"
for _name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_BASE_URL"):
    os.environ.pop(_name, None)
