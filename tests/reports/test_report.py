"""The HTML report: self-contained, escaped, real and simulated never mixed."""

from __future__ import annotations

import base64
import gzip
import re
from html.parser import HTMLParser

import pytest
from plotly.offline import get_plotlyjs

from ledger import SyntheticConfig, SyntheticPlan, fill_synthetic
from reports import ReportError, build_report

INJECTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'


@pytest.fixture
def mixed(ledger):
    """Two real configurations and one simulated, with event logs and a hostile finding."""
    fill_synthetic(
        ledger,
        SyntheticPlan(
            configs=[
                SyntheticConfig("qwen-7b", 0.4),
                SyntheticConfig("qwen-32b", 0.9),
                SyntheticConfig("sim-model", 0.7, simulated=True),
            ],
            runs_per_config=2,
            tasks=4,
            seeds=2,
            turns=2,
            events=True,
            injected=INJECTED,
        ),
    )
    return ledger


class _Sections(HTMLParser):
    """Collects the text of each <section id=...> (nesting-aware enough for our template)."""

    def __init__(self):
        super().__init__()
        self.stack, self.text, self.scripts = [], {}, []

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.stack.append(dict(attrs).get("id"))
        if tag == "script":
            self.scripts.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "section" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for sid in self.stack:
            self.text[sid] = self.text.get(sid, "") + data


def _parse(html):
    parser = _Sections()
    parser.feed(html)
    return parser


def test_model_output_is_rendered_as_text_never_as_markup(mixed, tmp_path):
    html = build_report(mixed, tmp_path / "r.html").path.read_text()
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert INJECTED in _parse(html).text["episodes"]  # shown to the reader verbatim


_PLOTLY_BLOCK = re.compile(
    r'<script type="application/octet-stream" id="plotly-gz"[^>]*>([^<]*)</script>'
)


def test_plotly_is_embedded_once_gzipped_and_nothing_is_fetched(mixed, tmp_path):
    summary = build_report(mixed, tmp_path / "r.html")
    html = summary.path.read_text()
    [packed] = _PLOTLY_BLOCK.findall(html)  # once per page, not once per figure
    assert gzip.decompress(base64.b64decode(packed)).decode() == get_plotlyjs()
    assert len(packed) < 0.5 * len(get_plotlyjs())  # the point of packing it
    assert summary.bytes < 2.5e6  # was 4.9 MB with the plain bundle
    assert "plotly.js v" not in html  # no second, plain copy
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    scripts = _parse(html).scripts
    assert all("src" not in s for s in scripts)
    assert "default-src 'none'" in html


def test_simulated_runs_have_their_own_labelled_section(mixed, tmp_path):
    sections = _parse(build_report(mixed, tmp_path / "r.html").path.read_text()).text
    assert "sim-model" in sections["sim"] and "SIMULATED" in sections["sim"]
    assert "sim-model" not in sections["real"]
    assert "qwen-7b" in sections["real"] and "qwen-7b" not in sections["sim"]


def test_every_figure_has_a_data_block_and_a_target(mixed, tmp_path):
    summary = build_report(mixed, tmp_path / "r.html")
    html = summary.path.read_text()
    targets = re.findall(r'class="fig-spec" data-target="([^"]+)"', html)
    assert len(targets) == summary.figures >= 9
    assert all(f'<div class="fig" id="{t}"' in html for t in targets)
    assert len(set(re.findall(r'id="([^"]+)"', html))) == len(re.findall(r'id="([^"]+)"', html))
    assert "timeline-gantt" in targets


def test_leaderboard_ties_overlapping_configurations(ledger, run_with, tmp_path):
    run_with(ledger, [True, False, True, True], model="a")
    run_with(ledger, [True, True, False, True], model="b")
    html = build_report(ledger, tmp_path / "r.html", group_by="model").path.read_text()
    table = html.split('class="leaderboard"')[1].split("</table>")[0]
    assert table.count(">=1<") == 2


def test_trend_marks_a_regression_against_the_previous_run(ledger, run_with, tmp_path):
    run_with(ledger, [True] * 12)
    run_with(ledger, [False] * 12)
    html = build_report(ledger, tmp_path / "r.html").path.read_text()
    trend = html.split('class="trend"')[1].split("</table>")[0]
    assert trend.count('class="regression"') == 1
    assert "McNemar p=0.000" in trend


def test_honesty_card_counts_false_greens(ledger, run_with, tmp_path):
    run_with(ledger, [True, False, False, True])  # the swarm said done every time
    html = build_report(ledger, tmp_path / "r.html").path.read_text()
    card = html.split('class="honesty"')[1].split("</table>")[0]
    assert "50%" in card and "n=4" in card


def test_a_tampered_event_log_is_reported_not_drawn(mixed, tmp_path):
    ref = mixed.artifacts(mixed.episodes(mixed.runs()[-1].id)[-1].id, kind="events")[-1]
    (mixed.gym_dir / ref.path).write_text("{}\n")
    html = build_report(
        mixed, tmp_path / "r.html", timeline=f"{ref.episode_id}:{ref.turn}"
    ).path.read_text()
    assert "does not match its sha256" in html
    assert 'data-target="timeline-gantt"' not in html


def test_unknown_group_by_and_timeline_are_refused(mixed, tmp_path):
    with pytest.raises(ReportError, match="unknown --group-by"):
        build_report(mixed, tmp_path / "r.html", group_by="colour")
    with pytest.raises(ReportError, match="no event log stored"):
        build_report(mixed, tmp_path / "r.html", timeline="nope:1")


def test_artifact_links_are_relative_to_the_report(mixed, tmp_path):
    out = tmp_path / "deep" / "r.html"
    html = build_report(mixed, out).path.read_text()
    href = re.search(r'<a href="([^"]+events[^"]*)"', html).group(1)
    assert (out.parent / href).resolve().is_file()


def test_an_empty_ledger_still_builds(ledger, tmp_path):
    summary = build_report(ledger, tmp_path / "r.html")
    assert summary.runs == 0 and summary.figures == 0


def test_experiments_show_in_their_own_partition_with_arm_pass_rates(ledger, run_with, tmp_path):
    from ledger import ExperimentRecord

    a = run_with(ledger, [True, True, False, True], knobs={"worker.turn_cap": 20})
    b = run_with(ledger, [True, False, False, False], knobs={"worker.turn_cap": 40})
    ledger.record_experiment(
        ExperimentRecord(
            name="turn-cap",
            arms={"A": a, "B": b},
            knob_deltas={"worker.turn_cap": 40},
            decision="reject <b>B</b>",
            statistics={"mcnemar_p": 0.25},
        )
    )
    ledger.record_experiment(ExperimentRecord(name="sim-only", simulated=True))
    sections = _parse(build_report(ledger, tmp_path / "r.html").path.read_text()).text
    assert "turn-cap" in sections["real"] and "sim-only" not in sections["real"]
    assert "reject <b>B</b>" in sections["real"]  # escaped: shown as typed
    assert "75%" in sections["real"] and "Mcnemar p: 0.25" in sections["real"]  # not a key dump


def test_each_suite_has_its_own_leaderboard(ledger, run_with, tmp_path):
    run_with(ledger, [True] * 4, suite="easy", model="a")
    run_with(ledger, [False] * 4, suite="hard", model="b")
    html = build_report(ledger, tmp_path / "r.html", group_by="model").path.read_text()
    assert "Leaderboard · suite easy" in html and "Leaderboard · suite hard" in html
    boards = html.split('class="leaderboard"')[1:]
    assert [">a<" in b.split("</table>")[0] for b in boards] == [True, False]
