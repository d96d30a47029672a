"""From a finished run's cluster reds to the knob changes the tweaker would test.

``propose_for_run`` reads the run's triggers (gym.tweaker._triggers), asks a real brain
for one change answering them (structured ``KnobProposal``, checked by the scope guard)
and adds the deterministic rule's change for every trigger (gym.tweaker._rules); with a
simulated brain — by URL or by the server's own identity — only the rules propose, since
the simulator has no tuning policy. ``gym run`` prints the result at its end;
``gym tune --from-run RUN`` tests it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from gym.config import GymConfig
from gym.tweaker._loop import _ask, brain_is_simulated
from gym.tweaker._propose import KnobProposal, Proposal
from gym.tweaker._rules import rule_proposal
from gym.tweaker._space import ScopeError, baseline_values, check_delta, tunable_space
from gym.tweaker._triggers import Trigger, run_triggers
from ledger import Ledger
from verifier import clean_line


@dataclass
class RunProposals:
    """A run's triggers and the checked changes that answer them, to test in order."""

    run_id: str
    config: GymConfig
    triggers: list[Trigger] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    #: Triggers no safe change answers (e.g. an overloaded one-slot node).
    unanswered: list[Trigger] = field(default_factory=list)
    #: Why the brain's answer was not used; '' when it was used or not asked.
    brain_note: str = ""

    def command(self) -> str:
        """The command that tests the first proposal."""
        return f"gym tune --from-run {self.run_id} --gym-dir {self.config.gym_dir}"


def run_config(ledger: Ledger, run_id: str) -> GymConfig:
    """The gym config a recorded run ran with, its ledger folder kept."""
    view = ledger.run(run_id)
    data = {**view.config, "gym_dir": ledger.gym_dir}
    return GymConfig.model_validate(data)


def propose_for_run(ledger: Ledger, run_id: str, *, ask: bool = True) -> RunProposals:
    """The run's triggers and the proposals answering them (module docstring)."""
    config = run_config(ledger, run_id)
    found = RunProposals(run_id, config, run_triggers(ledger, run_id))
    if not found.triggers:
        return found
    space = tunable_space(fleet=config.fleet)
    baseline = baseline_values(config.knobs)
    if ask and not brain_is_simulated(config.brain):
        brain = _brain_proposal(config, space, baseline, found)
        if brain is not None:
            found.proposals.append(brain)
    tried = {(d.knob, d.value) for p in found.proposals for d in p.deltas}
    for trigger in found.triggers:
        proposal = rule_proposal(trigger, baseline, space, tried)
        if proposal is None:
            found.unanswered.append(trigger)
            continue
        tried.add((proposal.delta.knob, proposal.delta.value))
        found.proposals.append(proposal)
    return found


def _brain_proposal(
    config: GymConfig, space: Any, baseline: dict[str, Any], found: RunProposals
) -> Proposal | None:
    labels = [t.label() for t in found.triggers]
    answer = asyncio.run(_ask(config.brain, space, baseline, [], labels))
    if isinstance(answer, str):
        found.brain_note = clean_line(answer)
        return None
    try:
        delta = check_delta(space, baseline, answer.knob.strip(), answer.value)
    except ScopeError as exc:  # a structural or out-of-domain answer is refused whole
        found.brain_note = clean_line(f"brain proposal refused: {exc}")
        return None
    return Proposal(
        delta, "brain", clean_line(answer.rationale), trigger=_answered(answer, found.triggers)
    )


def _answered(answer: KnobProposal, triggers: list[Trigger]) -> str:
    """The trigger the brain says it answers (its code), else the strongest one."""
    code = answer.trigger.strip()
    named = [t for t in triggers if t.code == code] or triggers
    return named[0].label()


def proposal_lines(found: RunProposals) -> list[str]:
    """What a run prints at its end: its cluster reds and the change it would test, and how."""
    if not found.triggers:
        return ["cluster: no red that a safe knob answers; nothing to tune"]
    lines = [f"cluster reds: {len(found.triggers)}"]
    lines += [f"  trigger {t.label()}" for t in found.triggers]
    if not found.proposals:
        lines.append("no safe knob change answers them (see `gym triage` for the traces)")
        return lines
    first = found.proposals[0]
    lines.append(
        f"proposal: {first.arg()} (was {', '.join(str(d.old) for d in first.deltas)}), "
        f"by {first.source}, for {first.trigger}"
    )
    lines.append(f"test it (paired A/B, recorded in the ledger): {found.command()}")
    if found.brain_note:
        lines.append(f"  ({found.brain_note})")
    return lines


def print_run_proposal(gym_dir: Any, run_id: str, echo: Any) -> None:
    """Print a finished run's proposal through ``echo`` (one line per call); never raises.

    The end of ``gym run`` calls it: a run that already finished must not fail here.
    """
    try:
        with Ledger.open(gym_dir, create=False) as ledger:
            found = propose_for_run(ledger, run_id)
    except Exception as exc:  # noqa: BLE001 - a hint, never a reason to fail the run
        reason = str(exc).splitlines()[0] if str(exc) else repr(exc)
        echo(f"(no tuning proposal: {clean_line(reason)})")
        return
    for line in proposal_lines(found):
        echo(line)
