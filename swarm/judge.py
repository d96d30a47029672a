"""The model-free judge: deterministic signals that a running worker is unhealthy.

Only deterministic verdicts may stop a worker. An LLM verdict (``deterministic=False``)
is advisory and the scheduler acts on it only above ``judge.confidence_bar``.

Checks, in order, for a running task that owns files (the integrate-verify sink owns
none and is never judged):

1. an owned Python file on disk that does not compile, untouched for a grace period
   → ``broken_code``;
2. old enough, many tool calls, nothing written → ``over_reading``;
3. old enough and still nothing written, however few the tool calls → ``no_first_write``;
4. files written, but their content unchanged for a stale window → ``looping``.

``salvageable`` decides whether a looping task is marked done (``salvaged``) at once
rather than restarted: it is not a test task and one of its owned files is non-empty on
disk, so the sink's checks become the real gate. ``decide_action`` maps a verdict to what
the scheduler does (none, restart, salvage, accept).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from swarm._paths import owned_path
from swarm.knobs import Knobs, register_knob
from swarm.protocols import Subtask

CONFIDENCE_BAR = register_knob(
    "judge.confidence_bar",
    float,
    0.85,
    # Advisory (LLM) verdicts are wrong often enough that a stop must be near-certain;
    # 0.85 is the reference design's bar and keeps false kills rare on small models.
    "An advisory (non-deterministic) verdict acts only at or above this confidence.",
    bounds=(0.0, 1.0),
    tunable=True,
    tune_bounds=(0.6, 0.99),
)
MIN_AGE_S = register_knob(
    "judge.min_age_s",
    float,
    90.0,
    # A local 30B model needs about a minute of reading before its first useful write;
    # judging earlier kills healthy workers.
    "An attempt younger than this is never judged over_reading or no_first_write.",
    bounds=(0.0, 3600.0),
    tunable=True,
    tune_bounds=(30.0, 600.0),
)
OVER_READING_CALLS = register_knob(
    "judge.over_reading_calls",
    int,
    16,
    # 16 tool calls with nothing written: the over-reading signature seen on 27B models;
    # healthy workers write their first file within ~8 calls.
    "Tool calls with nothing written that mark an attempt as over_reading.",
    bounds=(1, 500),
    tunable=True,
    tune_bounds=(6, 64),
)
NO_WRITE_S = register_knob(
    "judge.no_write_s",
    float,
    300.0,
    # Five minutes without a single write is a stalled or narrating worker even when it
    # makes few tool calls (slow prompt processing on a long context).
    "An attempt this old that has written nothing is judged no_first_write.",
    bounds=(0.0, 7200.0),
    tunable=True,
    tune_bounds=(60.0, 1800.0),
)
STALE_WINDOW_S = register_knob(
    "judge.stale_window_s",
    float,
    180.0,
    # Three minutes of a running worker whose files do not change (it rewrites the same
    # content or only re-reads) is a loop; shorter windows catch slow test runs.
    "Files written but unchanged this long while the attempt runs: looping.",
    bounds=(0.0, 7200.0),
    tunable=True,
    tune_bounds=(60.0, 900.0),
)
BROKEN_GRACE_S = register_knob(
    "judge.broken_grace_s",
    float,
    30.0,
    # Workers often write a file and fix a syntax slip on the next turn; 30 s is about
    # one turn of a local model, so only a file left broken is judged.
    "A non-compiling owned file must be this old (since the last write) to count.",
    bounds=(0.0, 3600.0),
    tunable=True,
    tune_bounds=(0.0, 120.0),
)
INTERVENTION_CAP = register_knob(
    "judge.intervention_cap",
    int,
    2,
    # Two restarts: the first with a note, the second with established work seeded; a
    # third rarely helps and costs the whole task's time budget again.
    "Judge restarts per task; beyond it the judge only reports.",
    bounds=(0, 10),
    tunable=True,
    tune_bounds=(0, 4),
)


class VerdictKind(StrEnum):
    """What the judge concluded about one running attempt."""

    OK = "ok"
    OVER_READING = "over_reading"
    LOOPING = "looping"
    BROKEN_CODE = "broken_code"
    NO_FIRST_WRITE = "no_first_write"
    ACCEPT = "accept"
    # Only the LLM judge (swarm.pipeline.review) says these; both act as a noted restart.
    SPEC_DRIFT = "spec_drift"
    SPLIT = "split"


@dataclass(frozen=True)
class Verdict:
    """A judge's verdict; ``deterministic`` verdicts act regardless of ``confidence``."""

    kind: VerdictKind
    reason: str = ""
    confidence: float = 1.0
    deterministic: bool = True


OK = Verdict(VerdictKind.OK)


class JudgeAction(StrEnum):
    """What the scheduler does about a verdict."""

    NONE = "none"
    RESTART = "restart"
    SALVAGE = "salvage"
    ACCEPT = "accept"


def decide_action(
    verdict: Verdict, *, confidence_bar: float, can_salvage: bool, can_intervene: bool
) -> JudgeAction:
    """The action for a non-ok verdict.

    Advisory verdicts below the bar only report. ``accept`` ends the task as done; a
    loop with output worth keeping is salvaged; anything else restarts the attempt while
    the intervention cap and the attempt ceiling allow, and only reports after that.
    """
    if not verdict.deterministic and verdict.confidence < confidence_bar:
        return JudgeAction.NONE
    if verdict.kind is VerdictKind.ACCEPT:
        return JudgeAction.ACCEPT
    if verdict.kind is VerdictKind.LOOPING and can_salvage:
        return JudgeAction.SALVAGE
    return JudgeAction.RESTART if can_intervene else JudgeAction.NONE


