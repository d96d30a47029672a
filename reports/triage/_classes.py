"""The failure classes a person triages, and where each one's evidence comes from.

Every class is mapped onto evidence the gym already records — a finding code of a graded
dimension, or an event of the swarm's own log (with a field that must match) — and
nothing else. A class no recorded source shows is listed as *not detectable*, never
guessed. The table is the one place the mapping lives; ``gym triage`` and the report
section read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EventRule:
    """An event of the swarm's log that shows the class: its name, and text it must contain."""

    event: str
    #: Regex searched in the event's JSON text; '' = any event of that name.
    pattern: str = ""

    def matches(self, name: str, text: str) -> bool:
        """True when an event named ``name`` whose JSON is ``text`` shows the class."""
        return name == self.event and (
            not self.pattern or re.search(self.pattern, text) is not None
        )


@dataclass(frozen=True)
class FailureClass:
    """One failure class: its name, words for a person, and its evidence sources."""

    name: str
    title: str
    #: Finding codes (of any dimension) that show it; a message regex narrows a code.
    findings: tuple[tuple[str, str], ...] = ()
    events: tuple[EventRule, ...] = ()
    #: Why it cannot be seen, for a class with no source.
    undetectable: str = ""
    sources: list[str] = field(default_factory=list, compare=False)

    @property
    def detectable(self) -> bool:
        """True when some recorded evidence can show this class."""
        return bool(self.findings or self.events)

    def describe(self) -> str:
        """The evidence sources in words (what the mapping reads)."""
        parts = [f"finding {c}" + (f" ~ /{m}/" if m else "") for c, m in self.findings]
        parts += [
            f"event {e.event}" + (f" ~ /{e.pattern}/" if e.pattern else "") for e in self.events
        ]
        return "; ".join(parts) or f"not detectable: {self.undetectable}"

    def finding_matches(self, code: str, message: str) -> bool:
        """True when a finding with this code and message shows the class."""
        return any(
            code == c and (not m or re.search(m, message, re.I | re.S)) for c, m in self.findings
        )


# Check messages read ``check NAME: <what went wrong>``; the patterns read only what went
# wrong (after ``: ``), never the check's name, and only the Python error or the grader's
# own words, so a check *named* ``missing-file`` is not a filename drift.
_CONTRACT = (
    r": .*(ImportError: cannot import name|AttributeError: module '[^']+' has no attribute|"
    r"TypeError: \S+\(\) (got an unexpected keyword|missing \d+ required|takes \d+))"
)
_FILENAME = r": .*(No module named [\w.]+|can't open file|No such file or directory: '[^']+\.py')"
_SHAPE = r": (stdout is not JSON|JSON .* != expected)|: .*(KeyError: |has no column)"


CLASSES: tuple[FailureClass, ...] = (
    FailureClass(
        "narrated",
        "narrated instead of acting",
        findings=(("zero_tool_calls", ""), ("narrated_attempt", "")),
        events=(EventRule("worker_note", r'"note": "narrated"'),),
    ),
    FailureClass(
        "fake_done",
        "fake done (claimed done, nothing written or checks red)",
        findings=(("fake_done_attempt", ""), ("nothing_written", ""), ("false_green", "")),
    ),
    FailureClass(
        "over_reading",
        "over-reading (many reads, nothing written)",
        events=(EventRule("judge_verdict", r'"verdict": "over_reading"'),),
    ),
    FailureClass(
        "lone_node_stall",
        "lone-node stall",
        findings=(("stall_share", ""), ("scheduler_stuck", "")),
        events=(EventRule("task_retry", r"stall"), EventRule("judge_verdict", r"stall")),
    ),
    FailureClass(
        "contract_drift",
        "contract drift (signature or schema)",
        # a check whose run died importing or calling a name another module does not have
        findings=(("check_failed", _CONTRACT),),
        events=(
            EventRule("smoke", r"import_drift"),
            EventRule("judge_verdict", r'"verdict": "spec_drift"'),
            EventRule("contract_dropped"),
        ),
    ),
    FailureClass(
        "unwired",
        "built but unwired",
        findings=(("unwired_module", ""),),
    ),
    FailureClass(
        "stubs",
        "stubs (pass / ... bodies, NotImplementedError)",
        findings=(("stub_body", ""), ("not_implemented", "")),
    ),
    FailureClass(
        "no_end_to_end",
        "no end-to-end run (the app's entry never ran)",
        events=(EventRule("smoke", r"no_entry_point"),),
    ),
    FailureClass(
        "filename_drift",
        "filename drift (the spec's file or module is not where it should be)",
        findings=(("check_failed", _FILENAME),),
    ),
    FailureClass(
        "data_shape",
        "data-shape mismatch (JSON / columns not as the spec says)",
        findings=(("check_failed", _SHAPE),),
    ),
    FailureClass(
        "tampering",
        "tampering with protected files",
        findings=(("tampered", ""),),
    ),
)


def failure_class(name: str) -> FailureClass:
    """A class by name (KeyError when unknown)."""
    return {c.name: c for c in CLASSES}[name]
