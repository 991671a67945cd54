"""Validity of an agreement as pure functions of its terms and a day.

Three shapes (``ValidityKind``):

- fixed: from a date until a date;
- until terminated: from a date (or signing) until either party gives notice; it then ends
  when the notice period has run (the LTU letter of intent: three months' notice);
- renewing: runs for a period and is renewed by a period at a time unless notice is given
  a set time before the current period's end.

Months are calendar months: a month after 31 January is the last day of February (29 in a
leap year), a period of three months from 30 November ends on 28 or 29 February.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    NOTICE_GIVEN = "notice_given"
    ENDED = "ended"


class ValidityKind(StrEnum):
    FIXED = "fixed"
    UNTIL_TERMINATED = "until_terminated"
    RENEWING = "renewing"


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months; a day the target month lacks becomes its
    last day (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_end(start: date, months: int) -> date:
    """The last day of a period of ``months`` beginning on ``start`` (2024-01-01 + 12 months
    ends on 2024-12-31)."""
    return add_months(start, months) - timedelta(days=1)


@dataclass(frozen=True)
class Terms:
    kind: ValidityKind
    starts_on: date | None  # None: not signed yet (a draft)
    ends_on: date | None = None  # fixed: the last day it is valid
    notice_months: int = 0  # until terminated / renewing: the notice period
    period_months: int = 0  # renewing: the length of each period
    notice_given_on: date | None = None


@dataclass(frozen=True)
class Dates:
    status: Status
    end: date | None  # the last day it is valid, when known
    last_notice_day: date | None  # the last day notice can be given to end it soonest
    next_renewal: date | None  # renewing: the first day of the next period


def current_period_end(terms: Terms, day: date) -> date:
    """For a renewing agreement: the last day of the period that ``day`` falls in (or the
    first period's end before it starts)."""
    start = terms.starts_on
    n = 1
    end = period_end(start, terms.period_months)
    while end < day:
        n += 1
        end = add_months(start, terms.period_months * n) - timedelta(days=1)
    return end


def end_after_notice(terms: Terms, given_on: date) -> date:
    """The last day an agreement is valid when notice is given on ``given_on``."""
    if terms.kind == ValidityKind.FIXED:
        return terms.ends_on
    if terms.kind == ValidityKind.UNTIL_TERMINATED:
        return add_months(given_on, terms.notice_months)
    # Renewing: it ends with the first period whose last notice day is not passed.
    end = current_period_end(terms, given_on)
    while add_months(end, -terms.notice_months) < given_on:
        end = current_period_end(terms, end + timedelta(days=1))
    return end


def compute(terms: Terms, today: date) -> Dates:
    """The status on ``today`` and the dates that matter."""
    if terms.starts_on is None:
        return Dates(Status.DRAFT, None, None, None)
    if terms.notice_given_on is not None:
        end = end_after_notice(terms, terms.notice_given_on)
        status = Status.ENDED if end is not None and end < today else Status.NOTICE_GIVEN
        return Dates(status, end, None, None)
    if terms.kind == ValidityKind.FIXED:
        end = terms.ends_on
        status = Status.ENDED if end is not None and end < today else Status.ACTIVE
        return Dates(status, end, None, None)
    if terms.kind == ValidityKind.UNTIL_TERMINATED:
        # Open-ended: notice may be given any day; given today it ends on this date.
        return Dates(Status.ACTIVE, None, None, None)
    reference = max(today, terms.starts_on)
    end = current_period_end(terms, reference)
    last_notice = add_months(end, -terms.notice_months)
    while last_notice < reference:  # too late for this period: the next one is what counts
        end = current_period_end(terms, end + timedelta(days=1))
        last_notice = add_months(end, -terms.notice_months)
    return Dates(Status.ACTIVE, None, last_notice, end + timedelta(days=1))
