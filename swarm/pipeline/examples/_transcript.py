"""The shell-transcript notation: ``$ cmd`` lines in a code block, each followed by its output.

The commands of one block are a session: each example replays the block's earlier
commands first (their output unchecked), in the same fresh copy, so state they create
(a file, a record) is there as the transcript shows.
"""

from __future__ import annotations

from swarm.pipeline.examples._document import Block, SpecDoc
from swarm.pipeline.examples._model import Example
from swarm.pipeline.examples._notations import notation

_PROMPTS = ("$ ", "% ")


def _session(block: Block) -> list[tuple[int, str, list[str]]]:
    """(line, command, output lines) for every prompt line of the block."""
    steps: list[tuple[int, str, list[str]]] = []
    for offset, line in enumerate(block.text.splitlines()):
        if line.startswith(_PROMPTS) and line[2:].strip():
            steps.append((block.line + offset, line[2:].strip(), []))
        elif steps:
            steps[-1][2].append(line)
    return steps


@notation
class Transcript:
    """``$ python -m app add milk`` then the lines it prints, until the next prompt."""

    name = "transcript"

    def parse(self, doc: SpecDoc) -> list[tuple[int, Example]]:
        """Every prompt line of every block, with the session's earlier commands as setup."""
        found = []
        for index, unit in enumerate(doc.units):
            if unit.block is None:
                continue
            done: list[str] = []
            for line, command, output in _session(unit.block):
                example = Example(
                    command=command,
                    expected="\n".join(output),
                    files=doc.files_before(unit.block.line),
                    setup=list(done),
                    notation=self.name,
                    line=line,
                )
                found.append((index, example))
                done.append(command)
        return found
