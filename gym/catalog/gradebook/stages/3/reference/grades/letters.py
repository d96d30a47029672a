"""Letter grades from percentages."""

# (lowest percentage, letter), highest first
SCALE = ((90.0, "A"), (80.0, "B"), (70.0, "C"), (60.0, "D"))


def letter_for(percentage: float) -> str:
    """A at 90 and above, then B, C, D by tens, F below 60."""
    for lowest, letter in SCALE:
        if percentage >= lowest:
            return letter
    return "F"