@dataclass(frozen=True)
class TaskView:
    """The live view of one running attempt that the scheduler hands to the judge."""

    task: Subtask
    attempt: int
    epoch: int
    device: str
    now: float
    age_s: float
    tool_calls: int
    files_written: tuple[str, ...]
    last_write_age_s: float | None
    interventions: int
    workdir: Path | None


@dataclass(frozen=True)
class JudgeLimits:
    """The judge's thresholds, read from the knobs once per run."""

    min_age_s: float = MIN_AGE_S.default
    over_reading_calls: int = OVER_READING_CALLS.default
    no_write_s: float = NO_WRITE_S.default
    stale_window_s: float = STALE_WINDOW_S.default
    broken_grace_s: float = BROKEN_GRACE_S.default

    @classmethod
    def from_knobs(cls, knobs: Knobs) -> JudgeLimits:
        """Read every ``judge.*`` threshold from a ``Knobs``."""
        get = knobs.get
        return cls(
            get("judge.min_age_s"),
            get("judge.over_reading_calls"),
            get("judge.no_write_s"),
            get("judge.stale_window_s"),
            get("judge.broken_grace_s"),
        )


class DeterministicJudge:
    """The model-free judge; remembers when each attempt's files last changed content."""

    def __init__(self, limits: JudgeLimits | None = None):
        self.limits = limits or JudgeLimits()
        self._changed: dict[tuple[str, int], tuple[str, float]] = {}

    def assess(self, view: TaskView) -> Verdict:
        """The first deterministic check that fires, or ``ok``."""
        if view.task.is_sink:
            return OK
        for check in (self._broken_code, self._over_reading, self._no_first_write, self._looping):
            verdict = check(view)
            if verdict is not None:
                return verdict
        return OK

    def _broken_code(self, view: TaskView) -> Verdict | None:
        age = view.last_write_age_s
        if view.workdir is None or age is None or age < self.limits.broken_grace_s:
            return None
        for rel in view.task.owned_files:
            error = compile_error(view.workdir, rel)
            if error is not None:
                return Verdict(VerdictKind.BROKEN_CODE, f"{rel} does not compile: {error}")
        return None

    def _over_reading(self, view: TaskView) -> Verdict | None:
        limits = self.limits
        if view.files_written or view.age_s < limits.min_age_s:
            return None
        if view.tool_calls < limits.over_reading_calls:
            return None
        return Verdict(
            VerdictKind.OVER_READING,
            f"{view.tool_calls} tool calls in {view.age_s:.0f}s and nothing "
            f"written; write your owned files now",
        )

    def _no_first_write(self, view: TaskView) -> Verdict | None:
        if view.files_written or view.age_s < max(self.limits.no_write_s, self.limits.min_age_s):
            return None
        return Verdict(
            VerdictKind.NO_FIRST_WRITE,
            f"nothing written after {view.age_s:.0f}s; write your owned files now",
        )

    def _looping(self, view: TaskView) -> Verdict | None:
        if not view.files_written:
            return None
        unchanged_s = self._unchanged_for(view)
        if unchanged_s is None or unchanged_s < self.limits.stale_window_s:
            return None
        return Verdict(
            VerdictKind.LOOPING, f"owned files unchanged for {unchanged_s:.0f}s while still running"
        )

    def _unchanged_for(self, view: TaskView) -> float | None:
        """Seconds since the owned files' content last changed (by content, not by write)."""
        if view.workdir is None:
            return view.last_write_age_s
        key = (view.task.id, view.epoch)
        digest = _content_digest(view.task, view.workdir)
        previous = self._changed.get(key)
        if previous is None or previous[0] != digest:
            since = view.now - (view.last_write_age_s or 0.0) if previous is None else view.now
            self._changed[key] = (digest, since)
            return view.now - since
        return view.now - previous[1]


def compile_error(workdir: Path, rel: str) -> str | None:
    """The syntax error of an owned ``.py`` file on disk, or None (also for other files)."""
    if not rel.endswith(".py"):
        return None
    path = owned_path(workdir, rel)
    if path is None or not path.is_file():
        return None
    try:
        compile(path.read_bytes(), rel, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"{exc.msg} (line {exc.lineno})"
    except ValueError as exc:  # null bytes in the source
        return str(exc)
    return None


def _content_digest(task: Subtask, workdir: Path) -> str:
    digest = hashlib.sha256()
    for rel in sorted(task.owned_files):
        path = owned_path(workdir, rel)
        digest.update(rel.encode() + b"\0")
        digest.update(path.read_bytes() if path is not None and path.is_file() else b"")
    return digest.hexdigest()


def is_test_task(task: Subtask) -> bool:
    """All its owned files are tests (``tests/`` or ``test_*.py`` / ``*_test.py``)."""

    def is_test(rel: str) -> bool:
        path = PurePosixPath(rel)
        return (
            "tests" in path.parts[:-1]
            or path.name.startswith("test_")
            or path.name.endswith("_test.py")
        )

    return bool(task.owned_files) and all(is_test(rel) for rel in task.owned_files)


def salvageable(task: Subtask, workdir: Path | None) -> bool:
    """A non-test task with a non-empty owned file on disk may end as ``salvaged``."""
    if workdir is None or is_test_task(task) or task.is_sink:
        return False
    for rel in task.owned_files:
        path = owned_path(workdir, rel)
        if path is not None and path.is_file() and path.stat().st_size > 0:
            return True
    return False
