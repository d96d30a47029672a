"""Split text into words and rank them."""

import re
from collections import Counter

# Letters with inner apostrophes ("don't"); digits and underscores are not words.
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def words(text: str) -> list[str]:
    """The words of ``text``."""
    return WORD.findall(text)


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """The ``n`` most frequent words with counts; ties in alphabetical order."""
    counts = Counter(words(text))
    return counts.most_common(n)
