"""Letter grades from percentages."""


def letter_for(percentage: float) -> str:
    """A at 90 and above, then B, C, D by tens, F below 60."""
    pass
