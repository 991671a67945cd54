"""The rooms pages: who gets in, the booking form's errors, the week view and its queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from association.tenancy import scopes_disabled
from governance.rooms import services
from governance.rooms.models import Booking
from tests import factories
from tests.rooms.conftest import at, last_sunday, next_weekday

pytestmark = pytest.mark.django_db

BOOKER_PAGES = ["/norrbotten/lokaler/", "/norrbotten/lokaler/boka/", "/norrbotten/lokaler/mina/"]
ADMIN_PAGES = ["/norrbotten/lokaler/resurser/", "/norrbotten/lokaler/resurser/ny/"]


def _book(room, user, day, start, end, title="Möte"):
    with scopes_disabled():
        return services.book(resource=room, actor=user, starts_at=at(day, *start),
                             ends_at=at(day, *end), title=title)  # fmt: skip


def _form(day, start="10:00", end="11:00", **extra):
    return {"date": day.isoformat(), "start": start, "end": end, "title": "Arbetsmöte", **extra}


def test_anonymous_visitors_are_sent_to_log_in(client, room):
    for url in [*BOOKER_PAGES, *ADMIN_PAGES, f"/norrbotten/lokaler/resurser/{room.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_people_without_a_role_or_seat_here_are_refused(client, room, other_association):
    outsider = factories.make_staff(other_association, "administrator")
    other_body = factories.make_body(other_association, "styrelse")
    elected_elsewhere = factories.make_member(other_body)
    for person in (outsider, elected_elsewhere, factories.make_user()):
        client.force_login(person)
        for url in [*BOOKER_PAGES, *ADMIN_PAGES]:
            assert client.get(url).status_code == 403, url
        response = client.post(
            "/norrbotten/lokaler/boka/", _form(next_weekday(1), resource=room.pk)
        )
        assert response.status_code == 403
    with scopes_disabled():
        assert not Booking.objects.exists()


def test_another_associations_objects_are_404_even_for_their_staff(client, room, association,
                                                                   other_association):  # fmt: skip
    """The home association's room and booking through the other association's address."""
    other_staff = factories.make_staff(other_association, "editor")
    booking = _book(room, factories.make_staff(association, "viewer"), next_weekday(1),
                    (9, 0), (10, 0))  # fmt: skip
    client.force_login(other_staff)
    slug = other_association.slug
    assert client.get(f"/{slug}/lokaler/resurser/{room.pk}/").status_code == 404
    assert client.post(f"/{slug}/lokaler/bokningar/{booking.pk}/avboka/").status_code == 404
    # Nor can the room be booked there: it is not among that association's choices.
    response = client.post(f"/{slug}/lokaler/boka/", _form(next_weekday(1), resource=room.pk))
    assert response.status_code == 200
    assert "errorlist" in response.text
    with scopes_disabled():
        booking.refresh_from_db()
        assert booking.cancelled_at is None
        assert Booking.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "elected"])
def test_staff_and_elected_members_book_through_the_form(client, room, who, request):
    person = request.getfixturevalue(who)
    client.force_login(person)
    day = next_weekday(2)
    assert client.get("/norrbotten/lokaler/").status_code == 200
    assert client.get(f"/norrbotten/lokaler/boka/?resurs={room.pk}&datum={day}").status_code == 200
    response = client.post("/norrbotten/lokaler/boka/", _form(day, "13:15", "14:45",
                                                               resource=room.pk))  # fmt: skip
    assert response.status_code == 302
    assert "?vecka=" in response["Location"]
    with scopes_disabled():
        booking = Booking.objects.get()
    assert booking.booked_by == person
    assert timezone.localtime(booking.starts_at).time() == datetime.time(13, 15)
    assert timezone.localtime(booking.ends_at).time() == datetime.time(14, 45)
    week = client.get(response["Location"]).text
    assert "13:15–14:45" in week and "Arbetsmöte" in week


def test_elected_members_see_no_staff_only_resource_and_no_names(client, association, room,
                                                                 staff, elected):  # fmt: skip
    with scopes_disabled():
        services.create_resource(association=association, actor=None, name="Personalrummet",
                                 bookable_by="staff")  # fmt: skip
    day = next_weekday(1)
    _book(room, staff, day, (9, 0), (10, 0), title="Personalmöte")
    client.force_login(elected)
    form_page = client.get("/norrbotten/lokaler/boka/").text
    assert "Personalrummet" not in form_page
    week = client.get(f"/norrbotten/lokaler/?vecka={day:%G-W%V}").text
    assert "Personalmöte" in week
    assert staff.email not in week
    client.force_login(staff)
    assert staff.email in client.get(f"/norrbotten/lokaler/?vecka={day:%G-W%V}").text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start": "11:00", "end": "10:00"}, "end"),
        ({"start": "10:00", "end": "10:00"}, "end"),
        ({"start": "10:07"}, "start"),
        ({"start": "25:00"}, "start"),
        ({"start": "tio"}, "start"),
        ({"end": "\x00"}, "end"),
        ({"date": "02/03/2027"}, "date"),
        ({"date": "2027-02-30"}, "date"),
        ({"date": "1999-01-01"}, "date"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 500}, "title"),
        ({"resource": "999999"}, "resource"),
        ({"resource": "abc"}, "resource"),
        ({"start": "06:00", "end": "19:00"}, "end"),  # longer than 12 hours
    ],
)
def test_bad_input_gives_form_errors_and_keeps_what_was_typed(client, room, staff, data, field):
    client.force_login(staff)
    day = next_weekday(3)
    payload = {**_form(day, resource=room.pk), **data}
    response = client.post("/norrbotten/lokaler/boka/", payload)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    if "title" not in data:
        assert 'value="Arbetsmöte"' in response.text  # what was typed is kept
    with scopes_disabled():
        assert not Booking.objects.exists()


def test_a_collision_through_the_form_says_what_it_collides_with(client, room, staff, elected):
    day = next_weekday(2)
    _book(room, staff, day, (10, 0), (12, 0), title="Ledningsgrupp")
    client.force_login(elected)
    response = client.post("/norrbotten/lokaler/boka/", _form(day, "11:30", "13:00",
                                                              resource=room.pk))  # fmt: skip
    assert response.status_code == 200
    text = response.text
    assert "redan bokat" in text and "10:00–12:00" in text and "Ledningsgrupp" in text
    assert staff.email not in text


def test_a_time_the_clocks_skip_is_refused(client, room, staff):
    spring = last_sunday(timezone.localdate().year + 1, 3)
    client.force_login(staff)
    response = client.post("/norrbotten/lokaler/boka/", _form(spring, "02:30", "03:30",
                                                              resource=room.pk))  # fmt: skip
    assert response.status_code == 200
    assert "start" in response.context["form"].errors
    # 01:00–04:00 exists, and is two real hours.
    response = client.post("/norrbotten/lokaler/boka/", _form(spring, "01:00", "04:00",
                                                              resource=room.pk))  # fmt: skip
    assert response.status_code == 302
    with scopes_disabled():
        booking = Booking.objects.get()
    assert booking.ends_at - booking.starts_at == datetime.timedelta(hours=2)


def test_the_week_of_the_change_to_winter_time_shows_local_times(client, room, staff):
    autumn = last_sunday(timezone.localdate().year + 1, 10)
    saturday = autumn - datetime.timedelta(days=1)
    _book(room, staff, saturday, (22, 0), (23, 0), title="Före")
    _book(room, staff, autumn, (9, 0), (10, 30), title="Efter")
    client.force_login(staff)
    text = client.get(f"/norrbotten/lokaler/?vecka={autumn:%G-W%V}").text
    assert "22:00–23:00" in text and "09:00–10:30" in text


def test_until_midnight_and_over_midnight(client, room, staff):
    day = next_weekday(4)
    client.force_login(staff)
    response = client.post("/norrbotten/lokaler/boka/", _form(day, "18:00", "00:00",
                                                              resource=room.pk))  # fmt: skip
    assert response.status_code == 302
    with scopes_disabled():
        booking = Booking.objects.get()
    assert timezone.localtime(booking.ends_at).date() == day + datetime.timedelta(days=1)
    text = client.get(f"/norrbotten/lokaler/?vecka={day:%G-W%V}").text
    assert text.count("18:00–00:00") == 1  # not repeated on the next day


@pytest.mark.parametrize(
    "week", ["", "garbage", "2026-W99", "1066-W01", "2026-W1", "\x00", "9" * 50]
)
def test_any_week_parameter_gives_a_page(client, room, staff, week):
    client.force_login(staff)
    response = client.get("/norrbotten/lokaler/", {"vecka": week})
    assert response.status_code == 200


def test_week_navigation(client, room, staff):
    client.force_login(staff)
    text = client.get("/norrbotten/lokaler/?vecka=2027-W01").text
    assert "?vecka=2026-W53" in text  # 2026 has 53 ISO weeks
    assert "?vecka=2027-W02" in text
    assert re.search(r"4 januari.{0,3}10 januari 2027", text)


def test_cancelling_from_my_bookings(client, room, staff, elected, editor):
    day = next_weekday(2)
    mine = _book(room, elected, day, (8, 0), (9, 0), title="Eget")
    theirs = _book(room, staff, day, (9, 0), (10, 0), title="Annans")
    client.force_login(elected)
    page = client.get("/norrbotten/lokaler/mina/").text
    assert "Eget" in page and "Annans" not in page
    response = client.post(f"/norrbotten/lokaler/bokningar/{theirs.pk}/avboka/")
    assert response.status_code == 302
    response = client.post(f"/norrbotten/lokaler/bokningar/{mine.pk}/avboka/")
    assert response.status_code == 302
    with scopes_disabled():
        mine.refresh_from_db()
        theirs.refresh_from_db()
    assert mine.cancelled_by == elected and theirs.cancelled_at is None
    # A staff editor sees everyone's bookings and may cancel them.
    client.force_login(editor)
    assert "Annans" in client.get("/norrbotten/lokaler/mina/").text
    client.post(f"/norrbotten/lokaler/bokningar/{theirs.pk}/avboka/")
    with scopes_disabled():
        theirs.refresh_from_db()
    assert theirs.cancelled_by == editor
    assert client.get("/norrbotten/lokaler/bokningar/999999/avboka/").status_code == 405
    assert client.post("/norrbotten/lokaler/bokningar/999999/avboka/").status_code == 404


def test_staff_editors_add_and_edit_resources(client, association, room, editor, staff):
    client.force_login(staff)  # read-only staff book, but do not manage resources
    assert client.get("/norrbotten/lokaler/resurser/").status_code == 403
    client.force_login(editor)
    response = client.post("/norrbotten/lokaler/resurser/ny/", {
        "name": "Skrivbord 7", "kind": "desk", "capacity": "1", "location": "Renmarkstorget",
        "description": "", "bookable_by": "staff_and_elected", "active": "on",
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post("/norrbotten/lokaler/resurser/ny/", {
        "name": "Skrivbord 7", "kind": "desk", "capacity": "1", "bookable_by": "staff",
    })  # fmt: skip
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = client.post(f"/norrbotten/lokaler/resurser/{room.pk}/", {
        "name": room.name, "kind": "meeting_room", "capacity": "14", "location": "",
        "description": "", "bookable_by": "staff", "version": "1",
    })  # fmt: skip
    assert response.status_code == 302
    with scopes_disabled():
        room.refresh_from_db()
    assert (room.capacity, room.active, room.version) == (14, False, 2)
    # A stale version is refused and shows the current values.
    response = client.post(f"/norrbotten/lokaler/resurser/{room.pk}/", {
        "name": room.name, "kind": "meeting_room", "capacity": "3", "bookable_by": "staff",
        "version": "1",
    })  # fmt: skip
    assert response.status_code == 200 and response.context["conflict"]


def test_week_view_queries_do_not_grow_with_bookings(client, association, room, staff, elected):
    with scopes_disabled():
        desks = [
            services.create_resource(association=association, actor=None, name=f"Skrivbord {n}")
            for n in range(1, 4)
        ]
    day = next_weekday(0)
    url = f"/norrbotten/lokaler/?vecka={day:%G-W%V}"
    _book(room, staff, day, (7, 0), (8, 0))
    client.force_login(staff)

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    before = count(url), count("/norrbotten/lokaler/mina/")
    people = [staff, elected, factories.make_staff(association, "editor", totp=False)]
    for offset in range(5):
        for hour in range(8, 16):
            for number, resource in enumerate([room, *desks]):
                _book(resource, people[(hour + number) % 3], day + datetime.timedelta(days=offset),
                      (hour, 15), (hour + 1, 0), title=f"Bokning {hour}")  # fmt: skip
    with scopes_disabled():
        assert Booking.objects.count() > 150
    after = count(url), count("/norrbotten/lokaler/mina/")
    assert before == after


def test_the_main_menu_links_to_the_rooms_for_those_who_may_book(client, room, elected,
                                                                 other_association):  # fmt: skip
    link = 'href="/norrbotten/lokaler/"'
    assert link not in client.get("/norrbotten/").text
    client.force_login(factories.make_staff(other_association, "administrator"))
    assert link not in client.get("/norrbotten/").text
    client.force_login(elected)
    assert link in client.get("/norrbotten/").text
