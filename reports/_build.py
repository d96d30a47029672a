"""Build the self-contained HTML report from the ledger.

Real and simulated runs are split into two partitions before any statistic is computed,
so no table, figure or ranking ever compares a simulated result with a real one. Jinja
autoescaping is on for every template: model output reaches the page only as text.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from plotly.offline import get_plotlyjs

from ledger import Ledger, LedgerError
from reports import _figures as figs
from reports._cluster import NodeWork, Timeline, node_work, read_timeline
from reports._compare import Comparison, final_grades
from reports._data import GROUP_KEYS, ReportData, load
from reports._drilldown import episode_context
from reports._errors import ReportError
from reports._leaderboard import MIN_PASS_K_TASKS, LeaderRow, leaderboard
from reports._quality import Breakdown, HonestyRow, breakdown, honesty
from reports._stats import Interval, wilson
from reports._trend import TrendPoint, trend
from reports.difference import ExperimentView, experiment_view
from reports.labels import Labels, config_labels
from reports.triage import triage_section
from verifier import DIMENSIONS

DEFAULT_MAX_EPISODES = 300


@dataclass
class ExperimentRow:
    """An A/B experiment with each arm's pass rate as the ledger has it."""

    name: str
    #: adopt | reject | inconclusive, as recorded.
    decision: str
    #: Knob -> the value arm B tried.
    knob_deltas: dict[str, Any]
    #: The experiment's flat statistics and provenance, as recorded.
    statistics: dict[str, Any]
    #: (arm, run id, Wilson pass-rate interval); None when the run has no complete episode.
    arms: list[tuple[str, str, Interval | None]]
    #: The statistics as a table of endpoints and the decision in words.
    view: ExperimentView | None = None


@dataclass
class Board:
    """The leaderboard of one suite: only runs of the same task set are ranked together."""

    #: The suite's name, or ``(ad hoc runs)`` for runs without one.
    suite: str
    rows: list[LeaderRow]
    #: The leaderboard chart; None when there are no rows.
    figure: figs.Figure | None = None
    #: The table's element id; the report's first leaderboard is ``leaderboard``.
    table_id: str = ""


@dataclass
class Partition:
    """Every comparison section for one side of the real / simulated divide."""

    #: ``real`` or ``sim``: prefixes the partition's figure ids.
    key: str
    title: str
    simulated: bool
    #: Runs on this side of the divide.
    runs: int
    #: Episodes of those runs.
    episodes: int
    #: One leaderboard per suite.
    boards: list[Board]
    #: Dimensions on any leaderboard row, in verifier order.
    dimensions: list[str]
    #: Mean scores by archetype and by persona.
    breakdowns: list[Breakdown]
    trend: list[TrendPoint]
    #: False green / false red rates per configuration.
    honesty: list[HonestyRow]
    #: Only the experiments of this side.
    experiments: list[ExperimentRow]
    #: Work per fleet node over the partition's turns.
    nodes: list[NodeWork]
    #: Section name -> figure; sections with nothing to draw have none.
    figures: dict[str, figs.Figure] = field(default_factory=dict)
    #: Short label of every configuration on this side, with its full definition.
    labels: Labels = field(default_factory=Labels)


