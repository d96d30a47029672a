"""Each profile's behaviour on a fixture task, and how it recovers when told."""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brain import ConfigError, StalledError, TransientError, transport_for
from brain.sim import PROFILES

OWNED = ["notes/__init__.py", "notes/models.py", "notes/store.py", "notes/__main__.py"]
NOTE = "SUPERVISOR NOTE — your previous attempt was stopped: {}"


def _run_app(tree: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    for rel, text in tree.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "notes", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=20,
    )


def _undefined_imports(tree: dict[str, str]) -> list[str]:
    """Names imported from notes.store that notes/store.py does not define."""
    store = ast.parse(tree["notes/store.py"])
    defined = {n.name for n in store.body if isinstance(n, ast.FunctionDef)}
    main = ast.parse(tree["notes/__main__.py"])
    imported = [
        a.name
        for n in ast.walk(main)
        if isinstance(n, ast.ImportFrom) and n.module == "notes.store"
        for a in n.names
    ]
    return [name for name in imported if name not in defined]


async def test_competent_builds_an_app_that_runs(sim, kit, tmp_path) -> None:
    attempt = await kit.run_worker(sim("competent"), kit.worker_prompt("notes", OWNED))
    assert _run_app(attempt.written, tmp_path, "add", "milk").stdout == "1\n"
    assert _run_app(attempt.written, tmp_path, "list").stdout == "1: milk\n"


async def test_narrator_explains_without_tools_on_every_attempt_at_rate_one(sim, kit) -> None:
    node = sim("narrator")
    first = await kit.run_worker(node, kit.worker_prompt("notes", OWNED))
    assert first.calls == [] and "notes/store.py" in first.text
    # A supervisor's note is not a cure: at rate 1 the retry narrates again.
    retry = kit.worker_prompt("notes", OWNED, extra=NOTE.format("you wrote no files"))
    second = await kit.run_worker(node, retry)
    assert second.calls == [] and second.written == {}


async def test_fake_done_claims_done_with_nothing_written_on_every_attempt_at_rate_one(
    sim, kit
) -> None:
    node = sim("fake-done")
    first = await kit.run_worker(node, kit.worker_prompt("notes", OWNED))
    assert first.calls == ["done"] and first.written == {}
    retry = kit.worker_prompt("notes", OWNED, extra=NOTE.format("done with nothing written"))
    second = await kit.run_worker(node, retry)
    assert second.calls == ["done"] and second.written == {}


@pytest.mark.parametrize("profile", ["narrator", "fake-done"])
async def test_misbehaviour_is_drawn_per_attempt_at_its_rate(sim, kit, profile) -> None:
    """The same prompt retried: some attempts misbehave, some build; the same seed, the same
    sequence. Not only the first attempt misbehaves, and not every retry is cured."""

    async def outcomes(seed: int) -> list[bool]:
        node = sim(f"{profile}:0.5", seed=seed)
        prompt = kit.worker_prompt("notes", OWNED)
        return [
            sorted((await kit.run_worker(node, prompt)).written) == sorted(OWNED) for _ in range(16)
        ]

    built = await outcomes(seed=4)
    assert built == await outcomes(seed=4)  # seeded: reproducible
    assert 3 <= built.count(False) <= 13  # about half misbehave...
    assert not all(built[1:]) and any(built)  # ...retries included, and some attempts build


async def test_drifter_renames_a_cross_module_function_and_the_app_breaks(
    sim, kit, tmp_path
) -> None:
    attempt = await kit.run_worker(sim("drifter"), kit.worker_prompt("notes", OWNED))
    assert _undefined_imports(attempt.written), "the entry module should import a drifted name"
    assert attempt.written["notes/__main__.py"] == kit.reference("notes")["notes/__main__.py"]
    assert "ImportError" in _run_app(attempt.written, tmp_path, "list").stderr


async def test_drifter_keeps_names_when_interfaces_are_frozen(sim, kit) -> None:
    prompt = kit.worker_prompt("notes", OWNED, extra="FROZEN INTERFACES:\n# notes/store.py ...")
    attempt = await kit.run_worker(sim("drifter"), prompt)
    assert attempt.written == {p: kit.reference("notes")[p] for p in OWNED}


