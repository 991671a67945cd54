"""Posting notices: on the signal, by hand, the refusals, the dates, the lock."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from association.locking import RecordLocked
from association.models import AuditEntry
from association.tenancy import scopes_disabled, tenant_scope
from governance.meetings.models import Minutes, MinutesStatus
from governance.meetings.signals import minutes_adjusted
from governance.noticeboard import services
from governance.noticeboard.feeds import notice_event
from governance.noticeboard.models import (
    STOCKHOLM,
    AppealRule,
    PeriodUnit,
    Posting,
    comes_down_on,
    swedish_date,
)
from tests import factories
from tests.noticeboard.conftest import at, days_ago, meeting_on

pytestmark = pytest.mark.django_db


def adjust(minutes, actor=None):
    """What the adjustment service does after its transaction commits."""
    minutes_adjusted.send(sender=Minutes, minutes=minutes, actor=actor)


def set_rule(association, **data):
    with tenant_scope(association):
        return services.save_settings(
            association=association, actor=None,
            expected_version=services.settings_of(association).version, data=data,
        )  # fmt: skip


# --- the signal -------------------------------------------------------------------------------


def test_adjusted_minutes_are_posted_on_the_signal_with_what_the_notice_states(
    association, board, held_meeting
):
    secretary = factories.make_staff(association, "editor")
    minutes = factories.make_adjusted_minutes(
        held_meeting, at(days_ago(1), 16), kept_at="Förbundets kansli, Luleå"
    )
    adjust(minutes, secretary)
    with scopes_disabled():
        posting = Posting.objects.get(minutes=minutes)
        history = AuditEntry.objects.get(object_type="noticeboard.posting")
    today = timezone.localdate()
    assert posting.association == association
    assert posting.body_name == "Styrelsen"
    assert posting.meeting_date == days_ago(10)
    assert posting.adjusted_on == days_ago(1)
    assert posting.kept_at == "Förbundets kansli, Luleå"
    assert posting.posted_on == today
    assert posting.comes_down_on == today + datetime.timedelta(days=21)
    assert posting.posted_by == secretary
    assert posting.automatic
    assert history.action == "posted" and history.actor == secretary
    assert history.changes["comes_down_on"][1] == posting.comes_down_on.isoformat()


def test_the_signal_twice_posts_once(association, board, held_meeting):
    minutes = factories.make_adjusted_minutes(held_meeting, at(days_ago(1)))
    adjust(minutes)
    adjust(minutes)
    with scopes_disabled():
        assert Posting.objects.filter(minutes=minutes).count() == 1


def test_the_notice_goes_to_the_minutes_association_whatever_scope_the_sender_is_in(
    association, board, held_meeting, other_association
):
    minutes = factories.make_adjusted_minutes(held_meeting, at(days_ago(1)))
    with tenant_scope(other_association):
        adjust(minutes)
    with scopes_disabled():
        posting = Posting.objects.get(minutes=minutes)
        history = AuditEntry.objects.get(object_type="noticeboard.posting")
    assert posting.association == association == history.association


def test_without_automatic_posting_the_signal_posts_nothing(association, board, held_meeting):
    set_rule(association, automatic=False)
    minutes = factories.make_adjusted_minutes(held_meeting, at(days_ago(1)))
    adjust(minutes)
    with scopes_disabled():
        assert not Posting.objects.exists()


def test_the_kept_at_text_falls_back_to_the_settings_then_the_address(
    association, board, held_meeting
):
    association.street_address, association.postal_code, association.city = (
        "Storgatan 1", "972 31", "Luleå",
    )  # fmt: skip
    association.save()
    first = factories.make_adjusted_minutes(held_meeting, at(days_ago(2)))
    adjust(first)
    set_rule(association, default_kept_at="Kansliet, Kungsgatan 2")
    other = meeting_on(board, days_ago(9))
    second = factories.make_adjusted_minutes(other, at(days_ago(1)))
    adjust(second)
    with scopes_disabled():
        assert first.notice_posting.kept_at == "Norrbottens Kommuner, Storgatan 1, 972 31 Luleå"
        assert Posting.objects.get(minutes=second).kept_at == "Kansliet, Kungsgatan 2"


def test_own_rules_set_the_appeal_period(association, board, held_meeting):
    set_rule(association, rule=AppealRule.OWN, period_length=10, period_unit=PeriodUnit.DAYS)
    minutes = factories.make_adjusted_minutes(held_meeting, at(days_ago(1)))
    adjust(minutes)
    with scopes_disabled():
        posting = Posting.objects.get(minutes=minutes)
    assert posting.appeal_days == 10
    assert posting.comes_down_on == posting.posted_on + datetime.timedelta(days=10)
    set_rule(association, period_length=4, period_unit=PeriodUnit.WEEKS)
    with tenant_scope(association):
        assert services.settings_of(association).appeal_days == 28
    # A posted notice keeps the period it was posted with.
    with scopes_disabled():
        assert Posting.objects.get(pk=posting.pk).appeal_days == 10


def test_a_corrected_version_gets_a_notice_of_its_own(association, board, held_meeting):
    first = factories.make_adjusted_minutes(held_meeting, at(days_ago(5)))
    original = factories.make_posting(first, posted_on=days_ago(4))
    second = factories.make_adjusted_minutes(
        held_meeting, at(days_ago(1)), number=2, supersedes=first,
        correction_reason="Fel i § 4",
    )  # fmt: skip
    adjust(second)
    with scopes_disabled():
        correction = Posting.objects.get(minutes=second)
        untouched = Posting.objects.get(pk=original.pk)
    assert correction.is_correction and correction.minutes_number == 2
    assert correction.posted_on == timezone.localdate()
    assert untouched.posted_on == days_ago(4) and not untouched.is_correction


# --- refusals ---------------------------------------------------------------------------------


def test_minutes_not_adjusted_are_refused(association, board, held_meeting):
    with scopes_disabled():
        draft = Minutes.objects.create(
            association=association, meeting=held_meeting, status=MinutesStatus.DRAFT
        )
    with pytest.raises(ValidationError) as refused:
        factories.make_posting(draft)
    assert refused.value.code == "not_adjusted"
    adjust(draft)  # the receiver refuses too, without posting
    with scopes_disabled():
        assert not Posting.objects.exists()


def test_a_second_notice_of_the_same_version_future_and_early_dates_are_refused(
    association, board, held_meeting
):
    minutes = factories.make_adjusted_minutes(held_meeting, at(days_ago(3)))
    for posted_on, code in (
        (timezone.localdate() + datetime.timedelta(days=1), "future"),
        (days_ago(4), "before_adjustment"),
    ):
        with pytest.raises(ValidationError) as refused:
            factories.make_posting(minutes, posted_on=posted_on)
        assert refused.value.code == code
    factories.make_posting(minutes)
    with pytest.raises(ValidationError) as refused:
        factories.make_posting(minutes)
    assert refused.value.code == "already_posted"


# --- the lock ---------------------------------------------------------------------------------


def test_a_posted_notice_refuses_changes_through_the_orm(association, board, held_meeting):
    posting = factories.make_posting(factories.make_adjusted_minutes(held_meeting))
    posting.kept_at = "Någon annanstans"
    with scopes_disabled():
        with pytest.raises(RecordLocked):
            posting.save()
        with pytest.raises(RecordLocked):
            posting.delete()
        for change in (
            lambda: Posting.objects.filter(pk=posting.pk).update(comes_down_on=days_ago(0)),
            lambda: Posting.objects.filter(pk=posting.pk).delete(),
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                change()
        assert Posting.objects.get(pk=posting.pk).kept_at != "Någon annanstans"


def test_a_posted_notice_refuses_changes_through_raw_sql(association, board, held_meeting):
    posting = factories.make_posting(factories.make_adjusted_minutes(held_meeting))
    table = Posting._meta.db_table
    for sql in (
        f'UPDATE "{table}" SET "posted_on" = "posted_on" - 30 WHERE id = %s',
        f'DELETE FROM "{table}" WHERE id = %s',
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [posting.pk])
    with scopes_disabled():
        assert Posting.objects.get(pk=posting.pk).posted_on == posting.posted_on


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted_on", "days", "down"),
    [
        (datetime.date(2026, 1, 20), 21, datetime.date(2026, 2, 10)),  # month end
        (datetime.date(2026, 2, 10), 21, datetime.date(2026, 3, 3)),  # February, 28 days
        (datetime.date(2028, 2, 10), 21, datetime.date(2028, 3, 2)),  # leap year
        (datetime.date(2026, 12, 20), 21, datetime.date(2027, 1, 10)),  # year end
        (datetime.date(2026, 3, 20), 21, datetime.date(2026, 4, 10)),  # summer time begins
        (datetime.date(2026, 10, 15), 21, datetime.date(2026, 11, 5)),  # summer time ends
        (datetime.date(2026, 1, 31), 30, datetime.date(2026, 3, 2)),
    ],
)
def test_the_notice_comes_down_on_the_last_day_of_the_appeal_period(posted_on, days, down):
    assert comes_down_on(posted_on, days) == down


@given(st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)))
def test_three_weeks_end_on_the_same_weekday(posted_on):
    down = comes_down_on(posted_on, 21)
    assert down.weekday() == posted_on.weekday()
    assert (down - posted_on).days == 21
    assert down.toordinal() - posted_on.toordinal() == 21


@given(st.datetimes(datetime.datetime(1990, 1, 1), datetime.datetime(2100, 1, 1),
                    timezones=st.just(datetime.UTC)))  # fmt: skip
def test_the_adjustment_day_is_the_swedish_calendar_day(moment):
    day = swedish_date(moment)
    local = moment.astimezone(STOCKHOLM)
    assert day == local.date()
    # Sweden is one or two hours ahead of UTC, never behind.
    assert day in {moment.date(), moment.date() + datetime.timedelta(days=1)}


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # 00:30 in Sweden, still the day before in UTC: winter (+1) and summer (+2) time.
        (datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC), datetime.date(2026, 2, 1)),
        (datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC), datetime.date(2026, 4, 1)),
        # The nights summer time begins (29 March 2026) and ends (25 October), and new year.
        (datetime.datetime(2026, 3, 28, 23, 30, tzinfo=datetime.UTC), datetime.date(2026, 3, 29)),
        (datetime.datetime(2026, 10, 24, 22, 30, tzinfo=datetime.UTC), datetime.date(2026, 10, 25)),
        (datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC), datetime.date(2026, 1, 1)),
    ],
)
def test_minutes_adjusted_after_midnight_in_sweden_count_from_the_swedish_day(
    association, board, moment, day
):
    meeting = meeting_on(board, day - datetime.timedelta(days=7))
    posting = factories.make_posting(factories.make_adjusted_minutes(meeting, moment),
                                     posted_on=day)  # fmt: skip
    assert posting.adjusted_on == day
    assert posting.comes_down_on == day + datetime.timedelta(days=21)


@given(st.dates(datetime.date(2000, 1, 1), datetime.date(2090, 12, 31)),
       st.integers(min_value=1, max_value=365))  # fmt: skip
def test_the_calendar_event_runs_from_midnight_to_midnight_in_sweden(posted_on, days):
    posting = Posting(
        pk=1, body_name="Styrelsen", meeting_date=posted_on, adjusted_on=posted_on,
        kept_at="Kansliet", posted_on=posted_on, appeal_days=days,
        comes_down_on=comes_down_on(posted_on, days),
        created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    event = notice_event(posting)
    start, end = event.start.astimezone(STOCKHOLM), event.end.astimezone(STOCKHOLM)
    assert (start.date(), start.hour, start.minute) == (posted_on, 0, 0)
    assert (end.date(), end.hour, end.minute) == (posting.comes_down_on
                                                  + datetime.timedelta(days=1), 0, 0)  # fmt: skip