@dataclass
class ReportSummary:
    """What was written."""

    path: Path
    #: Size of the written HTML file.
    bytes: int
    #: Runs in the report, real and simulated.
    runs: int
    #: Episodes in the report (the drill-down may show fewer).
    episodes: int
    #: Figures embedded, timeline included.
    figures: int


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=True,  # every template, whatever its name: model output is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def build_report(
    ledger: Ledger,
    out: Path,
    *,
    run_ids: list[str] | None = None,
    group_by: str = "config",
    timeline: str | None = None,
    max_episodes: int = DEFAULT_MAX_EPISODES,
    comparison: Comparison | None = None,
    title: str = "swarm-gym report",
    bundle: bool = False,
    served: bool = False,
) -> ReportSummary:
    """Render the report for ``run_ids`` (all runs when None) to ``out``.

    ``bundle`` embeds the artifacts in the page; ``served`` says ``gym view`` serves them.
    """
    if group_by not in GROUP_KEYS:
        raise ReportError(f"unknown --group-by {group_by!r}; choose {', '.join(GROUP_KEYS)}")
    out = Path(out)
    if out.is_dir():  # checked before the minutes of rendering, not at the rename
        raise ReportError(
            f"--out {out} is a directory; give a file name, e.g. {out / 'report.html'}"
        )
    data = load(ledger, run_ids)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create {out.parent}: {exc.strerror or exc}") from None
    parts = [
        p for p in (_partition(data, False, group_by), _partition(data, True, group_by)) if p.runs
    ]
    _name_first_bars(parts)
    chosen, chosen_sim = _timeline(ledger, data, timeline) or (None, False)
    gantt = figs.gantt_figure("timeline-gantt", chosen) if chosen and chosen.bars else None
    figure_count = sum(len(p.figures) for p in parts) + (gantt is not None)
    html = (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            ledger_path=str(ledger.path),
            partitions=parts,
            group_by=group_by,
            timeline=chosen,
            timeline_sim=chosen_sim,
            timeline_figure=gantt,
            **episode_context(
                data, ledger, out.parent.resolve(), max_episodes, bundle=bundle, served=served
            ),
            total_episodes=len(data.episodes),
            comparison=comparison,
            plotly_gz=plotly_gzip_base64(),
            min_pass_k_tasks=MIN_PASS_K_TASKS,
            triage_html=triage_section(
                ledger, run_ids
            ),  # failure classes, traces, per-version rates
        )
    )
    _write_atomically(out, html)
    return ReportSummary(out, out.stat().st_size, len(data.runs), len(data.episodes), figure_count)


@cache
def plotly_gzip_base64() -> str:
    """plotly.js gzipped and base64-encoded: embedded once, unpacked by the browser.

    The full bundle is 4.8 MB of a 4.9 MB report; gzipped it is about 1.5 MB (2 MB as
    base64). The page unpacks it with the browser's DecompressionStream, offline, no CDN.
    ``mtime=0`` keeps the report byte-identical from build to build.
    """
    packed = gzip.compress(get_plotlyjs().encode("utf-8"), compresslevel=6, mtime=0)
    return base64.b64encode(packed).decode("ascii")


def _name_first_bars(parts: list[Partition]) -> None:
    """Stable ids for the first leaderboard (``leaderboard``) and its chart (``pass-by-config``)."""
    boards = [b for p in parts for b in p.boards]
    if boards:
        boards[0].table_id = "leaderboard"
    for figure in (b.figure for b in boards if b.figure is not None):
        figure.id = "pass-by-config"
        return


def _write_atomically(out: Path, text: str) -> None:
    """Write then rename: a reader (or a nightly upload) never sees half a report."""
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:  # a full disk, a directory in the way: one line, no leftover
        tmp.unlink(missing_ok=True)
        raise ReportError(f"cannot write {out}: {exc.strerror or exc}") from exc


def _partition(data: ReportData, simulated: bool, group_by: str) -> Partition:
    part = data.partition(simulated)
    key = "sim" if simulated else "real"
    title = (
        "Simulated runs (offline simulator; not comparable with real models)"
        if simulated
        else "Real models"
    )
    labels = config_labels(part.runs, group_by)
    boards = _boards(part, group_by, key, labels)
    dims = sorted({d for b in boards for row in b.rows for d in row.dims}, key=_dim_index)
    # Trend series and honesty rows are named by the short label, not the URL wall.
    labelled = part.runs.assign(short_label=part.runs[group_by].astype(str).map(labels.mapping()))
    finals = final_grades(part)
    result = Partition(
        key=key,
        title=title,
        simulated=simulated,
        runs=len(part.runs),
        episodes=len(part.episodes),
        boards=boards,
        dimensions=dims,
        breakdowns=[breakdown(finals, part.episodes, by) for by in ("archetype", "persona")],
        trend=trend(labelled, part.episodes, "short_label"),
        honesty=honesty(part.turns, part.grade_sets, labelled, "short_label"),
        experiments=_experiments(data, simulated),
        nodes=node_work(part.turns),
        labels=labels,
    )
    result.figures = _partition_figures(result)
    return result


