"""calc: a command-line calculator built on a hand-written recursive-descent parser."""
