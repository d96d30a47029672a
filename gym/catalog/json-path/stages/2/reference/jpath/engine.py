"""Apply parsed segments to a document. A match is (path, value); paths are normalized."""

from jpath.filters import holds
from jpath.query import Filter, Index, Name, Segment, Slice, Wildcard

Match = tuple[str, object]


def children(path: str, node: object) -> list[Match]:
    """Every member value or element, in document order."""
    if isinstance(node, dict):
        return [(f"{path}[{quote(k)}]", v) for k, v in node.items()]
    if isinstance(node, list):
        return [(f"{path}[{i}]", v) for i, v in enumerate(node)]
    return []


def descendants_or_self(match: Match) -> list[Match]:
    """The node and all nodes below it, pre-order."""
    found = [match]
    for child in children(*match):
        found.extend(descendants_or_self(child))
    return found


def quote(key: str) -> str:
    """A member name as it appears in a normalized path: ``['key']``."""
    return "'" + key.replace("\\", "\\\\").replace("'", "\\'") + "'"


def select(selector: object, match: Match) -> list[Match]:
    """The matches one selector picks from one node."""
    path, node = match
    if isinstance(selector, Wildcard):
        return children(path, node)
    if isinstance(selector, Filter):
        return [child for child in children(path, node) if holds(selector.expr, child[1])]
    if isinstance(selector, Name):
        if isinstance(node, dict) and selector.name in node:
            return [(f"{path}[{quote(selector.name)}]", node[selector.name])]
        return []
    if not isinstance(node, list):
        return []
    if isinstance(selector, Index):
        i = selector.index + len(node) if selector.index < 0 else selector.index
        return [(f"{path}[{i}]", node[i])] if 0 <= i < len(node) else []
    if isinstance(selector, Slice):
        indices = range(len(node))[slice(selector.start, selector.stop, selector.step)]
        return [(f"{path}[{i}]", node[i]) for i in indices]
    raise TypeError(f"unknown selector {selector!r}")


def apply_segment(segment: Segment, matches: list[Match]) -> list[Match]:
    """Apply one segment to every current match, keeping order."""
    result = []
    for match in matches:
        nodes = descendants_or_self(match) if segment.descendant else [match]
        for node in nodes:
            for selector in segment.selectors:
                result.extend(select(selector, node))
    return result


def run_query(segments: list[Segment], document: object) -> list[Match]:
    """All matches of a parsed query against ``document``."""
    matches: list[Match] = [("$", document)]
    for segment in segments:
        matches = apply_segment(segment, matches)
    return matches
