"""Bookings: the database refuses overlaps, the services say what a booking collides with."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from association.models import AuditEntry
from association.tenancy import scopes_disabled, tenant_scope
from governance.rooms import services
from governance.rooms.models import Booking
from tests import factories
from tests.rooms.conftest import STOCKHOLM, at, last_sunday, next_weekday

pytestmark = pytest.mark.django_db


def test_overlapping_booking_is_refused_and_names_what_it_collides_with(
    association, room, staff, elected
):
    day = next_weekday(1)
    with tenant_scope(association):
        services.book(resource=room, actor=staff, starts_at=at(day, 10), ends_at=at(day, 12),
                      title="Styrelsens arbetsutskott")  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            services.book(resource=room, actor=elected, starts_at=at(day, 11),
                          ends_at=at(day, 13), title="Beredningsmöte")  # fmt: skip
    message = refused.value.messages[0]
    assert "Mötesrum Renmarkstorget" in message
    assert "10:00–12:00" in message
    assert "Styrelsens arbetsutskott" in message
    # An elected member is not told which staff member booked it.
    assert staff.email not in message
    with scopes_disabled():
        assert Booking.objects.filter(resource=room).count() == 1


def test_staff_are_told_who_booked(association, room, staff, elected, editor):
    day = next_weekday(2)
    with tenant_scope(association):
        services.book(resource=room, actor=elected, starts_at=at(day, 9), ends_at=at(day, 10),
                      title="Förberedelse")  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            services.book(resource=room, actor=editor, starts_at=at(day, 9, 30),
                          ends_at=at(day, 10, 30), title="Annat")  # fmt: skip
        assert "Eva Vald" in refused.value.messages[0]
        with pytest.raises(ValidationError) as own:
            services.book(resource=room, actor=elected, starts_at=at(day, 9),
                          ends_at=at(day, 9, 15), title="Dubbel")  # fmt: skip
    assert "by you" in own.value.messages[0] or "av dig" in own.value.messages[0]


def test_adjacent_bookings_do_not_collide(association, room, staff):
    day = next_weekday(3)
    with tenant_scope(association):
        services.book(resource=room, actor=staff, starts_at=at(day, 10), ends_at=at(day, 11),
                      title="Först")  # fmt: skip
        services.book(resource=room, actor=staff, starts_at=at(day, 11), ends_at=at(day, 12),
                      title="Sedan")  # fmt: skip
        services.book(resource=room, actor=staff, starts_at=at(day, 9), ends_at=at(day, 10),
                      title="Innan")  # fmt: skip
        assert Booking.objects.filter(resource=room).count() == 3


def test_other_resources_are_independent(association, room, staff):
    day = next_weekday(3)
    with tenant_scope(association):
        desk = services.create_resource(association=association, actor=None, name="Skrivbord 1")
        services.book(resource=room, actor=staff, starts_at=at(day, 10), ends_at=at(day, 11),
                      title="Rum")  # fmt: skip
        services.book(resource=desk, actor=staff, starts_at=at(day, 10), ends_at=at(day, 11),
                      title="Skrivbord")  # fmt: skip


def test_the_database_itself_refuses_an_overlap(association, room, staff):
    """Past the service: a plain INSERT of an overlapping row fails on the constraint."""
    day = next_weekday(1)
    with scopes_disabled():
        Booking.objects.create(association=association, resource=room, booked_by=staff,
                               starts_at=at(day, 8), ends_at=at(day, 9), title="A")  # fmt: skip
        with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
            Booking.objects.create(association=association, resource=room, booked_by=staff,
                                   starts_at=at(day, 8, 45), ends_at=at(day, 10),
                                   title="B")  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "constraint"),
    [
        ((10, 0), (9, 0), "booking_ends_after_start"),
        ((10, 0), (10, 0), "booking_ends_after_start"),
        ((10, 10), (11, 0), "booking_on_quarter_hours"),
        ((10, 0), (11, 5), "booking_on_quarter_hours"),
    ],
)
def test_the_database_checks_order_and_quarter_hours(association, room, staff, start, end,
                                                     constraint):  # fmt: skip
    day = next_weekday(4)
    with scopes_disabled(), pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Booking.objects.create(association=association, resource=room, booked_by=staff,
                               starts_at=at(day, *start), ends_at=at(day, *end),
                               title="Fel")  # fmt: skip


def test_the_database_refuses_seconds_and_more_than_twelve_hours(association, room, staff):
    day = next_weekday(4)
    with scopes_disabled():
        with pytest.raises(IntegrityError, match="booking_on_quarter_hours"), transaction.atomic():
            Booking.objects.create(
                association=association, resource=room, booked_by=staff, title="Sekund",
                starts_at=at(day, 10) + datetime.timedelta(microseconds=1), ends_at=at(day, 11),
            )  # fmt: skip
        with pytest.raises(IntegrityError, match="booking_at_most_12_hours"), transaction.atomic():
            Booking.objects.create(association=association, resource=room, booked_by=staff,
                                   starts_at=at(day, 6), ends_at=at(day, 18, 15),
                                   title="Lång")  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ((10, 0), (9, 0), "order"),
        ((6, 0), (18, 15), "too_long"),
        ((10, 5), (11, 0), "quarter"),
    ],
)
def test_the_service_refuses_bad_times_with_a_reason(association, room, staff, start, end, code):
    day = next_weekday(4)
    with tenant_scope(association), pytest.raises(ValidationError) as refused:
        services.book(resource=room, actor=staff, starts_at=at(day, *start),
                      ends_at=at(day, *end), title="Fel")  # fmt: skip
    error = refused.value
    found = error.error_list if not hasattr(error, "error_dict") else error.error_dict["ends_at"]
    assert [e.code for e in found] == [code]
    with scopes_disabled():
        assert not Booking.objects.exists()


def test_a_cancelled_booking_frees_the_slot_and_is_kept(association, room, staff, elected):
    day = next_weekday(1)
    with tenant_scope(association):
        first = services.book(resource=room, actor=elected, starts_at=at(day, 13),
                              ends_at=at(day, 14), title="Ställs in")  # fmt: skip
        services.cancel_booking(booking=first, actor=elected)
        second = services.book(resource=room, actor=staff, starts_at=at(day, 13),
                               ends_at=at(day, 14), title="Tar tiden")  # fmt: skip
        first.refresh_from_db()
        assert first.cancelled_at is not None and first.cancelled_by == elected
        assert second.cancelled_at is None
        assert Booking.objects.filter(resource=room).count() == 2
        actions = list(
            AuditEntry.objects.filter(object_type="rooms.booking", object_id=str(first.pk))
            .order_by("id").values_list("action", flat=True)
        )  # fmt: skip
        assert actions == ["created", "updated"]
        # A cancelled booking cannot be cancelled again, nor brought back by overlapping it.
        with pytest.raises(ValidationError):
            services.cancel_booking(booking=first, actor=elected)


def test_only_the_booker_or_a_staff_editor_may_cancel(association, room, staff, elected, editor):
    day = next_weekday(2)
    with tenant_scope(association):
        booking = services.book(resource=room, actor=elected, starts_at=at(day, 8),
                                ends_at=at(day, 9), title="Min")  # fmt: skip
        with pytest.raises(ValidationError):
            services.cancel_booking(booking=booking, actor=staff)  # read-only staff
        with pytest.raises(ValidationError):
            services.cancel_booking(booking=booking, actor=factories.make_user())
        services.cancel_booking(booking=booking, actor=editor)
        booking.refresh_from_db()
        assert booking.cancelled_by == editor


def test_a_staff_only_resource_refuses_elected_members(association, staff, elected):
    day = next_weekday(2)
    with tenant_scope(association):
        desk = services.create_resource(
            association=association, actor=None, name="Direktörens rum", bookable_by="staff"
        )
        with pytest.raises(ValidationError, match=r"staff|personal"):
            services.book(resource=desk, actor=elected, starts_at=at(day, 8), ends_at=at(day, 9),
                          title="Får inte")  # fmt: skip
        services.book(resource=desk, actor=staff, starts_at=at(day, 8), ends_at=at(day, 9),
                      title="Får")  # fmt: skip


def test_an_inactive_resource_takes_no_bookings(association, room, staff):
    day = next_weekday(2)
    with tenant_scope(association):
        room = services.update_resource(resource=room, actor=staff, expected_version=1,
                                        data={"active": False})  # fmt: skip
        assert room.version == 2
        with pytest.raises(ValidationError):
            services.book(resource=room, actor=staff, starts_at=at(day, 8), ends_at=at(day, 9),
                          title="Stängt")  # fmt: skip


def test_resource_edits_are_versioned_and_names_unique(association, room, staff):
    with tenant_scope(association):
        other = services.create_resource(association=association, actor=None, name="Skrivbord 1")
        with pytest.raises(services.ConcurrentEditError):
            services.update_resource(resource=room, actor=staff, expected_version=7,
                                     data={"capacity": 10})  # fmt: skip
        with pytest.raises(ValidationError) as taken:
            services.update_resource(resource=other, actor=staff, expected_version=1,
                                     data={"name": room.name})  # fmt: skip
        assert "name" in taken.value.error_dict
        with pytest.raises(ValidationError):
            services.create_resource(association=association, actor=None, name="Skrivbord 1")


def test_bookings_across_the_change_to_summer_time(association, room, staff):
    """The night the clocks go forward, 01:00–04:00 Swedish time is two real hours."""
    sunday = last_sunday(timezone.localdate().year + 1, 3)
    with tenant_scope(association):
        booking = services.book(resource=room, actor=staff, starts_at=at(sunday, 1),
                                ends_at=at(sunday, 4), title="Natt")  # fmt: skip
        booking.refresh_from_db()
    assert booking.ends_at - booking.starts_at == datetime.timedelta(hours=2)
    assert booking.starts_at.astimezone(datetime.UTC).hour == 0  # 01:00 CET
    assert booking.ends_at.astimezone(STOCKHOLM).hour == 4  # 04:00 CEST


def test_bookings_across_the_change_to_winter_time(association, room, staff):
    """The night the clocks go back, 00:00–04:00 Swedish time is five real hours, and a
    booking in the repeated hour collides with one in the same real hour only."""
    sunday = last_sunday(timezone.localdate().year + 1, 10)
    with tenant_scope(association):
        long = services.book(resource=room, actor=staff, starts_at=at(sunday, 0),
                             ends_at=at(sunday, 4), title="Natt")  # fmt: skip
        assert long.ends_at - long.starts_at == datetime.timedelta(hours=5)
        services.cancel_booking(booking=long, actor=staff)
        # 02:00–03:00 in summer time (first pass) and in winter time (second pass).
        summer = at(sunday, 2).astimezone(datetime.UTC)
        winter = at(sunday, 2).replace(fold=1).astimezone(datetime.UTC)
        assert winter - summer == datetime.timedelta(hours=1)
        services.book(resource=room, actor=staff, starts_at=summer,
                      ends_at=summer + datetime.timedelta(hours=1), title="Sommartid")  # fmt: skip
        services.book(resource=room, actor=staff, starts_at=winter,
                      ends_at=winter + datetime.timedelta(hours=1), title="Vintertid")  # fmt: skip
        assert Booking.objects.filter(cancelled_at__isnull=True).count() == 2


def test_twelve_hours_are_real_hours_across_the_change_to_winter_time(association, room, staff):
    """00:00–12:00 the night the clocks go back is 13 real hours: refused with a reason."""
    sunday = last_sunday(timezone.localdate().year + 1, 10)
    with tenant_scope(association), pytest.raises(ValidationError) as refused:
        services.book(resource=room, actor=staff, starts_at=at(sunday, 0),
                      ends_at=at(sunday, 12), title="Lång natt")  # fmt: skip
    assert [e.code for e in refused.value.error_dict["ends_at"]] == ["too_long"]
    spring = last_sunday(timezone.localdate().year + 1, 3)
    with tenant_scope(association):  # 00:00–12:30 the night they go forward: 11.5 hours
        services.book(resource=room, actor=staff, starts_at=at(spring, 0),
                      ends_at=at(spring, 12, 30), title="Kort natt")  # fmt: skip
