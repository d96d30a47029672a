"""The worker's prompts: one system message and one user message per attempt.

The plain-text markers (``PROJECT SPEC:``, ``OWNED FILES:``, ``FROZEN INTERFACES:``,
``SUPERVISOR NOTE — ...``) are part of the prompt every model sees: they give a
small model fixed anchors to find the spec, its files and the frozen contracts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from swarm.pipeline.worker._skeleton import SKELETON_INSTRUCTION

#: The prefix of every content retry (the scheduler's supervisor note).
SUPERVISOR_PREFIX = "SUPERVISOR NOTE — your previous attempt was stopped: "

WORKER_SYSTEM = """\
You are a senior Python engineer in a team of agents building one project together.
You own a few files of it; other agents write the other files at the same time.

How you work:
- Act only through the tools. Never describe code in prose: write it with write_file.
- Your very first action is to write each of your OWNED FILES with complete, working code.
  Always write whole files, never diffs or placeholders; no `pass`, `...` or TODO bodies.
- Follow the FROZEN INTERFACES exactly when given: same module paths, names, signatures,
  table columns and command-line subcommands/flags, spelled verbatim.
- Use only the Python standard library unless the spec says otherwise.
- Paths are relative to the project root. Write only your own files.
- When your files are written, you may check them with run_command (e.g.
  `python -c "import pkg.mod"` or `python -m pytest -q`), fix what fails, then call done
  with a one-line summary.
"""


@dataclass
class WorkerBrief:
    """Everything a worker prompt is built from (plain data, no model types)."""

    spec: str
    task_id: str
    description: str
    owned_files: Sequence[str]
    detail: str = ""
    frozen_interfaces: str = ""
    dependency_files: Mapping[str, str] = field(default_factory=dict)
    clarifications: Sequence[str] = ()
    supervisor_note: str | None = None
    review_findings: str = ""
    prior_work: Mapping[str, str] = field(default_factory=dict)
    current_files: Mapping[str, str] = field(default_factory=dict)
    mcp_tools: Sequence[str] = ()
    write_first: bool = True
    scout_findings: str = ""
    skeleton_files: Sequence[str] = ()
    """Owned files to write as an importable skeleton first (skeleton-first/stub-first)."""


def supervisor_line(note: str) -> str:
    """The supervisor note with its fixed prefix exactly once."""
    note = note.strip()
    return note if note.startswith("SUPERVISOR NOTE") else SUPERVISOR_PREFIX + note


def _files_block(title: str, files: Mapping[str, str]) -> str:
    parts = [title]
    for path, text in files.items():
        parts.append(f"=== FILE: {path} ===\n{text.rstrip()}")
    return "\n".join(parts)


_DEPS_TITLE = (
    "DEPENDENCY FILES:\nAlready written by other agents; import from them, do not rewrite them."
)
_CURRENT_TITLE = (
    "CURRENT FILES:\nYour owned files already exist; change them as the spec "
    "asks and write each back in full."
)
_PRIOR_TITLE = "PREVIOUS ATTEMPT FILES:\nYour previous attempt left these; fix or rewrite them."
_SINK_ROLE = (
    "YOUR ROLE: integrate and verify. You own no file. With run_command: run the entry point "
    "(`python -m <package> --help`), then every example command the spec gives and compare "
    "its output with the spec's values character for character; create an input file the "
    "example needs inside the same command, under $TMPDIR (`printf '...' > $TMPDIR/in.csv && "
    "python -m pkg $TMPDIR/in.csv`), so no scratch file is left in the project. Run the test "
    "suite. Fix whatever fails or differs in any file with write_file, re-run to confirm, "
    "then call done."
)


def _opening(brief: WorkerBrief) -> list[str]:
    sections = []
    if brief.supervisor_note:
        sections.append(supervisor_line(brief.supervisor_note))
    if brief.review_findings:
        sections.append(f"REVIEW FINDINGS:\n{brief.review_findings.strip()}")
    sections.append(f"PROJECT SPEC:\n{brief.spec.strip()}")
    sections.append(f"YOUR SUBTASK: {brief.task_id} — {brief.description.strip()}")
    if brief.detail.strip():
        sections.append(f"IMPLEMENTATION NOTES:\n{brief.detail.strip()}")
    return sections


def _context(brief: WorkerBrief) -> list[str]:
    sections = []
    if brief.frozen_interfaces.strip():
        sections.append(f"FROZEN INTERFACES:\n{brief.frozen_interfaces.strip()}")
    for title, files in (
        (_DEPS_TITLE, brief.dependency_files),
        (_CURRENT_TITLE, brief.current_files),
        (_PRIOR_TITLE, brief.prior_work),
    ):
        if files:
            sections.append(_files_block(title, files))
    if brief.clarifications:
        answers = "\n".join(f"- {a}" for a in brief.clarifications)
        sections.append(f"USER CLARIFICATIONS:\n{answers}")
    if brief.scout_findings.strip():
        sections.append(brief.scout_findings.strip())
    if brief.mcp_tools:
        sections.append("Documentation tools available: " + ", ".join(brief.mcp_tools))
    return sections


def _closing(brief: WorkerBrief) -> list[str]:
    """Ownership last: small models act on what they read most recently."""
    if not brief.owned_files:
        return [_SINK_ROLE]
    sections = ["OWNED FILES: " + ", ".join(brief.owned_files)]
    if brief.write_first:
        sections.append(
            "Your very first action must be to write each of these files with "
            "write_file, using exactly these paths (their folders already exist)."
        )
    if brief.skeleton_files:
        sections.append(SKELETON_INSTRUCTION.format(files=", ".join(brief.skeleton_files)))
    return sections


def worker_user_message(brief: WorkerBrief) -> str:
    """The user message of one attempt; sections appear only when they have content."""
    return "\n\n".join(_opening(brief) + _context(brief) + _closing(brief))


NARRATION_NUDGE = (
    "You answered in prose without calling a tool. Nothing was written. Act through the tools "
    "now: call write_file for each of your owned files ({files}), then done."
)

SINK_NUDGE = (
    "You answered in prose without calling a tool. Use run_command to run the entry point and "
    "the spec's example commands, fix what fails with write_file, then call done."
)

TRUNCATED_RESULT = (
    "error: NOT executed. Your answer was cut off at the output token limit, so this call's "
    "arguments are incomplete. Write smaller pieces: a shorter file (fewer comments and "
    "docstrings, helpers instead of repetition), one write_file call per answer."
)

TRUNCATED_NOTE = (
    "your answers were cut off at the output token limit {n} times, so their tool calls "
    "never ran; write smaller pieces: short files, one write_file call per answer"
)

SINK_UNVERIFIED_NOTE = (
    "you called done, but no run_command of yours succeeded after your last failed call "
    "or file change; "
    "run the entry point and the spec's example commands with run_command, fix what fails "
    "with write_file, re-run until they succeed, then call done"
)

OVERFLOW_NOTE = (
    "the prompt did not fit the node's context window ({chars} characters, refused "
    "{n} times even after cutting it); write short files and read only what you need"
)
