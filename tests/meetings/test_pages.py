"""Who sees what, through the pages: public, member, substitute, another body's member,
another association, staff; private notes even against staff and platform admins."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from association.models import Document
from association.tenancy import scopes_disabled
from governance.meetings import package, services
from governance.meetings.models import ItemNote
from governance.meetings.tasks import announce, build_meeting_package
from tests import factories
from tests.meetings.conftest import pdf_bytes, pdf_text, upload

pytestmark = pytest.mark.django_db


def url(meeting, name="detail", **extra):
    return reverse(
        f"meetings:{name}",
        kwargs={"association": meeting.association.slug, "pk": meeting.pk, **extra},
    )


@pytest.fixture
def meeting(association, board):
    meeting = factories.make_meeting(board)
    public = factories.make_item(meeting, "Verksamhetsplan och budget 2027")
    secret = factories.make_item(meeting, "Personalärende", is_public=False)
    with scopes_disabled():
        services.attach_document(
            item=public,
            actor=None,
            upload=upload("plan.pdf"),
            title="Verksamhetsplan",
            is_public=True,
        )
        services.attach_document(
            item=public, actor=None, upload=upload("pm.pdf"), title="Internt PM", is_public=False
        )
        services.attach_document(
            item=secret,
            actor=None,
            upload=upload("p.pdf"),
            title="Personalutredning",
            is_public=True,
        )
    return meeting


def documents(title):
    with scopes_disabled():
        return Document.objects.get(title=title).pk


def see(client, meeting):
    """(meeting page status, item titles shown, documents downloadable)."""
    response = client.get(url(meeting))
    text = response.content.decode() if response.status_code == 200 else ""
    shown = {t for t in ("Verksamhetsplan och budget", "Personalärende") if t in text}
    downloads = {
        title
        for title in ("Verksamhetsplan", "Internt PM", "Personalutredning")
        if client.get(url(meeting, "document", document=documents(title))).status_code == 200
    }
    return response.status_code, shown, downloads


def test_public_sees_nothing_before_notice_then_public_part(client, meeting):
    assert see(client, meeting) == (404, set(), set())
    with scopes_disabled():
        services.send_notice(meeting=meeting, actor=None)
    assert see(client, meeting) == (200, {"Verksamhetsplan och budget"}, {"Verksamhetsplan"})
    assert client.get(url(meeting, "agenda")).status_code == 302  # to log in
    assert client.get(url(meeting, "package")).status_code == 302
    assert client.post(url(meeting, "package")).status_code == 302
    assert client.get(url(meeting, "package_download")).status_code == 302


EVERYTHING = (
    200,
    {"Verksamhetsplan och budget", "Personalärende"},
    {"Verksamhetsplan", "Internt PM", "Personalutredning"},
)


@pytest.mark.parametrize("who", ["member", "personal"])
def test_members_and_substitutes_see_everything_before_notice(client, meeting, people, who):
    client.force_login(people[who])
    assert see(client, meeting) == EVERYTHING
    assert client.get(url(meeting, "agenda")).status_code == 200
    response = client.get(url(meeting, "package"))
    assert response.status_code == 200
    assert "Bygg möteshandlingarna (PDF)" in response.content.decode()


def test_staff_see_everything(client, association, meeting):
    client.force_login(factories.make_staff(association, "viewer"))
    assert see(client, meeting) == EVERYTHING


def test_other_bodys_member_sees_only_the_public_part(client, meeting, people):
    client.force_login(people["outsider"])
    assert see(client, meeting)[0] == 404
    with scopes_disabled():
        services.send_notice(meeting=meeting, actor=None)
    assert see(client, meeting) == (200, {"Verksamhetsplan och budget"}, {"Verksamhetsplan"})
    assert client.get(url(meeting, "agenda")).status_code == 403


def test_another_association_is_a_404(client, meeting):
    other = factories.make_association()
    client.force_login(factories.make_staff(other, "administrator"))
    with scopes_disabled():
        services.send_notice(meeting=meeting, actor=None)
    wrong = reverse("meetings:detail", kwargs={"association": other.slug, "pk": meeting.pk})
    assert client.get(wrong).status_code == 404
    wrong = reverse("meetings:agenda", kwargs={"association": other.slug, "pk": meeting.pk})
    assert client.get(wrong).status_code == 404


def test_a_note_is_read_by_its_author_alone(client, association, meeting, people):
    with scopes_disabled():
        item = meeting.items.get(title__startswith="Verksamhetsplan")
    client.force_login(people["member"])
    response = client.post(
        url(meeting, "note", item=item.pk), {f"item{item.pk}-text": "Fråga om lokalkostnaderna"}
    )
    assert response.status_code == 302
    assert "Fråga om lokalkostnaderna" in client.get(url(meeting, "agenda")).content.decode()
    for reader in (
        people["personal"],
        factories.make_staff(association, "administrator"),
        factories.make_platform_admin(),
    ):
        client.force_login(reader)
        for page in ("agenda", "detail", "items"):
            response = client.get(url(meeting, page))
            assert "lokalkostnaderna" not in response.content.decode(), (reader, page)
        outcome = build_meeting_package.apply(
            args=[association.pk, meeting.pk, reader.pk, "sv"]
        ).get()
        name = package.storage_name(association.pk, meeting.pk, outcome["key"])
        with default_storage.open(name) as stored:
            assert "lokalkostnaderna" not in pdf_text(stored.read())
    with scopes_disabled():
        assert ItemNote.objects.get().author == people["member"]


def test_renamed_html_and_svg_are_refused(client, association, meeting):
    client.force_login(factories.make_staff(association, "editor"))
    with scopes_disabled():
        item = meeting.items.first()
    for name, content in (
        ("budget.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("bild.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'),
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(
            url(meeting, "document_add", item=item.pk),
            {"file": SimpleUploadedFile(name, content), "title": "Försök"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
    with scopes_disabled():
        assert not Document.objects.filter(title="Försök").exists()


def test_new_version_keeps_the_old_one(client, association, meeting):
    client.force_login(factories.make_staff(association, "editor"))
    document = documents("Verksamhetsplan")
    response = client.post(
        url(meeting, "document_add_version", document=document),
        {"file": upload("plan-v2.pdf", pdf_bytes("Version 2")), "note": "Rättad budget"},
    )
    assert response.status_code == 302
    current = client.get(url(meeting, "document", document=document))
    first = client.get(url(meeting, "document_version", document=document, number=1))
    assert b"Version 2" in b"".join(current.streaming_content)
    assert b"Version 2" not in b"".join(first.streaming_content)
    assert 'filename="plan.pdf"' in first["Content-Disposition"]


def test_notice_e_mails_with_invitation(
    client, association, board, people, smtp_server, eager_tasks,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    meeting = factories.make_meeting(board, items=2)
    with scopes_disabled():
        services.send_notice(meeting=meeting, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        sent = announce(association.pk, meeting.pk, "notice", "leverans-1")
    # Member, personal substitute and two ordered substitutes (who have e-mail addresses).
    assert sent == 4 == len(smtp_server.messages)
    # The same notice again (a retried task) reaches nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert announce(association.pk, meeting.pk, "notice", "leverans-2") == 0
    assert len(smtp_server.messages) == 4
    recipients = {m["To"] for m in smtp_server.messages}
    assert people["member"].email in recipients and "forsta@example.org" in recipients
    assert people["outsider"].email not in recipients
    message = smtp_server.messages[0]
    assert "§ 1 Ärende 1" in message.get_body(("plain",)).get_content()
    invitation = next(
        p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
    )
    parsed = Calendar.from_ical(invitation.get_payload(decode=True))
    assert parsed["METHOD"] == "REQUEST"
    event = parsed.walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.calendar_uid
    assert "mailto:" in str(event["ORGANIZER"])


def test_agenda_and_meeting_pages_queries_do_not_grow(client, association, board, people):
    """5 and 80 items, every item with two documents (a public one with a second version,
    and one not public); the public page, the member's meeting and agenda pages and the
    staff's agenda editor."""
    from association.documents import add_version

    small = factories.make_meeting(board, items=5, notice=True)
    big = factories.make_meeting(board, items=80, notice=True)
    with scopes_disabled():
        for meeting in (small, big):
            for item in meeting.items.all():
                shown = services.attach_document(item=item, actor=None, upload=upload(),
                                                 is_public=True)  # fmt: skip
                add_version(document=shown.document, actor=None, upload=upload())
                services.attach_document(item=item, actor=None, upload=upload(), is_public=False)
        assert big.items.filter(attachments__isnull=False).distinct().count() == 80
    # The public page as a visitor sees it: only public items, each asked about its meeting.
    # (One page first: the association itself is then read from the cache, as it will be.)
    client.get(f"/{association.slug}/")
    counts = {}
    for meeting in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(meeting, "detail")).status_code == 200
        counts.setdefault("public", []).append(len(queries))
    client.force_login(people["member"])
    # The person's facts are computed on their first request (association/userfacts.py).
    client.get(f"/{association.slug}/")
    for meeting in (small, big):
        for page in ("detail", "agenda"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(meeting, page)).status_code == 200
            counts.setdefault(page, []).append(len(queries))
    client.force_login(factories.make_staff(association, "editor"))
    client.get(f"/{association.slug}/")
    for meeting in (small, big):
        for page in ("staff_detail", "items"):
            with CaptureQueriesContext(connection) as queries:
                path = url(meeting, "detail" if page == "staff_detail" else page)
                assert client.get(path).status_code == 200
            counts.setdefault(page, []).append(len(queries))
    for page, (five, eighty) in counts.items():
        assert five == eighty, (page, five, eighty)


