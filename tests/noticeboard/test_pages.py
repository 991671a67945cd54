"""The public board, its feeds, the staff's follow-up and posting by hand."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from association.tenancy import scopes_disabled, tenant_scope
from governance.noticeboard import services
from governance.noticeboard.models import Posting
from tests import factories
from tests.noticeboard.conftest import at, days_ago, meeting_on, posted_notice

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def sections(html: str) -> tuple[str, str]:
    """The page's current notices and its earlier ones."""
    current, _, past = html.partition('id="past-heading"')
    return current, past


@pytest.fixture
def notices(association, board):
    """One notice up (posted 3 days ago), one that came down (posted 40 days ago)."""
    up = posted_notice(board, posted_days_ago=3)
    down = posted_notice(board, posted_days_ago=40)
    return up, down


def test_the_board_shows_current_and_earlier_notices_without_login(client, notices):
    up, down = notices
    response = client.get("/norrbotten/anslagstavla/")
    assert response.status_code == 200
    current, past = sections(response.text)
    assert f'href="/norrbotten/anslagstavla/{up.pk}/"' in current
    assert f'href="/norrbotten/anslagstavla/{down.pk}/"' not in current
    assert f'href="/norrbotten/anslagstavla/{down.pk}/"' in past
    assert up.kept_at in current
    # Each notice links to the meeting's public minutes (or the meeting page until they exist).
    assert f'href="{up.minutes_url()}"' in current
    assert f"/norrbotten/moten/{up.meeting_id}/" in up.minutes_url()


def test_a_notice_is_current_until_the_end_of_the_day_it_comes_down(client, board):
    last_day = posted_notice(board, posted_days_ago=21)
    gone = posted_notice(board, posted_days_ago=22)
    assert last_day.comes_down_on == timezone.localdate()
    current, past = sections(client.get("/norrbotten/anslagstavla/").text)
    assert f"/anslagstavla/{last_day.pk}/" in current
    assert f"/anslagstavla/{gone.pk}/" in past and f"/anslagstavla/{gone.pk}/" not in current


def test_a_cached_board_never_shows_a_notice_as_current_after_it_came_down(
    client, board, monkeypatch
):
    """The anonymous page cache keys pages by the day: tomorrow's visitor gets a fresh page."""
    notice = posted_notice(board, posted_days_ago=21)  # its last day is today
    for _ in range(2):
        client.get("/norrbotten/anslagstavla/")
    cached = client.get("/norrbotten/anslagstavla/")
    assert cached["X-Page-Cache"] == "hit"
    assert f"/anslagstavla/{notice.pk}/" in sections(cached.text)[0]
    real = timezone.localdate
    tomorrow = real() + datetime.timedelta(days=1)

    def localdate(value=None, tz=None):
        return tomorrow if value is None else real(value, tz)

    monkeypatch.setattr(timezone, "localdate", localdate)
    response = client.get("/norrbotten/anslagstavla/")
    assert "X-Page-Cache" not in response
    current, past = sections(response.text)
    assert f"/anslagstavla/{notice.pk}/" not in current
    assert f"/anslagstavla/{notice.pk}/" in past


def test_another_associations_notices_are_neither_listed_nor_found(
    client, notices, other_association
):
    elsewhere = factories.make_body(other_association, "styrelse", name="Annan styrelse")
    foreign = posted_notice(elsewhere, posted_days_ago=2)
    page = client.get("/norrbotten/anslagstavla/").text
    assert "Annan styrelse" not in page and f"/anslagstavla/{foreign.pk}/" not in page
    assert client.get(f"/norrbotten/anslagstavla/{foreign.pk}/").status_code == 404
    feed = client.get("/norrbotten/anslagstavla/atom.xml").text
    assert "Annan styrelse" not in feed
    assert b"Annan styrelse" not in client.get("/norrbotten/anslagstavla/kalender.ics").content
    assert "Annan styrelse" in client.get("/annat/anslagstavla/").text


