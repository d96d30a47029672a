"""`gym models …`: serve a real tiny model (shipped as a package) for ``--fleet``/``--brain``."""

from __future__ import annotations

from typing import Annotated

import typer

from gym.cli._edge import fail, serve_until_stopped

models_app = typer.Typer(help="Real tiny models served by llama.cpp.", no_args_is_help=True)


@models_app.command("list")
def list_models() -> None:
    """The models this project can serve, and the package that ships each."""
    from gym.models import KNOWN_MODELS

    for known in KNOWN_MODELS.values():
        typer.echo(f"{known.name}\t{known.package}\tn_ctx={known.n_ctx}")


@models_app.command("serve")
def serve(
    name: Annotated[str, typer.Argument(help="Model name (see `gym models list`).")],
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0 = any free port).")] = 8011,
    n_ctx: Annotated[int | None, typer.Option(min=256, help="Context window (tokens).")] = None,
    threads: Annotated[int | None, typer.Option(min=1, help="CPU threads.")] = None,
) -> None:
    """Serve NAME on 127.0.0.1 (OpenAI-compatible) until Ctrl-C; prints the node URL."""
    from gym.models import LlamaServer, ModelsError

    try:
        server = LlamaServer(name, port=port, n_ctx=n_ctx, threads=threads).start()
    except ModelsError as exc:
        raise fail("gym models serve", exc) from None
    typer.echo(f"{name} serving at {server.url}  (use --fleet {server.url} or --brain ...)")
    serve_until_stopped(server.wait, server.stop)


def register(app: typer.Typer) -> None:
    """Attach the ``models`` group to the gym app."""
    app.add_typer(models_app, name="models")
