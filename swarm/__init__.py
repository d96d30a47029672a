"""The in-repo swarm engine: plan a spec into a DAG, build it across a fleet, verify by running."""