def test_the_notice_page_says_what_the_notice_states(client, notices):
    up, down = notices
    page = client.get(f"/norrbotten/anslagstavla/{up.pk}/")
    assert page.status_code == 200
    assert "Styrelsen" in page.text and up.kept_at in page.text
    assert up.comes_down_on.isoformat() in page.text  # the <time datetime=…>
    assert "Anslaget är uppsatt" in page.text
    assert (
        "överklagandetiden har gått ut" in client.get(f"/norrbotten/anslagstavla/{down.pk}/").text
    )


def test_the_atom_feed_parses_and_lists_every_notice(client, notices):
    up, _ = notices
    response = client.get("/norrbotten/anslagstavla/atom.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert "Norrbottens Kommuner" in root.find(f"{ATOM}title").text
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    newest = entries[0]
    assert (
        newest.find(f"{ATOM}link").get("href")
        == f"http://testserver/norrbotten/anslagstavla/{up.pk}/"
    )
    assert "Styrelsen" in newest.find(f"{ATOM}title").text
    summary = newest.find(f"{ATOM}summary").text
    assert up.kept_at in summary and up.comes_down_on.strftime("%Y") in summary
    assert newest.find(f"{ATOM}updated").text.startswith(up.posted_on.isoformat())


def test_a_control_character_in_what_a_notice_states_does_not_break_the_feed(
    client, association, board
):
    from governance.models import Body

    with scopes_disabled():
        Body.objects.filter(pk=board.pk).update(name="Styr\x0belsen")
    notice = posted_notice(board, posted_days_ago=1)
    assert "\x0b" in notice.body_name
    response = client.get("/norrbotten/anslagstavla/atom.xml")
    assert response.status_code == 200
    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text.startswith("Styrelsen")


def test_the_calendar_has_each_notice_from_posted_to_down(client, notices):
    up, down = notices
    response = client.get("/norrbotten/anslagstavla/kalender.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"notice-{up.pk}@samverka", f"notice-{down.pk}@samverka"}
    event = events[f"notice-{up.pk}@samverka"]
    assert event.decoded("DTSTART").date() == up.posted_on
    assert event.decoded("DTEND").date() == up.comes_down_on + datetime.timedelta(days=1)
    assert str(event["LOCATION"]) == up.kept_at


def count_board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/norrbotten/anslagstavla/", HTTP_COOKIE="")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/norrbotten/anslagstavla/", "/norrbotten/anslagstavla/atom.xml",
                                  "/norrbotten/anslagstavla/kalender.ics"])  # fmt: skip
def test_the_board_and_feeds_make_as_many_queries_for_80_notices_as_for_5(
    client, association, board, settings, path
):
    settings.PAGE_CACHE_SECONDS = 0  # count the page's own queries every time
    staff = factories.make_staff(association, "viewer")
    client.force_login(staff)

    def count() -> int:
        client.get(path)  # warm the person's cached facts
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    for number in range(5):
        posted_notice(board, posted_days_ago=number * 7 % 60, meeting_days_before=number + 1)
    few = count()
    for number in range(5, 80):
        posted_notice(board, posted_days_ago=number % 60, meeting_days_before=number + 1)
    assert count() == few


# --- staff --------------------------------------------------------------------------------------


def test_staff_see_what_to_follow_up_and_the_public_does_not(client, login, association, board):
    late_meeting = meeting_on(board, days_ago(20))
    adjusted = meeting_on(board, days_ago(12))
    minutes = factories.make_adjusted_minutes(adjusted, at(days_ago(5)))
    assert client.get("/norrbotten/anslagstavla/bevakning/").status_code == 302
    login(factories.make_staff(association, "viewer"))
    page = client.get("/norrbotten/anslagstavla/bevakning/")
    assert page.status_code == 200
    late_section = page.text.split('id="late-adjustment"')[1]
    assert f"/norrbotten/moten/{late_meeting.pk}/" in late_section
    notices_section = page.text.split('id="late-notices"')[1].split('id="awaiting"')[0]
    assert days_ago(12).isoformat() in notices_section
    # A viewer may not post: no button.
    assert f"/anslagstavla/anslag/ny/{minutes.pk}/" not in page.text


