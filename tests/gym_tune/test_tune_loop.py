"""The tuning loop: arms, ledger records, adoption and the knob file.

The arms here are recorded straight into a real ledger by a stand-in for the orchestrator
whose outcomes depend on the knobs it is given, so the loop's bookkeeping can be checked
against known effects in a second; tests/gym_tune/test_tune_e2e.py runs the real thing.
"""

from __future__ import annotations

import tomllib

import pytest
from tune_support import episodes, write_arm

from gym.config import GymConfig, read_toml
from gym.errors import GymConfigError
from gym.tweaker._loop import TuneOptions, arm_config, paired_config, tune
from ledger import Ledger
from swarm import load_knob_file

BASELINE = [False] * 10 + [True] * 4


class Arms:
    """Records each arm it is asked to run; ``retry.max_attempts=3`` makes every episode pass."""

    def __init__(self, helps: str = "retry.max_attempts=3"):
        self.helps = helps
        self.calls: list[list[str]] = []

    def __call__(self, config: GymConfig) -> str:
        self.calls.append(list(config.knobs))
        passes = [True] * len(BASELINE) if self.helps in config.knobs else BASELINE
        with Ledger.open(config.gym_dir) as ledger:
            return write_arm(
                ledger, episodes(passes), knobs=dict(k.split("=") for k in config.knobs)
            )


@pytest.fixture
def base(tmp_path):
    return GymConfig(suite="smoke", gym_dir=tmp_path / ".gym", knobs=["worker.turn_cap=30"])


@pytest.mark.slow  # two experiments: two full paired comparisons (~5 s on a busy machine)
def test_an_effective_change_is_adopted_and_the_next_arm_builds_on_it(base):
    arms = Arms()
    seen = []
    result = tune(
        base,
        TuneOptions(candidates=["retry.max_attempts", "worker.context_chars"], experiments=2),
        run_arm=arms,
        on_experiment=seen.append,
    )
    # A, then B = A + one change; after adoption the next B builds on the adopted set
    assert arms.calls == [
        ["worker.turn_cap=30"],
        ["retry.max_attempts=3", "worker.turn_cap=30"],
        ["retry.max_attempts=3", "worker.context_chars=30000", "worker.turn_cap=30"],
    ]
    assert [e.decision.outcome for e in result.experiments] == ["adopt", "inconclusive"]
    assert seen == result.experiments
    second = result.experiments[1]
    assert second.run_a == result.experiments[0].run_b  # the adopted arm is the new baseline
    assert result.knobs == {"worker.turn_cap": 30, "retry.max_attempts": 3}
    assert load_knob_file(result.knob_file) == result.knobs
    assert result.knob_file == base.gym_dir / "tuned-knobs.toml"


def test_experiments_land_in_the_ledger_with_arms_deltas_and_statistics(base):
    options = TuneOptions(candidates=["retry.max_attempts"], experiments=1)
    result = tune(base, options, run_arm=Arms())
    with Ledger.open(base.gym_dir) as ledger:
        (recorded,) = ledger.experiments()
    done = result.experiments[0]
    assert recorded.id == done.experiment_id
    assert recorded.arms == {"A": done.run_a, "B": done.run_b}
    assert recorded.knob_deltas == {"retry.max_attempts": 3}
    assert recorded.decision == "adopt" and recorded.simulated
    assert recorded.statistics["pairs"] == 14
    assert recorded.statistics["proposed_by"] == "fallback"  # a sim brain is not asked
    assert "brain_refused" not in recorded.statistics  # no "knob 'sim'" refusal (issue 16)
    assert recorded.statistics["replaces"] == "retry.max_attempts=6"


def test_nothing_adopted_writes_no_knob_file(base):
    options = TuneOptions(candidates=["worker.context_chars"], experiments=1)
    result = tune(base, options, run_arm=Arms())
    assert [e.decision.outcome for e in result.experiments] == ["inconclusive"]
    assert result.knob_file is None
    assert not (base.gym_dir / "tuned-knobs.toml").exists()


def test_the_knob_file_is_also_a_valid_gym_toml(base, tmp_path):
    out = tmp_path / "tuned.toml"
    tune(
        base, TuneOptions(candidates=["retry.max_attempts"], out=out, experiments=1), run_arm=Arms()
    )
    text = out.read_text()
    assert text.startswith("# Knobs adopted by `gym tune`")
    assert tomllib.loads(text)["knobs"] == {"retry.max_attempts": 3, "worker.turn_cap": 30}
    assert sorted(read_toml(out)["knobs"]) == ["retry.max_attempts=3", "worker.turn_cap=30"]


def test_the_session_stops_when_every_change_in_scope_was_tried(base):
    arms = Arms(helps="nothing")
    result = tune(base, TuneOptions(candidates=["retry.max_attempts"], experiments=9), run_arm=arms)
    assert len(result.experiments) == 4 and len(arms.calls) == 5  # 3, 12, 1, 20: then none left


def test_bad_scope_is_refused_before_any_arm_runs(base):
    arms = Arms()
    with pytest.raises(GymConfigError, match="mcp.servers"):
        tune(base, TuneOptions(candidates=["mcp.servers"]), run_arm=arms)
    with pytest.raises(GymConfigError, match="unknown knob"):
        tune(base.model_copy(update={"knobs": ["no.such=1"]}), TuneOptions(), run_arm=arms)
    assert arms.calls == []


def test_sampled_arms_share_their_plan_and_leave_out_continue_existing(tmp_path):
    base = GymConfig(gym_dir=tmp_path, seed=7)
    shared = paired_config(base, 12)
    assert shared.episodes == 12 and shared.archetype_weights["continue-existing"] == 0
    a, b = arm_config(shared, {}), arm_config(shared, {"scheduler.policy": "fanout"})
    assert a.model_dump(exclude={"knobs"}) == b.model_dump(exclude={"knobs"})
    with pytest.raises(GymConfigError, match="use --suite"):
        paired_config(base.model_copy(update={"archetype": "continue-existing"}), 12)
    real = base.model_copy(update={"brain": "anthropic:claude-x?base_url=http://127.0.0.1:9"})
    with pytest.raises(GymConfigError, match="invents a new task"):
        paired_config(real, 12)
    assert paired_config(real.model_copy(update={"suite": "smoke"}), None).suite == "smoke"
    with pytest.raises(GymConfigError, match="fixes its own episodes"):
        paired_config(base.model_copy(update={"suite": "smoke"}), 12)


@pytest.mark.slow  # renders the full HTML report (plotly embedded)
def test_the_report_shows_the_experiment_with_its_decision_and_statistics(base, tmp_path):
    from reports import build_report

    tune(base, TuneOptions(candidates=["retry.max_attempts"]), run_arm=Arms())
    out = tmp_path / "report.html"
    with Ledger.open(base.gym_dir) as ledger:
        build_report(ledger, out)
    html = out.read_text(encoding="utf-8")
    section = html[html.index("A/B experiments") :]
    assert "tune #1: retry.max_attempts=3" in section
    # the decision in words and the paired table (the reports' experiment view)
    assert "Adopted" in section and "p (Holm)" in section
