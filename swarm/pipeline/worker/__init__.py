"""The tool-calling worker: the swarm's Dispatcher, its tools, prompts and knobs."""

from swarm.pipeline.worker._context import WorkerContext
from swarm.pipeline.worker._loop import AttemptStopped, Worker, error_class_of, syntax_error_of
from swarm.pipeline.worker._prompts import SUPERVISOR_PREFIX, WorkerBrief, worker_user_message
from swarm.pipeline.worker._settings import WorkerSettings
from swarm.pipeline.worker._tools import (
    TOOL_SPECS,
    TRUNCATION_MARKER,
    Toolbox,
    ToolError,
    ToolOutcome,
    ToolPolicy,
    cap_output,
    confine,
)
from swarm.pipeline.worker._transcript import transcript_path

__all__ = [
    "SUPERVISOR_PREFIX",
    "TOOL_SPECS",
    "TRUNCATION_MARKER",
    "AttemptStopped",
    "ToolError",
    "ToolOutcome",
    "ToolPolicy",
    "Toolbox",
    "Worker",
    "WorkerBrief",
    "WorkerContext",
    "WorkerSettings",
    "cap_output",
    "confine",
    "error_class_of",
    "syntax_error_of",
    "transcript_path",
    "worker_user_message",
]
