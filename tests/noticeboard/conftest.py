import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


@pytest.fixture
def board(association):
    return factories.make_body(association, "styrelse", kind="board", name="Styrelsen")


@pytest.fixture
def held_meeting(board):
    """A board meeting held ten days ago, its notice sent."""
    return factories.make_meeting(board, at(days_ago(10)), notice=True)


def meeting_on(body, day: datetime.date):
    return factories.make_meeting(body, at(day), notice=True)


def posted_notice(body, *, posted_days_ago: int, meeting_days_before: int = 5):
    """A notice posted ``posted_days_ago`` days ago of minutes adjusted that day."""
    posted_on = days_ago(posted_days_ago)
    meeting = meeting_on(body, posted_on - datetime.timedelta(days=meeting_days_before))
    minutes = factories.make_adjusted_minutes(meeting, at(posted_on, 9))
    return factories.make_posting(minutes, posted_on=posted_on)
