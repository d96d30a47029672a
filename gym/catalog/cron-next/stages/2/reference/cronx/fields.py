"""Parse the five fields of a cron expression into sets of allowed values.

Each field is a comma list of ``*``, ``N``, ``A-B``, each optionally followed by ``/STEP``;
months and weekdays also accept three-letter English names. Weekday 7 is Sunday like 0.
In the day-of-month field ``L`` stands for the last day of the month, kept as LAST_DAY.
"""

LAST_DAY = 32  # a day number no month has; the schedule resolves it per month

from dataclasses import dataclass


class CronError(ValueError):
    """An expression that is not valid cron."""


@dataclass(frozen=True)
class FieldSpec:
    """Name, bounds and optional names of one field."""

    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()


FIELDS = (
    FieldSpec("minute", 0, 59),
    FieldSpec("hour", 0, 23),
    FieldSpec("day of month", 1, 31),
    FieldSpec("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    FieldSpec("day of week", 0, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
)


def value_of(text: str, spec: FieldSpec) -> int:
    """A number or a name within the field's bounds."""
    upper = text.upper()
    if upper in spec.names:
        return spec.names.index(upper) + (1 if spec.name == "month" else 0)
    if not text.isdigit():
        raise CronError(f"bad {spec.name} value '{text}'")
    value = int(text)
    if not spec.low <= value <= spec.high:
        raise CronError(f"{spec.name} value {value} out of range {spec.low}-{spec.high}")
    return value


def parse_part(part: str, spec: FieldSpec) -> set[int]:
    """One comma-separated item: ``*``, ``N``, ``A-B``, with an optional ``/STEP``."""
    base, _, step_text = part.partition("/")
    step = 1
    if step_text:
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronError(f"bad step '{step_text}' in {spec.name}")
        step = int(step_text)
    if base == "*":
        low, high = spec.low, spec.high
    elif "-" in base:
        start, _, end = base.partition("-")
        low, high = value_of(start, spec), value_of(end, spec)
        if low > high:
            raise CronError(f"range {base} runs backwards in {spec.name}")
    else:
        low = value_of(base, spec)
        high = spec.high if step_text else low
    return set(range(low, high + 1, step))


def parse_field(text: str, spec: FieldSpec) -> set[int]:
    """All values a field allows."""
    if not text:
        raise CronError(f"empty {spec.name} field")
    values: set[int] = set()
    for part in text.split(","):
        if spec.name == "day of month" and part.upper() == "L":
            values.add(LAST_DAY)
            continue
        values |= parse_part(part, spec)
    if spec.name == "day of week" and 7 in values:
        values = (values - {7}) | {0}
    return values
