"""The ``swarm`` command (contract 2); placeholder until `swarm run` lands."""

import typer

app = typer.Typer(name="swarm", no_args_is_help=True, pretty_exceptions_enable=False,
                  add_completion=False)


@app.callback()
def _root() -> None:
    """Multi-agent coding swarm: plan, build in parallel, verify by running."""


def main() -> None:
    """Console-script entry point."""
    app()
