"""Weighted categories: parse ``homework=40,exam=60`` and combine category percentages."""

from collections import defaultdict

from grades.calc import percent
from grades.loader import GradesError, Score


def parse_weights(text: str) -> dict[str, float]:
    """``name=number`` pairs separated by commas; every weight must be positive."""
    weights: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        try:
            weight = float(value)
        except ValueError:
            weight = -1.0
        if not sep or not name.strip() or weight <= 0:
            raise GradesError(f"bad weight '{part}': use name=positive-number")
        weights[name.strip().lower()] = weight
    return weights


def weighted_percent(scores: list[Score], weights: dict[str, float]) -> float:
    """Mean of category percentages by weight; categories without scores are left out."""
    per_category: dict[str, list[Score]] = defaultdict(list)
    for score in scores:
        if score.category not in weights:
            raise GradesError(f"no weight for category '{score.category}'")
        per_category[score.category].append(score)
    total = sum(weights[c] for c in per_category)
    return sum(weights[c] * percent(s) for c, s in per_category.items()) / total
