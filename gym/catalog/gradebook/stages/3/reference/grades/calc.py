"""Grade arithmetic."""

from collections import defaultdict

from grades.loader import Score


def percent(scores: list[Score]) -> float:
    """Points earned over points possible, as a percentage."""
    return 100 * sum(s.score for s in scores) / sum(s.max for s in scores)


def by_student(scores: list[Score]) -> dict[str, list[Score]]:
    """Scores grouped per student, students in name order."""
    groups: dict[str, list[Score]] = defaultdict(list)
    for score in scores:
        groups[score.student].append(score)
    return dict(sorted(groups.items()))
