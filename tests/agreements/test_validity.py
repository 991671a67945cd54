"""Status and dates of agreements: fixed, until terminated, renewing; month ends and leap
years."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements.validity import (
    Status,
    Terms,
    ValidityKind,
    add_months,
    compute,
    current_period_end,
    end_after_notice,
    period_end,
)

FIXED, UNTIL, RENEWING = ValidityKind.FIXED, ValidityKind.UNTIL_TERMINATED, ValidityKind.RENEWING


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_add_months_keeps_to_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_a_draft_has_no_dates():
    assert compute(Terms(UNTIL, None, notice_months=3), date(2026, 1, 1)).status == Status.DRAFT


def test_fixed_agreement_is_active_to_its_last_day_then_ended():
    terms = Terms(FIXED, date(2023, 1, 1), ends_on=date(2025, 12, 31))
    assert compute(terms, date(2025, 12, 31)).status == Status.ACTIVE
    assert compute(terms, date(2025, 12, 31)).end == date(2025, 12, 31)
    assert compute(terms, date(2026, 1, 1)).status == Status.ENDED


def test_ltu_letter_of_intent_ends_three_months_after_notice_on_30_november():
    terms = Terms(UNTIL, date(2021, 6, 1), notice_months=3)
    assert compute(terms, date(2026, 11, 30)).status == Status.ACTIVE
    assert compute(terms, date(2026, 11, 30)).end is None
    given = Terms(UNTIL, date(2021, 6, 1), notice_months=3, notice_given_on=date(2026, 11, 30))
    dates = compute(given, date(2026, 12, 1))
    assert dates.status == Status.NOTICE_GIVEN
    assert dates.end == date(2027, 2, 28)
    # In a leap year the notice period runs to 29 February.
    leap = Terms(UNTIL, date(2021, 6, 1), notice_months=3, notice_given_on=date(2027, 11, 30))
    assert compute(leap, date(2027, 12, 1)).end == date(2028, 2, 29)
    assert compute(leap, date(2028, 2, 29)).status == Status.NOTICE_GIVEN
    assert compute(leap, date(2028, 3, 1)).status == Status.ENDED


def test_renewing_agreement_last_notice_day_and_next_renewal():
    # Yearly from 2023-01-01, six months' notice before each period's end.
    terms = Terms(RENEWING, date(2023, 1, 1), notice_months=6, period_months=12)
    dates = compute(terms, date(2026, 3, 1))
    assert dates.status == Status.ACTIVE
    assert dates.last_notice_day == date(2026, 6, 30)
    assert dates.next_renewal == date(2027, 1, 1)
    # The last possible day still counts for this period ...
    assert compute(terms, date(2026, 6, 30)).last_notice_day == date(2026, 6, 30)
    # ... the day after, the next period's deadline is the one that matters.
    after = compute(terms, date(2026, 7, 1))
    assert after.last_notice_day == date(2027, 6, 30)
    assert after.next_renewal == date(2028, 1, 1)


def test_notice_on_the_last_possible_day_ends_the_current_period():
    base = {"notice_months": 6, "period_months": 12}
    on_time = Terms(RENEWING, date(2023, 1, 1), notice_given_on=date(2026, 6, 30), **base)
    assert compute(on_time, date(2026, 7, 1)).end == date(2026, 12, 31)
    late = Terms(RENEWING, date(2023, 1, 1), notice_given_on=date(2026, 7, 1), **base)
    assert compute(late, date(2026, 7, 2)).end == date(2027, 12, 31)
    assert compute(late, date(2028, 1, 1)).status == Status.ENDED


def test_renewal_over_several_periods_from_a_month_end():
    # Quarterly periods from 31 January: each ends the day before the next month-end anchor.
    terms = Terms(RENEWING, date(2027, 1, 31), notice_months=1, period_months=3)
    assert current_period_end(terms, date(2027, 2, 1)) == date(2027, 4, 29)
    assert current_period_end(terms, date(2027, 4, 30)) == date(2027, 7, 30)
    assert current_period_end(terms, date(2028, 2, 1)) == date(2028, 4, 29)
    dates = compute(terms, date(2027, 5, 1))
    assert dates.last_notice_day == date(2027, 6, 30)
    assert dates.next_renewal == date(2027, 7, 31)


def test_period_end_is_the_day_before_the_next_start():
    assert period_end(date(2024, 1, 1), 12) == date(2024, 12, 31)
    assert period_end(date(2024, 3, 1), 1) == date(2024, 3, 31)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(date(2000, 1, 1), date(2040, 12, 31)),
    period=st.integers(1, 36),
    notice=st.integers(0, 12),
    offset=st.integers(0, 3000),
)
def test_renewing_properties(start, period, notice, offset):
    terms = Terms(RENEWING, start, notice_months=notice, period_months=period)
    today = start + timedelta(days=offset)
    dates = compute(terms, today)
    # The deadline is never past, and notice given that day ends the agreement just before
    # the renewal the page announces.
    assert dates.last_notice_day >= today
    assert dates.next_renewal > dates.last_notice_day
    ended = end_after_notice(terms, dates.last_notice_day)
    assert ended == dates.next_renewal - timedelta(days=1)
    # One day later is too late for that period.
    if notice:
        assert end_after_notice(terms, dates.last_notice_day + timedelta(days=1)) > ended


@settings(max_examples=200, deadline=None)
@given(day=st.dates(date(1990, 1, 1), date(2090, 12, 31)), months=st.integers(-60, 60))
def test_add_months_properties(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)
