"""The spec-examples reader (``SpecExamples``): what the swarm asks when its parsers are stuck.

The swarm sends the passages its notation parsers could not read ("after adding three
items, `cmd` prints ..."). Turning prose set-up into commands is a model's judgment the
simulator does not fake: it answers, validly, that it found no further examples, so a
simulated run's sink gate rests on the parsed examples alone.
"""

from __future__ import annotations

from typing import Any


def spec_examples() -> dict[str, Any]:
    """A valid ``SpecExamples`` answer with no examples."""
    return {"examples": []}
