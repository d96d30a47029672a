"""Live progress of a run and its final summary.

On a terminal, a rich live panel shows episodes done / running / failed, each
running episode's turn and phase, elapsed time and the running pass rate. Off a
terminal (CI, pipes, tests) one plain line is printed per finished episode. Both show an
estimate of the time left. Progress goes to stderr; results go to stdout.
Task ids and errors may come from a model: they are printed as plain text,
never interpreted as rich markup.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from rich import box
from rich.console import Console, Group
from rich.live import Live
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from gym.episode import EpisodeResult, Outcome
from gym.generator import EpisodePlan


@dataclass
class _Running:
    task: str
    persona: str
    turn: int = 0
    phase: str = "starting"


@dataclass
class RunProgress:
    """Tracks the run's state; :class:`LiveProgress` and :class:`PlainProgress` show it."""

    total: int
    console: Console
    started: float = field(default_factory=time.monotonic)
    running: dict[int, _Running] = field(default_factory=dict)
    results: list[EpisodeResult] = field(default_factory=list)

    def episode_started(self, plan: EpisodePlan, task: str) -> None:
        """An episode began on ``task``."""
        self.running[plan.index] = _Running(task, plan.persona)

    def phase(self, index: int, turn: int, phase: str) -> None:
        """Episode ``index`` entered ``phase`` of ``turn``."""
        if index in self.running:
            self.running[index].turn, self.running[index].phase = turn, phase

    def episode_finished(self, result: EpisodeResult) -> None:
        """An episode ended."""
        self.running.pop(result.plan.index, None)
        self.results.append(result)

    def counts(self) -> Counter[str]:
        """Finished episodes by outcome."""
        return Counter(r.outcome.value for r in self.results)

    def pass_rate(self) -> float | None:
        """Share of graded episodes that passed (infra errors and interruptions excluded)."""
        graded = [
            r for r in self.results if r.outcome in (Outcome.PASS, Outcome.PARTIAL, Outcome.FAIL)
        ]
        return sum(r.outcome == Outcome.PASS for r in graded) / len(graded) if graded else None

    def eta_s(self) -> float | None:
        """Seconds left at the pace so far (finished episodes per second); None before any."""
        done = len(self.results)
        if not done:
            return None
        return (time.monotonic() - self.started) / done * max(self.total - done, 0)

    def eta_text(self) -> str:
        """``eta 1m05s``, or ``eta –`` before the first episode finishes."""
        eta = self.eta_s()
        if eta is None:
            return "eta –"
        minutes, seconds = divmod(round(eta), 60)
        return f"eta {minutes}m{seconds:02d}s" if minutes else f"eta {seconds}s"

    def render(self) -> Group:
        """The live panel."""
        counts, rate = self.counts(), self.pass_rate()
        failed = counts["fail"] + counts["infra_error"]
        head = Text(
            f"episodes {len(self.results)}/{self.total} done · {len(self.running)} running · "
            f"{failed} failed · {time.monotonic() - self.started:.0f}s elapsed · pass rate "
            + ("–" if rate is None else f"{rate:.0%}")
        )
        table = Table(box=None, show_header=True, pad_edge=False)
        for column in ("#", "task", "persona", "turn", "phase"):
            table.add_column(column)
        for index, item in sorted(self.running.items()):
            table.add_row(str(index), Text(item.task), item.persona, str(item.turn), item.phase)
        return Group(head, table)


class LiveProgress(RunProgress):
    """The rich live display (a terminal is attached): a bar with elapsed time and an ETA
    (rich's TimeRemainingColumn, from the pace of finished episodes) above the panel."""

    def __enter__(self) -> LiveProgress:
        self._bar = Progress(
            TextColumn("episodes"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=self.console,
        )
        self._bar_task = self._bar.add_task("episodes", total=self.total)
        self._live = Live(
            self.render(),
            console=self.console,
            refresh_per_second=4,
            get_renderable=self.render,
            transient=True,
        )
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.__exit__(None, None, None)

    def render(self) -> Group:
        """The bar with its ETA, then the panel."""
        panel = super().render()
        bar = getattr(self, "_bar", None)
        return panel if bar is None else Group(bar.get_renderable(), panel)

    def episode_finished(self, result: EpisodeResult) -> None:
        """Advance the bar (its ETA follows)."""
        super().episode_finished(result)
        if getattr(self, "_bar", None) is not None:
            self._bar.advance(self._bar_task)


class PlainProgress(RunProgress):
    """One line per finished episode (no terminal)."""

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def episode_finished(self, result: EpisodeResult) -> None:
        """Print the finished episode's line."""
        super().episode_finished(result)
        line = (
            f"[{len(self.results)}/{self.total}] episode {result.plan.index} "
            f"{result.task} ({result.plan.persona}): {result.outcome.value} after "
            f"{result.turns} turn(s) in {result.elapsed_s:.1f}s · {self.eta_text()}"
        )
        self.console.print(Text(line + (f" — {result.error}" if result.error else "")))


#: Short names of the seven dimensions, in the order the summary shows them.
_DIM_HEADERS = {
    "swarm": "s",
    "checks": "c",
    "diagnostics": "d",
    "cluster": "k",
    "requirements": "r",
    "code_quality": "q",
    "bugs": "b",
}
_STATUS_MARK = {"pass": "✓", "partial": "~", "fail": "✗", "inconclusive": "?"}


def summary_table(results: list[EpisodeResult]) -> Table:
    """The end-of-run table: one row per episode, its outcome and each dimension's status."""
    table = Table(
        title="episodes",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        caption="s swarm · c checks · d diagnostics · k cluster · r requirements · "
        "q code quality · b bugs: ✓ pass ~ partial ✗ fail ? inconclusive",
    )
    table.add_column("#", no_wrap=True)
    table.add_column("archetype", no_wrap=True)
    table.add_column("persona", overflow="ellipsis", no_wrap=True)
    table.add_column("task", overflow="ellipsis", no_wrap=True, min_width=6)
    table.add_column("turns", no_wrap=True)
    table.add_column("outcome", no_wrap=True)
    table.add_column(" ".join(_DIM_HEADERS.values()), no_wrap=True)
    for r in sorted(results, key=lambda r: r.plan.index):
        marks = " ".join(_STATUS_MARK.get(r.dimensions.get(d, ""), " ") for d in _DIM_HEADERS)
        table.add_row(
            str(r.plan.index),
            r.plan.archetype.split("-")[0],
            r.plan.persona,
            Text(r.task),
            str(r.turns),
            r.outcome.value,
            marks,
        )
    return table


def errors_table(results: list[EpisodeResult]) -> Table | None:
    """Infrastructure errors, one line each (they are not the swarm's failures)."""
    failed = [r for r in results if r.error]
    if not failed:
        return None
    table = Table(title="infrastructure errors", show_header=False)
    table.add_column("#")
    table.add_column("error", overflow="fold")
    for r in failed:
        table.add_row(str(r.plan.index), Text(r.error))
    return table
