"""The roles the simulator plays: planner, worker and harness brain (judge, user, inventor)."""