def test_an_editor_posts_a_missed_notice_by_hand(client, login, association, board):
    with tenant_scope(association):
        services.save_settings(association=association, actor=None, expected_version=0,
                               data={"automatic": False})  # fmt: skip
    minutes = factories.make_adjusted_minutes(meeting_on(board, days_ago(12)), at(days_ago(5)))
    editor = factories.make_staff(association, "editor")
    login(editor)
    watch = client.get("/norrbotten/anslagstavla/bevakning/").text
    url = f"/norrbotten/anslagstavla/anslag/ny/{minutes.pk}/"
    assert url in watch
    assert client.get(url).status_code == 200
    response = client.post(url, {"kept_at": "Kansliet, Luleå"})
    with scopes_disabled():
        posting = Posting.objects.get(minutes=minutes)
    assert response.status_code == 302 and response["Location"] == posting.get_absolute_url()
    assert posting.posted_by == editor and not posting.automatic
    assert posting.posted_on == timezone.localdate() and posting.kept_at == "Kansliet, Luleå"
    # Posting again leads to the notice; nothing changes.
    assert client.get(url)["Location"] == posting.get_absolute_url()
    again = client.post(url, {"kept_at": "Annat"})
    assert again.status_code == 200 and "redan uppsatt" in again.text
    with scopes_disabled():
        assert Posting.objects.get(minutes=minutes).kept_at == "Kansliet, Luleå"


def test_minutes_not_adjusted_or_of_another_association_cannot_be_posted(
    client, login, association, board, other_association
):
    from governance.meetings.models import Minutes

    with scopes_disabled():
        draft = Minutes.objects.create(
            association=association, meeting=meeting_on(board, days_ago(3))
        )
    elsewhere = factories.make_body(other_association, "styrelse")
    foreign = factories.make_adjusted_minutes(meeting_on(elsewhere, days_ago(3)))
    login(factories.make_staff(association, "editor"))
    for minutes in (draft, foreign):
        url = f"/norrbotten/anslagstavla/anslag/ny/{minutes.pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"kept_at": "x"}).status_code == 404


def test_the_settings_are_saved_and_bad_input_is_shown(client, login, association):
    login(factories.make_staff(association, "administrator"))
    url = "/norrbotten/anslagstavla/installningar/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"rule": "own", "period_length": "0", "period_unit": "weeks",
                            "posting_days": "abc", "default_kept_at": "Kansliet"})  # fmt: skip
    assert bad.status_code == 200
    assert bad.context["form"].errors.keys() >= {"period_length", "posting_days"}
    assert 'value="Kansliet"' in bad.text
    good = client.post(url, {"rule": "own", "period_length": "30", "period_unit": "days",
                             "posting_days": "3", "default_kept_at": "Kansliet"})  # fmt: skip
    assert good.status_code == 302
    with tenant_scope(association):
        saved = services.settings_of(association)
    assert (saved.appeal_days, saved.posting_deadline_days, saved.automatic) == (30, 3, False)
    # Someone else saves meanwhile (version 1 -> 2); a form still at version 1 is refused.
    again = client.post(url, {"rule": "own", "period_length": "30", "period_unit": "days",
                              "posting_days": "4", "version": "1"})  # fmt: skip
    assert again.status_code == 302
    stale = client.post(url, {"rule": "kommunallagen", "period_length": "3", "period_unit": "weeks",
                              "posting_days": "2", "automatic": "on", "version": "1"})  # fmt: skip
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert "Nuvarande inställningar" in stale.text
    with tenant_scope(association):
        assert services.settings_of(association).posting_days == 4
