"""The spec's examples: extracted before the build, run and compared in code after it.

Notation parsers (a registry: shell transcripts, "`cmd` prints `X`", expressions under a
usage line) read what they can; one structured model call reads what they left. After the
build each example runs in the sandbox and its output is compared in code, trailing
whitespace aside. The integrate-verify sink's gate is this comparison.
"""

from __future__ import annotations

from swarm.pipeline.examples._command import (
    BadExamplesInput,
    ExamplesRequest,
    render_outcome,
    run_request,
)
from swarm.pipeline.examples._compare import diff, normalise, same_output
from swarm.pipeline.examples._document import SpecDoc, split_spec
from swarm.pipeline.examples._extract import (
    admissible,
    ask_model,
    extract_examples,
    read_examples,
)
from swarm.pipeline.examples._model import (
    Example,
    ExampleResult,
    Extraction,
    Fragment,
    SpecExamples,
    Verdict,
)
from swarm.pipeline.examples._notations import NotationParser, notation, notation_parsers
from swarm.pipeline.examples._run import (
    ExamplesOutcome,
    Status,
    run_example,
    run_examples,
    verdict,
)

__all__ = [
    "BadExamplesInput",
    "ExamplesRequest",
    "render_outcome",
    "run_request",
    "Example",
    "ExampleResult",
    "ExamplesOutcome",
    "Extraction",
    "Fragment",
    "NotationParser",
    "SpecDoc",
    "SpecExamples",
    "Status",
    "Verdict",
    "admissible",
    "ask_model",
    "diff",
    "extract_examples",
    "normalise",
    "notation",
    "notation_parsers",
    "read_examples",
    "run_example",
    "run_examples",
    "same_output",
    "split_spec",
    "verdict",
]
