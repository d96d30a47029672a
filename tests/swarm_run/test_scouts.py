"""Research scouts: bounded, read-only, partial on overrun, their findings in every prompt.

Pinned with fake transports (a scout answer that never comes, a node recording every
prompt), not by replaying the simulator's happy path.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from swarmrun_support import PRIMARY, Recorder, catalog_task, read_log
from typer.testing import CliRunner

from brain import ChatRequest, ChatResponse, register_scheme
from brain.sim import SimTransport
from swarm.knobs import Knobs
from swarm.pipeline._scouts import LENSES, Scouting, ScoutReport, Scouts, existing_block
from swarm.pipeline.cli import app

FAST = ["--knob", "gates.smoke=false"]


class _Answers:
    """A fake node: each scout call answers after its scripted delay (seconds)."""

    url = "fake:scout"
    model = "fake"

    def __init__(self, delays: list[float]) -> None:
        self.delays = delays
        self.requests: list[ChatRequest] = []

    async def chat(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        await asyncio.sleep(self.delays[len(self.requests) - 1])
        n = len(self.requests)
        return ChatResponse(text=json.dumps({"findings": [f"finding {n}", f"finding {n}"]}))

    async def probe(self) -> list[str]:
        return [self.model]

    async def aclose(self) -> None:
        return None


async def test_a_scout_that_overruns_returns_the_findings_it_has_marked_partial() -> None:
    node = _Answers([0.0, 30.0])
    recorder = Recorder()
    knobs = Knobs({"scouts.budget_s": 0.3})
    started = time.monotonic()
    found = await Scouts([node], ["node-a"], knobs, recorder).run("Build a greeter.")
    assert time.monotonic() - started < 5  # the slow probe was cut at the budget
    (report,) = found.reports
    assert report.lens == "codebase" and report.partial and report.findings == ["finding 1"]
    (event,) = recorder.named("scout_finished")
    assert event["partial"] is True and event["findings"] == 1 and event["device"] == "node-a"
    assert "budget" in event["error"]
    assert "- [codebase] finding 1" in found.text


async def test_scouts_fan_out_one_per_device_round_robin_over_the_lenses_read_only() -> None:
    nodes = [_Answers([0.0, 0.0]) for _ in range(5)]
    recorder = Recorder()
    found = await Scouts(nodes, [f"d{i}" for i in range(5)], Knobs(), recorder).run("Spec.")
    lenses = [r.lens for r in found.reports]
    assert lenses == [lens.name for lens in LENSES] + [LENSES[0].name]
    assert not any(r.partial for r in found.reports)
    # read-only: a scout is offered no tool at all, and every answer is bounded in tokens
    asked = [r for n in nodes for r in n.requests]
    assert asked and all(not r.tools and r.max_tokens == 512 for r in asked)
    assert len(recorder.named("scout_finished")) == 5


def test_the_findings_block_is_capped_at_a_line_boundary() -> None:
    report = ScoutReport("edge cases", "d0", findings=[f"finding number {i}" for i in range(200)])
    text = Scouting([report], max_chars=300).text
    assert len(text) < 340 and text.endswith("[more findings cut to fit]")
    assert Scouting([ScoutReport("codebase", "d0")]).text == ""


# -- through `swarm run` ------------------------------------------------------------------


def _recording_scheme(scheme: str, slow_lens: str | None) -> dict[str, list[str]]:
    """Register a sim scheme whose nodes record prompts by kind; ``slow_lens`` never answers."""
    seen: dict[str, list[str]] = {}

    class Recording(SimTransport):
        async def chat(self, request: ChatRequest) -> ChatResponse:
            kind = request.response_schema_name or (
                "worker" if any(t.name == "write_file" for t in request.tools) else "chat"
            )
            prompt = "\n".join(m.content for m in request.messages[:2])
            seen.setdefault(kind, []).append(prompt)
            if kind == "ScoutFindings" and slow_lens and f"LENS: {slow_lens}" in prompt:
                await asyncio.sleep(60)
            return await super().chat(request)

    register_scheme(
        scheme, lambda url, **o: Recording.from_url(url.replace(f"{scheme}:", "sim:"), **o)
    )
    return seen


def _run(tmp_path: Path, scheme: str, *knobs: str):
    spec = tmp_path / "spec.md"
    spec.write_text(catalog_task(PRIMARY).spec_for_stage(1))
    fleet = ",".join(f"{scheme}:competent?time_scale=0&seed={i}" for i in range(2))
    args = ["run", "--spec", str(spec), "--workdir", str(tmp_path / "w"), "--fleet", fleet]
    result = CliRunner().invoke(app, [*args, "--output-format", "json", *FAST, *knobs])
    return result, read_log(tmp_path / "w")


def test_an_overrunning_scout_does_not_stop_the_run_and_findings_reach_every_prompt(
    tmp_path: Path,
) -> None:
    seen = _recording_scheme("scoutrec", slow_lens="libraries")
    result, events = _run(tmp_path, "scoutrec", "--knob", "scouts.budget_s=0.5")
    assert result.exit_code == 0, result.output
    scouts = {e["lens"]: e for e in events if e["event"] == "scout_finished"}
    assert set(scouts) == {"codebase", "libraries"}
    assert scouts["libraries"]["partial"] is True and scouts["libraries"]["findings"] == 0
    assert scouts["codebase"]["partial"] is False and scouts["codebase"]["findings"] >= 1
    for kind in ("PlanDraft", "SubtaskDetail", "ModuleContract", "worker"):
        assert seen.get(kind), kind
        assert all("SCOUT FINDINGS" in p and "[codebase]" in p for p in seen[kind]), kind
    order = [e["event"] for e in events]
    assert order.index("scout_finished") < order.index("plan_loaded")


def test_scouts_off_means_no_scout_call_no_event_and_no_findings_in_prompts(
    tmp_path: Path,
) -> None:
    seen = _recording_scheme("scoutoff", slow_lens=None)
    result, events = _run(tmp_path, "scoutoff", "--knob", "scouts.enabled=false")
    assert result.exit_code == 0, result.output
    assert [e for e in events if e["event"] == "scout_finished"] == []
    assert "ScoutFindings" not in seen
    prompts = [p for kind in seen.values() for p in kind]
    assert prompts and not any("SCOUT FINDINGS" in p for p in prompts)


def test_the_codebase_lens_shows_existing_files_but_never_follows_a_link_out(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("TOP SECRET")
    work = tmp_path / "w"
    (work / "app").mkdir(parents=True)
    (work / "app" / "store.py").write_text("def load(): ...\n")
    (work / "app" / "leak.txt").symlink_to(outside)
    block = existing_block(work, ["app/store.py", "app/leak.txt"])
    assert "=== FILE: app/store.py ===\ndef load(): ..." in block
    assert "TOP SECRET" not in block
