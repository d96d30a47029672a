"""Split columns into groups by the value of one column."""

from csvstats.reader import CsvError


def group_columns(columns: dict[str, list[str]], by: str) -> dict[str, dict[str, list[str]]]:
    """Group value -> (column -> cells of the rows in that group), groups sorted, ``by`` left out."""
    if by not in columns:
        raise CsvError(f"no column named '{by}'")
    groups: dict[str, dict[str, list[str]]] = {}
    for index, key in enumerate(columns[by]):
        bucket = groups.setdefault(key, {name: [] for name in columns if name != by})
        for name, cells in bucket.items():
            cells.append(columns[name][index])
    return dict(sorted(groups.items()))
