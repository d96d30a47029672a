"""Interval arithmetic on ``(start, end)`` pairs: union, clipping, coverage counts."""

from __future__ import annotations

from collections.abc import Iterable

Pair = tuple[float, float]


def union(spans: Iterable[Pair]) -> list[Pair]:
    """Sorted, disjoint pairs covering the same time as ``spans``."""
    merged: list[Pair] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def clip(spans: Iterable[Pair], lo: float, hi: float) -> list[Pair]:
    """The parts of ``spans`` inside ``[lo, hi]``."""
    return [(max(s, lo), min(e, hi)) for s, e in spans if min(e, hi) > max(s, lo)]


def length(spans: Iterable[Pair]) -> float:
    """Total time the pairs cover (they must already be disjoint)."""
    return sum(e - s for s, e in spans)


def coverage(per_lane: list[list[Pair]], lo: float, hi: float) -> list[tuple[float, float, int]]:
    """``(start, end, lanes busy)`` pieces over ``[lo, hi]``, from each lane's disjoint pairs."""
    marks = {lo, hi}
    for lane in per_lane:
        for s, e in clip(lane, lo, hi):
            marks.update((s, e))
    points = sorted(marks)
    pieces = []
    for a, b in zip(points, points[1:], strict=False):
        mid = (a + b) / 2
        busy = sum(any(s <= mid < e for s, e in lane) for lane in per_lane)
        pieces.append((a, b, busy))
    return pieces