def test_feeds_parse_and_private_feed_needs_the_token(client, association, board, people):
    factories.make_meeting(board, notice=True)
    planned = factories.make_meeting(board)
    feed = client.get(reverse("meetings:feed", kwargs={"association": association.slug}))
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert len(events) == 1
    body_feed = client.get(
        reverse("meetings:body_feed", kwargs={"association": association.slug, "body": board.slug})
    )
    assert len(Calendar.from_ical(body_feed.content).walk("VEVENT")) == 1
    client.force_login(people["member"])
    client.post(reverse("my_calendar_token"))
    with scopes_disabled():
        token = people["member"].meeting_calendar.token
    client.logout()
    private = client.get(reverse("private_feed", kwargs={"token": token}))
    uids = {str(e["UID"]) for e in Calendar.from_ical(private.content).walk("VEVENT")}
    assert planned.calendar_uid in uids and len(uids) == 2
    assert client.get(reverse("private_feed", kwargs={"token": "x" * 43})).status_code == 404
    client.force_login(people["member"])
    client.post(reverse("my_calendar_token"))
    client.logout()
    assert client.get(reverse("private_feed", kwargs={"token": token})).status_code == 404


def test_my_meetings_and_keyboard_free_reorder(client, association, board, people):
    meeting = factories.make_meeting(board, items=3)
    client.force_login(people["member"])
    page = client.get(reverse("my_meetings")).content.decode()
    assert url(meeting, "agenda") in page
    client.force_login(factories.make_staff(association, "editor"))
    with scopes_disabled():
        last = meeting.items.order_by("position").last()
    response = client.post(url(meeting, "item_move", item=last.pk), {"step": "up"})
    assert response.status_code == 302
    with scopes_disabled():
        assert [i.title for i in meeting.items.order_by("position")] == [
            "Ärende 1",
            "Ärende 3",
            "Ärende 2",
        ]
    response = client.post(
        url(meeting, "item_move", item=last.pk), {"step": "up"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'id="agenda-items"' in response.content.decode()


def test_absence_tells_staff_and_calls_up_the_substitute(
    client, association, board, people, smtp_server, eager_tasks,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    staff = factories.make_staff(association, "editor")
    meeting = factories.make_meeting(board, notice=True)
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        services.report_absence(meeting=meeting, user=people["member"])
    assert len(smtp_server.messages) == 2
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    text = by_recipient[staff.email].get_body(("plain",)).get_content()
    assert str(people["personal_person"]) in text
    assert people["personal"].email in by_recipient  # the substitute gets the notice


def test_a_move_after_notice_is_announced_with_the_same_uid(
    client, association, board, people, smtp_server, eager_tasks,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    import datetime

    meeting = factories.make_meeting(board, notice=True)
    with scopes_disabled():
        moved = services.update_meeting(
            meeting=meeting,
            actor=None,
            expected_version=meeting.version,
            data={
                "starts_at": meeting.starts_at + datetime.timedelta(hours=1),
                "ends_at": meeting.ends_at + datetime.timedelta(hours=1),
            },
            reason="Lokalen är upptagen",
        )
    with django_capture_on_commit_callbacks(execute=True):
        announce(association.pk, meeting.pk, "moved", "flytt-1")
    message = smtp_server.messages[0]
    assert message["Subject"].startswith("Flyttat:")
    assert "Lokalen är upptagen" in message.get_body(("plain",)).get_content()
    invitation = next(
        p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
    )
    event = Calendar.from_ical(invitation.get_payload(decode=True)).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.calendar_uid
    assert int(event["SEQUENCE"]) == moved.sequence == 1


def test_body_page_lists_next_meetings(client, association, board):
    meeting = factories.make_meeting(board, notice=True)
    planned = factories.make_meeting(board, title="Ännu inte kallat")
    page = client.get(
        reverse(
            "governance:body_detail", kwargs={"association": association.slug, "body": board.slug}
        )
    ).content.decode()
    assert url(meeting) in page and url(planned) not in page


def test_staff_mark_a_document_not_public_and_remove_it(client, association, meeting):
    with scopes_disabled():
        services.send_notice(meeting=meeting, actor=None)
    plan = documents("Verksamhetsplan")
    assert client.get(url(meeting, "document", document=plan)).status_code == 200
    client.force_login(factories.make_staff(association, "editor"))
    client.post(url(meeting, "document_public", document=plan), {"is_public": "0"})
    client.logout()
    assert client.get(url(meeting, "document", document=plan)).status_code == 404
    client.force_login(factories.make_staff(association, "editor"))
    client.post(url(meeting, "document_delete", document=plan))
    with scopes_disabled():
        assert not Document.objects.filter(pk=plan).exists()


def _private_feed(client, user):
    client.force_login(user)
    client.post(reverse("my_calendar_token"))
    with scopes_disabled():
        token = user.meeting_calendar.token
    client.logout()
    response = client.get(reverse("private_feed", kwargs={"token": token}))
    assert response.status_code == 200
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_private_feed_shows_the_persons_room_bookings(client, association, board, people):
    import datetime

    from governance.rooms.services import book, create_resource

    starts = factories.days_from_today(3, hour=13)
    hour, day = datetime.timedelta(hours=1), datetime.timedelta(days=1)
    with scopes_disabled():
        room = create_resource(association=association, actor=None, name="Mötesrummet",
                               kind="meeting_room", capacity=12,
                               location="Renmarkstorget")  # fmt: skip
        mine = book(resource=room, actor=people["member"], starts_at=starts,
                    ends_at=starts + 2 * hour, title="Förberedelse")  # fmt: skip
        book(resource=room, actor=people["outsider"], starts_at=starts + day,
             ends_at=starts + day + hour, title="Någon annans")  # fmt: skip
    events = {str(event["UID"]): event for event in _private_feed(client, people["member"])}
    booking = events[f"booking-{mine.pk}@samverka"]
    assert str(booking["SUMMARY"]) == "Mötesrummet: Förberedelse"
    assert str(booking["LOCATION"]) == "Renmarkstorget"
    assert booking.decoded("DTSTART") == starts
    assert booking.decoded("DTEND") == starts + 2 * hour
    assert not any("Någon annans" in str(event["SUMMARY"]) for event in events.values())
    others = _private_feed(client, people["outsider"])
    assert [str(event["SUMMARY"]) for event in others] == ["Mötesrummet: Någon annans"]


def test_cancelling_after_the_notice_sends_a_cancel_with_the_same_uid(
    client, association, board, people, smtp_server, eager_tasks,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    meeting = factories.make_meeting(board, notice=True)
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_meeting(meeting=meeting, actor=None, reason="Ingen lokal")
    recipients = {m["To"] for m in smtp_server.messages}
    assert recipients == {people["member"].email, people["personal"].email,
                          "forsta@example.org", "andra@example.org"}  # fmt: skip
    assert len(smtp_server.messages) == 4
    for message in smtp_server.messages:
        assert message["Subject"].startswith("Inställt:")
        assert "Ingen lokal" in message.get_body(("plain",)).get_content()
        invitation = next(
            p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"
        )
        assert invitation.get_param("method") == "CANCEL"
        parsed = Calendar.from_ical(invitation.get_payload(decode=True))
        assert parsed["METHOD"] == "CANCEL"
        (event,) = parsed.walk("VEVENT")
        assert str(event["UID"]) == meeting.calendar_uid
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == cancelled.sequence > meeting.sequence


def test_an_items_trail_is_shown_wherever_the_item_appears(client, association, board, people):
    """A preparatory committee's matter goes on to the board: the board's item names the
    committee's meeting and § on the public and member pages and in the staff's editor."""
    committee = people["other_body"]
    earlier = factories.make_meeting(committee, factories.days_from_today(5))
    first = factories.make_item(earlier, "Budget 2027")
    with scopes_disabled():
        services.send_notice(meeting=earlier, actor=None)
        first.refresh_from_db()
    meeting = factories.make_meeting(board)
    item = factories.make_item(meeting, "Budget 2027 till styrelsen", continues=first)
    with scopes_disabled():
        services.send_notice(meeting=meeting, actor=None)
    trail = f"{committee.name} {factories.days_from_today(5):%Y-%m-%d}"
    earlier_link = url(earlier, "detail")

    def shows_trail(path):
        text = client.get(path).content.decode()
        return "Tidigare i:" in text and trail in text and earlier_link in text

    assert shows_trail(url(meeting, "detail"))  # the public
    client.force_login(people["member"])
    assert shows_trail(url(meeting, "detail")) and shows_trail(url(meeting, "agenda"))
    client.force_login(factories.make_staff(association, "editor"))
    assert shows_trail(url(meeting, "items"))
    assert shows_trail(url(meeting, "item_update", item=item.pk))


def test_my_meetings_lists_both_associations_of_a_person_seated_in_both(
    client, association, other_association, board
):
    person = factories.make_user()
    other_board = factories.make_body(other_association, "styrelse", name="Andra styrelsen")
    factories.make_member(board, user=person)
    factories.make_member(other_board, user=person)
    ours = factories.make_meeting(board, notice=True)
    theirs = factories.make_meeting(other_board, factories.days_from_today(20))
    third = factories.make_association()
    elsewhere = factories.make_meeting(factories.make_body(third, "styrelse"), notice=True)
    client.force_login(person)
    page = client.get(reverse("my_meetings")).content.decode()
    assert url(ours, "agenda") in page and url(theirs, "agenda") in page
    assert url(elsewhere, "agenda") not in page and url(elsewhere) not in page
    assert "Andra styrelsen" in page
