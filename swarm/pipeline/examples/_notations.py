"""The registry of notation parsers: each reads one way specs write examples.

A parser is deterministic and conservative: it returns only what it read unambiguously,
each example with the index of the unit it came from, so the extractor knows which
example-looking units no parser read (those go to one model call).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from swarm.pipeline.examples._document import SpecDoc
from swarm.pipeline.examples._model import Example


class NotationParser(Protocol):
    """Reads one notation: (unit index, example) pairs of a split spec."""

    name: str

    def parse(self, doc: SpecDoc) -> list[tuple[int, Example]]:
        """Every example of this notation in ``doc``."""
        ...


_PARSERS: dict[str, NotationParser] = {}


def notation(cls: Callable[[], NotationParser]) -> Callable[[], NotationParser]:
    """Class decorator: register one instance of a notation parser under its name."""
    parser = cls()
    _PARSERS[parser.name] = parser
    return cls


def notation_parsers() -> dict[str, NotationParser]:
    """The registered parsers by name, in registration order."""
    import swarm.pipeline.examples._commands  # noqa: F401 - each registers itself
    import swarm.pipeline.examples._expressions  # noqa: F401
    import swarm.pipeline.examples._transcript  # noqa: F401

    return dict(_PARSERS)
