"""Configuration labels: short, unique, leading with what differs; figures never merge two."""

from __future__ import annotations

import json
import re

import pandas as pd

from ledger import add_synthetic_run
from reports import build_report, load
from reports._figures import unique, wrap
from reports.labels import MAX_LABEL, config_labels


def _runs(*records: dict) -> pd.DataFrame:
    """A runs frame as reports.load builds it (config key and parsed record)."""
    rows = []
    for r in records:
        knobs = " ".join(f"{k}={json.dumps(v)}" for k, v in sorted(r.get("knobs", {}).items()))
        fleet = ", ".join(f"{n['model']}@{n['url']}x{n.get('weight', 1)}" for n in r["fleet"])
        rows.append({"config": f"{fleet} | {knobs or 'defaults'}", "record": r})
    return pd.DataFrame(rows)


def _node(model: str, url: str = "http://127.0.0.1:8081/v1") -> dict:
    return {"model": model, "url": url}


def test_two_configurations_differing_by_one_knob_are_named_by_that_knob():
    nodes = [_node("qwen-7b", f"http://127.0.0.1:{8081 + i}/v1") for i in range(9)]
    runs = _runs(
        {"fleet": nodes, "knobs": {"worker.turn_cap": 40, "scheduler.policy": "fifo"}},
        {"fleet": nodes, "knobs": {"worker.turn_cap": 40, "scheduler.policy": "critical_path"}},
    )
    labels = config_labels(runs, "config")
    shorts = sorted(i.short for i in labels.items)
    assert shorts == ["scheduler.policy=critical_path", "scheduler.policy=fifo"]
    assert labels.differing == ["knobs"]
    assert all("127.0.0.1:8089" in i.definition for i in labels.items)  # the legend has it all


def test_the_model_leads_when_models_differ_and_the_fleet_only_when_nothing_else_does():
    by_model = config_labels(
        _runs({"fleet": [_node("qwen-7b")]}, {"fleet": [_node("qwen-14b")]}), "config"
    )
    assert sorted(i.short for i in by_model.items) == ["qwen-14b", "qwen-7b"]
    by_fleet = config_labels(
        _runs(
            {"fleet": [_node("m", "http://127.0.0.1:1/v1")]},
            {"fleet": [_node("m", "http://127.0.0.1:2/v1")]},
        ),
        "config",
    )
    assert sorted(i.short for i in by_fleet.items) == ["fleet 127.0.0.1:1x1", "fleet 127.0.0.1:2x1"]


def test_long_labels_are_cut_yet_stay_unique():
    long = "x" * 60
    runs = _runs(
        {"fleet": [_node("m")], "knobs": {"k": long + "a"}},
        {"fleet": [_node("m")], "knobs": {"k": long + "b"}},
    )
    shorts = [i.short for i in config_labels(runs, "config").items]
    assert len(set(shorts)) == 2 and all(len(s) <= MAX_LABEL + 3 for s in shorts)


def test_figure_categories_are_made_unique_and_wrapped():
    assert unique(["a", "a", "b", "a"]) == ["a", "a #2", "b", "a #3"]
    assert wrap("=1. scheduler.policy=fifo · x") == "=1.<br>scheduler.policy=fifo<br>· x"


def _spec(html: str, fig_id: str) -> dict:
    block = re.search(rf'data-target="{fig_id}">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


def test_a_report_of_two_knob_settings_draws_two_distinct_bars_and_legend_entries(ledger, tmp_path):
    for policy in ("fifo", "critical_path"):
        for _ in range(2):  # two runs each: two trend points per series
            add_synthetic_run(
                ledger,
                [True, False, True, True],
                simulated=True,
                knobs={"scheduler.policy": policy, "worker.turn_cap": 40},
            )
    html = build_report(ledger, tmp_path / "r.html").path.read_text()
    spec = _spec(html, "pass-by-config")
    [bars] = spec["data"]
    assert spec["layout"]["autosize"] is True and "width" not in spec["layout"]  # fits a phone
    assert len(bars["y"]) == len(set(bars["y"])) == 2
    assert any("critical_path" in y for y in bars["y"]) and any("fifo" in y for y in bars["y"])
    trend = _spec(html, "sim-trend")["data"]
    names = [t["name"] for t in trend if t["name"] != "regression"]
    assert len(names) == len(set(names)) == 2
    board = html.split('id="leaderboard"')[1].split("</table>")[0]
    assert 'title="model qwen-7b · fleet qwen-7b@sim:competentx1 · knobs' in board
    assert '">scheduler.policy=fifo</td>' in board  # the cell is the short label
    legend = html.split('class="legend"')[1].split("</table>")[0]
    assert legend.count("<tr>") == 3  # header + two configurations, each with its full knobs


def test_labels_of_a_loaded_ledger_cover_every_group_key(ledger):
    add_synthetic_run(ledger, [True], model="a")
    add_synthetic_run(ledger, [True], model="b", knobs={"x": 1})
    data = load(ledger)
    for group_by in ("config", "model", "fleet", "knobs"):
        labels = config_labels(data.runs, group_by)
        keys = set(data.runs[group_by])
        assert set(labels.mapping()) == keys and len(set(labels.mapping().values())) == len(keys)
