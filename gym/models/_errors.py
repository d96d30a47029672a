"""What can go wrong finding or serving a real model."""

from __future__ import annotations

from gym.errors import GymError


class ModelsError(GymError):
    """A model is unknown, not installed, or its server did not come up (one line)."""
