"""The worker's knobs, registered at import time, and their resolved values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from swarm.knobs import register_knob

register_knob(
    "worker.turn_cap",
    int,
    40,
    "Model turns per attempt before it is stopped.",
    bounds=(1, 500),
    tunable=True,
)
register_knob(
    "worker.output_cap",
    int,
    30_000,
    "Characters of one tool result shown to the model (a marker says what was cut).",
    bounds=(1_000, 1_000_000),
)
register_knob(
    "worker.context_chars",
    int,
    60_000,
    "Conversation size (characters) above which old tool results are compacted; "
    "~15k tokens keeps a 32k-context local model safe.",
    bounds=(4_000, 2_000_000),
    tunable=True,
)
register_knob(
    "worker.keep_recent_turns",
    int,
    2,
    "Most recent turns whose tool results are never compacted.",
    bounds=(0, 50),
)
register_knob(
    "worker.write_first",
    bool,
    True,
    "Tell the worker its first action is writing its owned files; pre-create folders.",
    tunable=True,
)
register_knob(
    "worker.inject_deps",
    bool,
    True,
    "Put the dependency tasks' files into the prompt so the worker never has to read.",
    tunable=True,
)
register_knob(
    "worker.dep_chars",
    int,
    40_000,
    "Budget (characters) of dependency files injected into one prompt.",
    bounds=(0, 1_000_000),
)
register_knob(
    "worker.fake_done_gate",
    bool,
    True,
    "`done` with an owned file unwritten (for the sink: with no successful run_command "
    "after its last failed call or write) becomes a content retry.",
    tunable=True,
)
register_knob(
    "worker.syntax_gate",
    bool,
    True,
    "`done` with an owned .py file that does not parse becomes a content retry.",
    tunable=True,
)
register_knob(
    "worker.narration_nudges",
    int,
    2,
    "Prose-only answers nudged back to the tools before the attempt is stopped.",
    bounds=(0, 20),
    tunable=True,
)
register_knob(
    "worker.command_timeout_s",
    float,
    60.0,
    "Timeout of one run_command call (seconds).",
    bounds=(1.0, 3600.0),
)
register_knob(
    "worker.stream",
    bool,
    True,
    "Stream model answers (lets the idle watchdog catch a stalled node).",
)
register_knob(
    "worker.temperature",
    float,
    0.2,
    "Sampling temperature of worker calls.",
    bounds=(0.0, 2.0),
    tunable=True,
)
register_knob(
    "worker.truncation_retries",
    int,
    2,
    "Answers cut at the output token limit (their tool calls never run) tolerated per "
    "attempt; each one tells the model to write smaller pieces.",
    bounds=(0, 20),
)
register_knob(
    "worker.overflow_retries",
    int,
    3,
    "Context-overflow refusals per attempt answered by a smaller prompt before it stops.",
    bounds=(0, 20),
)
register_knob(
    "worker.probe_context",
    bool,
    True,
    "Ask each node's server for its context window (llama.cpp, LM Studio, Ollama) when the "
    "node URL gives no ?ctx=, so prompts are sized before the first call.",
)
register_knob(
    "worker.chars_per_token",
    float,
    3.0,
    "Characters per token assumed when sizing a prompt to a node's context window "
    "(code runs ~3-4; lower is safer).",
    bounds=(1.0, 8.0),
)
register_knob(
    "worker.reply_share",
    float,
    0.35,
    "Share of a node's context window kept free for the model's answer.",
    bounds=(0.05, 0.9),
)


@dataclass(frozen=True)
class WorkerSettings:
    """Resolved worker knobs (defaults match the registered defaults)."""

    turn_cap: int = 40
    output_cap: int = 30_000
    context_chars: int = 60_000
    keep_recent_turns: int = 2
    write_first: bool = True
    inject_deps: bool = True
    dep_chars: int = 40_000
    fake_done_gate: bool = True
    syntax_gate: bool = True
    narration_nudges: int = 2
    command_timeout_s: float = 60.0
    stream: bool = True
    temperature: float = 0.2
    truncation_retries: int = 2
    overflow_retries: int = 3
    probe_context: bool = True
    chars_per_token: float = 3.0
    reply_share: float = 0.35
    skeleton: bool = True
    """Skeleton-first / stub-first (the ``skeleton.enabled`` knob, see ``_skeleton``)."""

    @classmethod
    def from_knobs(cls, knobs: Any) -> WorkerSettings:
        """Read every ``worker.*`` knob (and ``skeleton.enabled``) from resolved knobs."""
        names = cls.__dataclass_fields__
        return cls(**{name: knobs.get(_KNOB_NAMES.get(name, f"worker.{name}")) for name in names})


#: Settings whose knob is not ``worker.<field>``.
_KNOB_NAMES = {"skeleton": "skeleton.enabled"}
