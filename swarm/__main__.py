"""``python -m swarm``: the ``swarm`` command (contract 2)."""

from swarm.pipeline.cli import main

main()
