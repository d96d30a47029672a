"""A parsed expression and the search for the next matching minutes."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from cronx.fields import FIELDS, CronError, parse_field

# Four years and a day: every valid expression fires within this window (Feb 29 included).
SEARCH_LIMIT = timedelta(days=4 * 366 + 1)


@dataclass(frozen=True)
class Schedule:
    """Allowed values per field, and whether day-of-month / day-of-week were restricted."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    days_restricted: bool
    weekdays_restricted: bool

    def day_matches(self, moment: datetime) -> bool:
        """Classic cron: when both day fields are restricted, either one may match."""
        day_ok = moment.day in self.days
        weekday_ok = (moment.isoweekday() % 7) in self.weekdays
        if self.days_restricted and self.weekdays_restricted:
            return day_ok or weekday_ok
        return day_ok and weekday_ok

    def matches(self, moment: datetime) -> bool:
        """Whether the expression fires at this minute."""
        return (moment.minute in self.minutes and moment.hour in self.hours
                and moment.month in self.months and self.day_matches(moment))


def parse(expression: str) -> Schedule:
    """Parse ``minute hour day-of-month month day-of-week``."""
    fields = expression.split()
    if len(fields) != 5:
        raise CronError(f"expected 5 fields, got {len(fields)}")
    sets = [frozenset(parse_field(text, spec)) for text, spec in zip(fields, FIELDS)]
    return Schedule(*sets, days_restricted=fields[2] != "*", weekdays_restricted=fields[4] != "*")


def next_times(schedule: Schedule, start: datetime, count: int) -> list[datetime]:
    """The first ``count`` matching minutes strictly after ``start``."""
    found: list[datetime] = []
    moment = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    limit = moment + SEARCH_LIMIT
    while len(found) < count:
        if moment > limit:
            raise CronError("the expression never fires")
        if not (moment.month in schedule.months and schedule.day_matches(moment)):
            moment = (moment + timedelta(days=1)).replace(hour=0, minute=0)
        elif moment.hour not in schedule.hours:
            moment = (moment + timedelta(hours=1)).replace(minute=0)
        else:
            if moment.minute in schedule.minutes:
                found.append(moment)
                limit = moment + SEARCH_LIMIT  # the window restarts after every hit
            moment += timedelta(minutes=1)
    return found
