import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from association.tenancy import scopes_disabled
from tests import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A Swedish wall-clock time as an aware moment."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def next_weekday(weekday: int = 0, weeks_ahead: int = 1) -> datetime.date:
    """A day in a coming week (Monday = 0), always in the future whenever the test runs."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return monday + datetime.timedelta(weeks=weeks_ahead, days=weekday)


def last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


@pytest.fixture
def room(association):
    from governance.rooms.services import create_resource

    with scopes_disabled():
        return create_resource(
            association=association, actor=None, name="Mötesrum Renmarkstorget",
            kind="meeting_room", capacity=12, location="Renmarkstorget, Umeå",
        )  # fmt: skip


@pytest.fixture
def staff(association):
    return factories.make_staff(association, "viewer")


@pytest.fixture
def editor(association):
    return factories.make_staff(association, "editor")


@pytest.fixture
def elected(association):
    """An elected member: a seat in one of the association's bodies, no staff role."""
    body = factories.make_body(association, "styrelse", kind="board")
    return factories.make_member(body, factories.make_user(first_name="Eva", last_name="Vald"))
