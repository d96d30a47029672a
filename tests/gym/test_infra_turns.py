"""Infrastructure per turn: a later turn's failure ends the episode incomplete, graded turns stay.

Also: unreachable nodes (refused, unknown host) and dropped connections are told apart, and
a swarm's own ``infra_reason`` is an infrastructure failure, never a red grade.
"""

from __future__ import annotations

import pytest
from rich.console import Console

from gym.collector import Evidence, connection_failure, infra_error, infra_problem
from gym.errors import InfraError, SwarmRejectedError
from gym.orchestrator._run import run_gym
from gym.runner import SwarmRun
from ledger import EpisodeStatus, Ledger
from reports import load


def _quiet() -> Console:
    return Console(file=open("/dev/null", "w"), force_terminal=False)  # noqa: SIM115


def _evidence(errors: list[str], *, exit_code: int = 1, **report: object) -> Evidence:
    attempts = [{"device": "n", "outcome": "transient", "error": e} for e in errors]
    body = {"status": "failed", "tasks": [{"task_id": "t", "attempt_history": attempts}]}
    run = SwarmRun(("swarm",), exit_code, "", "", 1.0)
    return Evidence(run, {**body, **report}, "stdout", None, 3)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ("node-a: connection refused", "unreachable"),
        ("[Errno -2] Name or service not known", "unreachable"),
        ("Temporary failure in name resolution", "unreachable"),
        ("All connection attempts failed", "unreachable"),
        ("[Errno 113] No route to host", "unreachable"),
        ("node-a: connection dropped: connection dropped mid-answer", "dropped"),
        ("Server disconnected without sending a response.", "dropped"),
        ("[Errno 104] Connection reset by peer", "dropped"),
        ("peer closed connection without sending complete message body", "dropped"),
        ("HTTP 503: model is unloaded", None),
        ("stream stalled", None),
    ],
)
def test_connection_failures_are_classified(error: str, kind: str | None) -> None:
    assert connection_failure(error) == kind


def test_an_unreachable_fleet_is_infrastructure() -> None:
    problem = infra_problem(_evidence(["a: connection refused", "b: Name or service not known"]))
    assert problem is not None and "failed to connect" in problem


def test_dropped_connections_are_not_called_unreachable() -> None:
    dropped = "a: connection dropped: connection dropped mid-answer"
    problem = infra_problem(_evidence([dropped, dropped, "b: connection refused"]))
    assert problem is not None
    assert "failed to connect" not in problem
    assert "2 dropped mid-answer, 1 unreachable" in problem


def test_a_node_that_answered_wrongly_is_the_swarm_failing() -> None:
    assert infra_problem(_evidence(["a: connection refused", "HTTP 400: bad tool call"])) is None


def test_the_swarm_infra_reason_is_infrastructure_and_never_rejects_the_run() -> None:
    evidence = _evidence([], exit_code=2, infra_reason="request shape refused by every node")
    problem = infra_error(evidence)
    assert isinstance(problem, InfraError) and not isinstance(problem, SwarmRejectedError)
    assert "request shape refused by every node" in str(problem)
    assert infra_error(_evidence([], exit_code=1, infra_reason=None)) is None


def test_a_later_turn_infra_error_keeps_the_graded_turns(fake_config, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_SWARM_MODE", "infra2")  # turn 1: a broken app; turn 2: no node
    config = fake_config.model_copy(update={"episodes": 1, "max_turns": 4, "judge": False})
    run_id = run_gym(config, console=_quiet())
    with Ledger.open(config.gym_dir) as ledger:
        (episode,) = ledger.episodes(run_id)
        assert episode.status == EpisodeStatus.ERROR and episode.final_verdict is None
        first, second = ledger.turns(episode.id)
        assert first.infra_error == ""
        assert "every node quarantined" in second.infra_error
        (graded,) = ledger.grade_sets(episode.id)
        assert (graded.turn, graded.verdict.value) == (1, "fail")  # turn 1 is kept
        trees = [a.turn for a in ledger.artifacts(episode.id, kind="tree")]
        assert 1 in trees  # the graded turn's tree, for `gym regrade`
        frame = load(ledger, [run_id]).episodes
        assert list(frame.first_verdict) == ["fail"]  # pass@1 still sees the opening turn
        assert list(frame.complete) == [False]
