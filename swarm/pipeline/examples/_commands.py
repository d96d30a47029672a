"""The prose-command notation: "`python -m app ARGS` prints `X`" or "... prints" + a block.

The command must be runnable as written (no ``NAME`` or ``[--opt]`` placeholders) and
self-contained: "after adding three items, `cmd` prints ..." needs state the prose sets
up, so that sentence is left for the model call.
"""

from __future__ import annotations

from swarm.pipeline.examples._document import SpecDoc
from swarm.pipeline.examples._model import Example
from swarm.pipeline.examples._notations import notation
from swarm.pipeline.examples._phrases import (
    has_placeholder,
    has_precondition,
    is_command,
    output_of,
    phrases,
)


@notation
class ProseCommand:
    """A command in a code span, an example verb, and a literal output or block."""

    name = "prose"

    def parse(self, doc: SpecDoc) -> list[tuple[int, Example]]:
        """Every self-contained command phrase of the spec."""
        found = []
        for index, unit in enumerate(doc.units):
            for phrase in phrases(unit):
                if phrase.listed or phrase.verb in ("is", "=") or not is_command(phrase.subject):
                    continue
                if has_placeholder(phrase.subject) or has_precondition(unit, phrase.offset):
                    continue
                example = Example(
                    command=phrase.subject.strip(),
                    expected=output_of(unit, phrase),
                    files=doc.files_before(unit.line_at(phrase.offset)),
                    notation=self.name,
                    line=unit.line_at(phrase.offset),
                )
                found.append((index, example))
        return found