async def test_stubber_writes_stub_bodies_that_still_parse(sim, kit) -> None:
    attempt = await kit.run_worker(sim("stubber"), kit.worker_prompt("notes", ["notes/store.py"]))
    source = attempt.written["notes/store.py"]
    ast.parse(source)
    assert "raise NotImplementedError" in source
    assert '"""Store a new note with the next id and return it."""' in source  # docstrings stay


@pytest.mark.parametrize(
    "extra",
    [
        "REVIEW FINDINGS:\nnotes/store.py:10 stub_body",
        NOTE.format("stub bodies found (NotImplementedError) in notes/store.py"),
    ],
)
async def test_stubber_repairs_when_told_about_stubs(sim, kit, extra) -> None:
    prompt = kit.worker_prompt("notes", ["notes/store.py"], extra=extra)
    attempt = await kit.run_worker(sim("stubber"), prompt)
    assert attempt.written["notes/store.py"] == kit.reference("notes")["notes/store.py"]


async def test_stubber_keeps_stubbing_after_an_unrelated_note(sim, kit) -> None:
    prompt = kit.worker_prompt("notes", ["notes/store.py"], extra=NOTE.format("turn cap reached"))
    attempt = await kit.run_worker(sim("stubber"), prompt)
    assert "raise NotImplementedError" in attempt.written["notes/store.py"]


async def test_staller_trips_the_idle_watchdog_after_the_idle_window(kit) -> None:
    node = transport_for(
        f"sim:staller?rate=1&time_scale=1&catalog={kit.FIXTURES}", idle_timeout_s=0.05
    )
    started = time.monotonic()
    with pytest.raises(StalledError, match="no progress"):
        await kit.run_worker(node, kit.worker_prompt("notes", OWNED))
    assert 0.04 < time.monotonic() - started < 1.0


async def test_flaky_faults_are_transient_and_a_retry_eventually_succeeds(sim, kit) -> None:
    node = sim("flaky", rate=1)
    prompt = kit.worker_prompt("notes", ["notes/models.py"])
    for _ in range(2):  # rate 1: every try faults, until the per-request cap
        with pytest.raises(TransientError):
            await kit.run_worker(node, prompt)
    attempt = await kit.run_worker(node, prompt, max_turns=1)
    assert attempt.calls == ["write_file"]


def test_slow_multiplies_the_modelled_latency(kit) -> None:
    from brain import ChatRequest, Message
    from brain.sim import make_policy

    request = ChatRequest(
        messages=[Message(role="user", content=kit.worker_prompt("notes", OWNED))],
        tools=kit.WORKER_TOOLS,
    )
    fast = make_policy("competent", catalog_dir=kit.FIXTURES).reply(request, "m")
    slow = make_policy("slow", catalog_dir=kit.FIXTURES).reply(request, "m")
    assert fast.latency_s > 0
    assert slow.latency_s == pytest.approx(5 * fast.latency_s)
    scaled = make_policy("slow", time_scale=0.5, catalog_dir=kit.FIXTURES).reply(request, "m")
    assert scaled.latency_s == pytest.approx(slow.latency_s / 2)


def test_unknown_profile_is_a_one_line_config_error_listing_the_known_ones() -> None:
    with pytest.raises(ConfigError) as info:
        transport_for("sim:genius?seed=1")
    message = str(info.value)
    assert "\n" not in message and "'genius'" in message
    assert all(name in message for name in PROFILES)


def test_profiles_combine_with_rates(kit) -> None:
    from brain.sim._profiles import parse_profiles

    mix = parse_profiles("drifter:0.25+flaky")
    assert mix.rates == {"drifter": 0.25, "flaky": PROFILES["flaky"].default_rate}
    assert parse_profiles("drifter+flaky", rate=0.5).rates == {"drifter": 0.5, "flaky": 0.5}
    with pytest.raises(ConfigError, match="rate"):
        parse_profiles("drifter:2")
