"""Grading: the sandbox (the one place untrusted code runs), the task model, seven dimensions.

Public surface is re-exported here; implementation lives in ``_module.py`` files.
"""

from verifier._grade import (
    DETERMINISTIC_DIMENSIONS,
    DIMENSIONS,
    JUDGE_DIMENSIONS,
    DimensionGrade,
    Finding,
    Grade,
    Severity,
    Source,
    Status,
    Verdict,
)
from verifier._task import (
    Archetype,
    Check,
    CheckKind,
    Control,
    ExpectStdout,
    Move,
    Stage,
    Task,
    TaskError,
    load_task,
)

__all__ = [
    "DETERMINISTIC_DIMENSIONS",
    "DIMENSIONS",
    "JUDGE_DIMENSIONS",
    "Archetype",
    "Check",
    "CheckKind",
    "Control",
    "DimensionGrade",
    "ExpectStdout",
    "Finding",
    "Grade",
    "Move",
    "Severity",
    "Source",
    "Stage",
    "Status",
    "Task",
    "TaskError",
    "Verdict",
    "load_task",
]
