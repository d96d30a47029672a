"""A/B experiments render as a table of endpoints with the decision in words, not a key dump."""

from __future__ import annotations

from ledger import ExperimentRecord, add_synthetic_run
from reports import build_report
from reports.difference import experiment_view

#: Statistics as gym's tweaker records them (gym/tweaker/_decide.py: statistics()).
TWEAKER_STATS = {
    "pairs": 8,
    "unpaired": 0,
    "alpha": 0.05,
    "reason": "pass rate not significantly different",
    "pass_rate_a": 0.5,
    "pass_rate_b": 0.625,
    "pass_rate_delta": 0.125,
    "pass_rate_p": 1.0,
    "pass_rate_p_holm": 1.0,
    "mean_score_a": 0.61,
    "mean_score_b": 0.66,
    "mean_score_delta": 0.05,
    "mean_score_p": 0.4,
    "mean_score_p_holm": 0.8,
    "deterministic_worse_unadjusted": "none",
    "mde_pass_rate": None,
    "tests": "exact McNemar (pass/fail), paired bootstrap (score), Holm",
}


def test_the_view_has_one_row_per_endpoint_and_a_decision_sentence():
    view = experiment_view("inconclusive", TWEAKER_STATS)
    assert [(r.name, r.a, r.b, r.delta, r.p_holm) for r in view.rows] == [
        ("pass rate", 0.5, 0.625, 0.125, 1.0),
        ("mean score (deterministic dimensions)", 0.61, 0.66, 0.05, 0.8),
    ]
    assert view.sentence.startswith("Inconclusive: the test could not tell the arms apart")
    assert "8 paired episodes" in view.sentence and "α=0.05" in view.sentence
    assert "no pass-rate change could have been detected" in view.sentence
    assert dict(view.notes) == {
        "Deterministic worse unadjusted": "none",
        "Tests": "exact McNemar (pass/fail), paired bootstrap (score), Holm",
    }


def test_an_adopted_experiment_says_so_with_its_detectable_effect():
    view = experiment_view("adopt", {"pairs": 30, "mde_pass_rate": 0.21})
    assert view.sentence.startswith("Adopted: arm B's knobs did significantly better")
    assert "smallest pass-rate change it could detect was 21%" in view.sentence


def test_the_report_renders_the_table_and_the_sentence(ledger, tmp_path):
    a = add_synthetic_run(ledger, [True, False, True, False])
    b = add_synthetic_run(ledger, [True, True, True, False], knobs={"worker.turn_cap": 40})
    ledger.record_experiment(
        ExperimentRecord(
            name="turn-cap",
            arms={"A": a, "B": b},
            knob_deltas={"worker.turn_cap": 40},
            decision="inconclusive",
            statistics=TWEAKER_STATS,
        )
    )
    html = build_report(ledger, tmp_path / "r.html").path.read_text()
    block = html.split('<div class="experiment">')[1].split("</div>")[0]
    assert '<p class="decision">Inconclusive: the test could not tell the arms apart' in block
    assert "<th>Measure</th><th>Arm A</th><th>Arm B</th><th>Δ (B − A)</th>" in block
    assert "<td>pass rate</td>" in block
    assert "mde_pass_rate" not in block and "None" not in block  # no raw key dump
