"""Grading: the sandbox (the one place untrusted code runs), the task model, seven dimensions.

Public surface is re-exported here; implementation lives in ``_module.py`` files.
"""

from verifier._errors import InputError, SelfTestError, VerifierError
from verifier._evidence import latest_event_log, read_report
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
from verifier._grader import dimension_passes, grade_workdir, verdict_for
from verifier._judge import JudgeReport
from verifier._selftest import SelfTestResult, TreeResult, discover_tasks, self_test
from verifier._task import (
    Archetype,
    Check,
    CheckKind,
    CommandCheck,
    Control,
    ExpectStdout,
    FileContainsCheck,
    FileExistsCheck,
    FileMatchesCheck,
    ForbidsCheck,
    Move,
    Stage,
    Task,
    TaskError,
    ToolCalledCheck,
    load_task,
)
from verifier._text import clean_line
from verifier.sandbox import read_tree_file, read_tree_files, tree_files

__all__ = [
    "InputError",
    "JudgeReport",
    "SelfTestError",
    "SelfTestResult",
    "TreeResult",
    "VerifierError",
    "dimension_passes",
    "discover_tasks",
    "grade_workdir",
    "self_test",
    "verdict_for",
    "DETERMINISTIC_DIMENSIONS",
    "DIMENSIONS",
    "JUDGE_DIMENSIONS",
    "Archetype",
    "Check",
    "CheckKind",
    "CommandCheck",
    "Control",
    "DimensionGrade",
    "ExpectStdout",
    "FileContainsCheck",
    "FileExistsCheck",
    "FileMatchesCheck",
    "ForbidsCheck",
    "Finding",
    "Grade",
    "Move",
    "Severity",
    "Source",
    "Stage",
    "Status",
    "Task",
    "TaskError",
    "ToolCalledCheck",
    "Verdict",
    "clean_line",
    "latest_event_log",
    "load_task",
    "read_report",
    "read_tree_file",
    "read_tree_files",
    "tree_files",
]