def _boards(part: ReportData, group_by: str, key: str, labels: Labels) -> list[Board]:
    """One leaderboard per suite ('' = ad hoc runs): different task sets are never ranked."""
    boards = []
    for n, suite in enumerate(sorted(set(part.runs.suite))):
        runs = part.runs[part.runs.suite == suite]
        sub = part.restrict(list(runs.run_id))
        rows = leaderboard(sub.runs, sub.episodes, sub.grades, group_by)
        for row in rows:
            label = labels.get(row.config)
            row.label = label.short if label else row.config
            row.definition = label.definition if label else row.config
        figure = figs.leaderboard_figure(f"pass-by-config-{key}-{n}", rows) if rows else None
        boards.append(Board(suite or "(ad hoc runs)", rows, figure, f"leaderboard-{key}-{n}"))
    return boards


def _dim_index(name: str) -> tuple[int, str]:
    return (DIMENSIONS.index(name) if name in DIMENSIONS else len(DIMENSIONS), name)


def _partition_figures(p: Partition) -> dict[str, figs.Figure]:
    out: dict[str, figs.Figure] = {}
    for n, board in enumerate(p.boards):
        if board.figure is not None:
            out[f"leaderboard-{n}"] = board.figure
    for b in p.breakdowns:
        if b.groups:
            out[b.by] = figs.breakdown_figure(f"{p.key}-{b.by}", b)
    if p.trend:
        out["trend"] = figs.trend_figure(f"{p.key}-trend", p.trend)
    if p.nodes:
        out["cluster"] = figs.cluster_figure(f"{p.key}-cluster", p.nodes)
    return out


def _experiments(data: ReportData, simulated: bool) -> list[ExperimentRow]:
    rows = []
    exps = data.experiments[data.experiments.simulated == simulated]
    for exp in exps.itertuples():
        record = json.loads(exp.record)
        arms = [
            (arm, run_id, _run_interval(data, run_id))
            for arm, run_id in (record.get("arms") or {}).items()
        ]
        statistics = record.get("statistics") or {}
        rows.append(
            ExperimentRow(
                exp.name,
                exp.decision,
                record.get("knob_deltas") or {},
                statistics,
                arms,
                experiment_view(exp.decision, statistics),
            )
        )
    return rows


def _run_interval(data: ReportData, run_id: str) -> Interval | None:
    eps = data.episodes[(data.episodes.run_id == run_id) & data.episodes.complete]
    return wilson(int(eps.passed.sum()), len(eps)) if len(eps) else None


def _timeline(ledger: Ledger, data: ReportData, choice: str | None) -> tuple[Timeline, bool] | None:
    """The chosen turn's timeline (``EPISODE[:TURN]``), else the newest turn with an event log."""
    events = data.artifacts[data.artifacts.kind == "events"]
    if choice:
        episode_id, _, turn = choice.partition(":")
        events = events[events.episode_id == episode_id]
        if turn:
            events = events[events.turn == _turn_number(turn)]
        if events.empty:
            raise ReportError(f"no event log stored for {choice!r} (expected EPISODE[:TURN])")
    if events.empty:
        return None
    row = events.iloc[-1]
    sim = _episode_simulated(data, row.episode_id)
    ref = next(a for a in ledger.artifacts(row.episode_id, kind="events") if a.path == row.path)
    turn_no = None if pd.isna(row.turn) else int(row.turn)
    try:
        return read_timeline(ledger.artifact_path(ref), row.episode_id, turn_no), sim
    except (LedgerError, OSError) as exc:  # a tampered or missing log: say so, keep the report
        return Timeline(row.episode_id, turn_no, problem=str(exc)), sim


def _turn_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ReportError(f"turn {text!r} in --timeline is not a number") from None


def _episode_simulated(data: ReportData, episode_id: str) -> bool:
    run_id = data.episodes.loc[data.episodes.episode_id == episode_id, "run_id"].iloc[0]
    return bool(data.runs.loc[data.runs.run_id == run_id, "simulated"].iloc[0])
