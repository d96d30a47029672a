"""`gym` commands of this group (placeholder until its issue lands)."""

import typer


def register(app: typer.Typer) -> None:
    """Attach this group's commands to the gym app."""
