"""The two follow-up lists (for the reminders): minutes late for adjustment, notices late
for posting. Both take the day to judge by."""

import datetime

import pytest

from association.tenancy import scopes_disabled, tenant_scope
from governance.meetings import services as meeting_services
from governance.meetings.models import Minutes, MinutesStatus
from governance.noticeboard import queries, services
from governance.noticeboard.models import AppealRule
from tests import factories
from tests.noticeboard.conftest import at

pytestmark = pytest.mark.django_db

HELD = datetime.date(2026, 1, 28)  # a Wednesday; 14 days later is 11 February


def overdue_meetings(association, today):
    with tenant_scope(association):
        return list(queries.minutes_overdue_for_adjustment(association, today))


def overdue_notices(association, today):
    with tenant_scope(association):
        return list(queries.notices_overdue(association, today))


def test_minutes_not_adjusted_within_14_days_are_listed_from_the_15th_day(association, board):
    meeting = factories.make_meeting(board, at(HELD, 23, 30))  # late evening, Swedish time
    assert overdue_meetings(association, HELD + datetime.timedelta(days=14)) == []
    listed = overdue_meetings(association, HELD + datetime.timedelta(days=15))
    assert listed == [meeting]
    assert listed[0].latest_minutes_status is None  # nothing drafted yet


def test_the_list_says_how_far_the_minutes_have_come_and_drops_adjusted_ones(association, board):
    meeting = factories.make_meeting(board, at(HELD), notice=True)
    late = HELD + datetime.timedelta(days=20)
    with scopes_disabled():
        draft = Minutes.objects.create(association=association, meeting=meeting)
    assert overdue_meetings(association, late)[0].latest_minutes_status == MinutesStatus.DRAFT
    with scopes_disabled():
        Minutes.objects.filter(pk=draft.pk).update(status=MinutesStatus.OUT_FOR_ADJUSTMENT)
    assert overdue_meetings(association, late)[0].latest_minutes_status == "out_for_adjustment"
    # Adjusted (late): no longer missing.
    with scopes_disabled():
        Minutes.objects.filter(pk=draft.pk).update(
            status=MinutesStatus.ADJUSTED, is_adjusted=True, adjusted_at=at(late)
        )
    assert overdue_meetings(association, late) == []


def test_cancelled_and_other_associations_meetings_are_not_listed(
    association, board, other_association
):
    cancelled = factories.make_meeting(board, at(HELD))
    with scopes_disabled():
        meeting_services.cancel_meeting(meeting=cancelled, actor=None, reason="Inställt")
    elsewhere = factories.make_body(other_association, "styrelse")
    factories.make_meeting(elsewhere, at(HELD))
    assert overdue_meetings(association, HELD + datetime.timedelta(days=30)) == []
    assert len(overdue_meetings(other_association, HELD + datetime.timedelta(days=30))) == 1


def test_notices_not_posted_within_two_days_are_listed_from_the_third_day(association, board):
    meeting = factories.make_meeting(board, at(HELD), notice=True)
    adjusted_on = HELD + datetime.timedelta(days=10)
    minutes = factories.make_adjusted_minutes(meeting, at(adjusted_on, 23, 50))
    assert overdue_notices(association, adjusted_on + datetime.timedelta(days=2)) == []
    assert overdue_notices(association, adjusted_on + datetime.timedelta(days=3)) == [minutes]
    with tenant_scope(association):
        assert list(queries.minutes_awaiting_notice(association)) == [minutes]
    factories.make_posting(minutes, posted_on=adjusted_on + datetime.timedelta(days=3))
    assert overdue_notices(association, adjusted_on + datetime.timedelta(days=30)) == []
    with tenant_scope(association):
        assert list(queries.minutes_awaiting_notice(association)) == []


def test_own_rules_set_the_days_to_post_within(association, board):
    with tenant_scope(association):
        services.save_settings(association=association, actor=None, expected_version=0,
                               data={"rule": AppealRule.OWN, "posting_days": 5})  # fmt: skip
    meeting = factories.make_meeting(board, at(HELD), notice=True)
    adjusted_on = HELD + datetime.timedelta(days=1)
    minutes = factories.make_adjusted_minutes(meeting, at(adjusted_on))
    assert overdue_notices(association, adjusted_on + datetime.timedelta(days=5)) == []
    assert overdue_notices(association, adjusted_on + datetime.timedelta(days=6)) == [minutes]
