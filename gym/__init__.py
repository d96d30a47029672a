"""The harness: invents tasks, drives the swarm through multi-turn episodes, grades and records."""
