"""`gym sim …`: run the offline simulator as a real HTTP server.

``gym sim serve --port 8765 --profile flaky`` answers OpenAI Chat Completions at
``http://127.0.0.1:8765/v1`` and Anthropic Messages at ``http://127.0.0.1:8765``,
so any OpenAI- or Anthropic-speaking client (ours, the SDKs, another swarm) can be
pointed at it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from brain import BrainError
from gym.cli._edge import serve_until_stopped

sim_app = typer.Typer(help="The offline model simulator.", no_args_is_help=True)


@sim_app.command("serve")
def serve(
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port (0 = any free port).", metavar="PORT")
    ] = 8765,
    profile: Annotated[
        str, typer.Option(help="Profile(s), e.g. competent or flaky+slow.", metavar="PROFILE")
    ] = ("competent"),
    seed: Annotated[int, typer.Option(help="Seed of the deterministic policy.", metavar="N")] = 0,
    rate: Annotated[
        float | None,
        typer.Option(min=0, max=1, help="Rate of the profiles' misbehaviour.", metavar="RATE"),
    ] = None,
    time_scale: Annotated[
        float,
        typer.Option(min=0, help="Multiplier on modelled latency (0 = instant).", metavar="X"),
    ] = 1.0,
    host: Annotated[str, typer.Option(help="Interface to bind.", metavar="HOST")] = "127.0.0.1",
    catalog_dir: Annotated[
        Path | None, typer.Option(help="Catalog of tasks the sim recognizes.", metavar="DIR")
    ] = None,
) -> None:
    """Serve the simulator over HTTP (OpenAI /v1/chat/completions, Anthropic /v1/messages)."""
    from brain.sim.server import SimServer

    try:
        server = SimServer(
            profile=profile,
            seed=seed,
            rate=rate,
            time_scale=time_scale,
            catalog_dir=catalog_dir,
            host=host,
            port=port,
        ).start()
    except BrainError as exc:
        typer.echo(f"gym sim serve: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"sim '{profile}' (seed {seed}) serving OpenAI at {server.openai_base_url} "
        f"and Anthropic at {server.base_url}; Ctrl-C stops",
        err=True,
    )
    sys.stderr.flush()
    serve_until_stopped(server.wait, server.stop)


def register(app: typer.Typer) -> None:
    """Attach the ``sim`` group to the gym app."""
    app.add_typer(sim_app, name="sim")
