"""The letter scale, pinned at every boundary."""

import pytest

from grades.letters import letter_for


@pytest.mark.parametrize(("percentage", "letter"), [
    (100, "A"), (90, "A"), (89.99, "B"), (80, "B"), (79.99, "C"), (70, "C"),
    (69.99, "D"), (60, "D"), (59.99, "F"), (0, "F"),
])
def test_letter_at_boundary(percentage, letter):
    assert letter_for(percentage) == letter
