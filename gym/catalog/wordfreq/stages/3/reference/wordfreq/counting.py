"""Split text into words and rank them."""

import re
import unicodedata
from collections import Counter

# Letters with inner apostrophes ("don't"); digits and underscores are not words.
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


# Typographic apostrophes count as the plain one, so "don’t" and "don't" are one word.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased (case-folded, so "Straße" and "STRASSE" agree)."""
    return [w.casefold() for w in WORD.findall(unicodedata.normalize("NFC", text).translate(APOSTROPHES))]


def top_words(text: str, n: int, min_length: int = 1) -> list[tuple[str, int]]:
    """The ``n`` most frequent words of at least ``min_length`` letters; ties alphabetical."""
    counts = Counter(w for w in words(text) if len(w.replace("'", "")) >= min_length)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
