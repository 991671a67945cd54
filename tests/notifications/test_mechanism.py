"""The notifications mechanism in the test's own process (tasks run eagerly, mail goes to
a real local SMTP server): exactly once, choices, digests, tenants, daylight saving, the
one-click link."""

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from association.notifications import services
from association.notifications.kinds import local_moment
from association.notifications.models import Channel, Delivery, Notification, Status
from association.tenancy import scopes_disabled, tenant_scope
from governance.meetings import services as meetings
from tests import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def run(eager_tasks, django_capture_on_commit_callbacks):
    """Run a service with its after-commit tasks executed (eagerly) when it returns."""

    def _run(function, *args, **kwargs):
        with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return _run


def _recipients(smtp):
    return Counter(message["To"] for message in smtp.messages)


def test_a_notice_reaches_every_member_and_substitute_once(
    association, board, seated, smtp_server, run
):
    meeting = factories.make_meeting(board, items=2)
    run(meetings.send_notice, meeting=meeting, actor=None)
    expected = {u.email for u in seated["members"]} | {
        seated["substitute"].email,
        seated["address"],
    }
    assert _recipients(smtp_server) == dict.fromkeys(expected, 1)
    # The task run again (a redelivered message) and a second batch of the same ids.
    from association.notifications.tasks import deliver_batch
    from governance.meetings.tasks import announce

    assert run(announce, association.pk, meeting.pk, "notice") == 0
    with scopes_disabled():
        ids = list(Delivery.objects.values_list("pk", flat=True))
        assert Delivery.objects.filter(status=Status.SENT).count() == 5
    assert run(deliver_batch, association.pk, ids) == 0
    assert len(smtp_server.messages) == 5
    # A deterministic Message-ID per delivery; the notice is required: no unsubscribe.
    assert all(m["Message-ID"].startswith("<delivery-") for m in smtp_server.messages)
    assert all(m["List-Unsubscribe"] is None for m in smtp_server.messages)


def test_choices_are_respected_and_a_required_kind_cannot_be_switched_off(
    association, board, seated, smtp_server, run
):
    first, second, third = seated["members"]
    services.set_choice(user=first, kind_key="meetings.absence", channel=Channel.PORTAL)
    with pytest.raises(ValidationError):
        services.set_choice(user=first, kind_key="meetings.notice", channel=Channel.PORTAL)
    services.set_choice(user=second, kind_key="meetings.notice", channel=Channel.DIGEST)
    meeting = factories.make_meeting(board)
    run(meetings.send_notice, meeting=meeting, actor=None)
    received = _recipients(smtp_server)
    assert first.email in received and third.email in received
    assert second.email not in received  # waits for the digest
    with scopes_disabled():
        waiting = Delivery.objects.get(notification__recipient=second)
        assert (waiting.channel, waiting.status) == (Channel.DIGEST, Status.QUEUED)
        # Everyone sees it in the portal, whatever they chose.
        assert Notification.objects.filter(recipient=second).count() == 1


def test_portal_only_means_no_e_mail(association, board, seated, smtp_server, run):
    editor = factories.make_staff(association, "editor", "kansli@example.org")
    services.set_choice(user=editor, kind_key="meetings.absence", channel=Channel.PORTAL)
    meeting = factories.make_meeting(board, notice=True)
    smtp_server.messages.clear()
    run(meetings.report_absence, meeting=meeting, user=seated["members"][0])
    assert "kansli@example.org" not in _recipients(smtp_server)
    with scopes_disabled():
        assert Notification.objects.filter(recipient=editor, kind="meetings.absence").exists()
        assert not Delivery.objects.filter(notification__recipient=editor).exists()


def test_the_digest_groups_a_days_items_in_one_e_mail(association, board, seated, smtp_server, run):
    member = seated["members"][0]
    services.set_choice(user=member, kind_key="meetings.notice", channel=Channel.DIGEST)
    for day in (10, 11):
        meeting = factories.make_meeting(
            board, starts_at=datetime(2026, 12, day, 10, tzinfo=STOCKHOLM)
        )
        run(meetings.send_notice, meeting=meeting, actor=None)
    smtp_server.messages.clear()
    with tenant_scope(association):
        assert services.send_digests(association, datetime.now(STOCKHOLM)) == 1
        assert services.send_digests(association, datetime.now(STOCKHOLM)) == 0  # once
    (digest,) = smtp_server.messages
    assert digest["To"] == member.email
    text = digest.get_content()
    assert "10 december 2026" in text and "11 december 2026" in text


def test_a_person_of_one_association_never_gets_anothers(
    association, other_association, board, seated, smtp_server, run
):
    other_board = factories.make_body(other_association, "styrelse")
    outsider = factories.make_member(other_board)
    meeting = factories.make_meeting(board)
    run(meetings.send_notice, meeting=meeting, actor=None)
    assert outsider.email not in _recipients(smtp_server)
    # Deliveries of one association handed to another's task are not found there.
    with scopes_disabled():
        ids = list(Delivery.objects.values_list("pk", flat=True))
        Delivery.objects.update(status=Status.QUEUED)
    smtp_server.messages.clear()
    with tenant_scope(other_association):
        assert services.deliver(other_association, ids) == 0
    assert smtp_server.messages == []
    with scopes_disabled():
        assert not Notification.objects.filter(association=other_association).exists()


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        # The last Sunday of March 2026 is the 29th: 08:00 is 07:00 UTC before, 06:00 after.
        (date(2026, 3, 28), 7), (date(2026, 3, 29), 6), (date(2026, 3, 30), 6),
        # The last Sunday of October 2026 is the 25th: 06:00 UTC before, 07:00 after.
        (date(2026, 10, 24), 6), (date(2026, 10, 25), 7), (date(2026, 10, 26), 7),
    ],
)  # fmt: skip
def test_a_reminder_due_at_eight_goes_out_at_eight_across_daylight_saving(
    association, smtp_server, run, day, utc_hour
):
    factories.make_staff(association, "editor", "kansli@example.org")
    # The term ends 60 days (the default lead time) after ``day``.
    factories.make_term(association, "2027", start=day - timedelta(days=900),
                        end=day + timedelta(days=60))  # fmt: skip
    due = local_moment(day)
    assert due.astimezone(ZoneInfo("UTC")).hour == utc_hour
    with tenant_scope(association):
        assert run(services.scan, association, due - timedelta(minutes=1)) == 0
        assert smtp_server.messages == []
        assert run(services.scan, association, due) == 1
        assert run(services.scan, association, due + timedelta(hours=1)) == 1  # found, not made
    assert _recipients(smtp_server) == {"kansli@example.org": 1}
    assert "60" not in smtp_server.messages[0]["Subject"]


def test_staff_change_the_lead_time(association, smtp_server, run):
    editor = factories.make_staff(association, "editor", "kansli@example.org")
    factories.make_term(association, "2027", start=date(2024, 1, 1), end=date(2026, 12, 31))
    with tenant_scope(association):
        services.set_lead_time(association=association, actor=editor,
                               kind_key="governance.term_ending", days=30)  # fmt: skip
        with pytest.raises(ValidationError):
            services.set_lead_time(association=association, actor=editor,
                                   kind_key="meetings.notice", days=3)  # fmt: skip
        sixty = local_moment(date(2026, 11, 1))
        assert run(services.scan, association, sixty) == 0
        assert run(services.scan, association, local_moment(date(2026, 12, 1))) == 1


def test_the_one_click_link_changes_the_choice_and_refuses_a_tampered_token(
    client, association, board, seated, smtp_server, run, settings
):
    settings.SITE_URL = "https://samverka.example.se"
    editor = factories.make_staff(association, "editor", "kansli@example.org")
    meeting = factories.make_meeting(board, notice=True)
    smtp_server.messages.clear()
    run(meetings.report_absence, meeting=meeting, user=seated["members"][0])
    mail = next(m for m in smtp_server.messages if m["To"] == editor.email)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip("<>")
    assert url in mail.get_content()
    path = url.removeprefix("https://samverka.example.se")
    page = client.get(path)
    assert page.status_code == 200 and "Absence reported" not in page.text  # in Swedish
    saved = client.post(path, {"channel": Channel.DIGEST}, follow=True)
    assert "Ditt val är sparat." in saved.text
    assert services.choices_of(editor) == {"meetings.absence": Channel.DIGEST}
    # RFC 8058: the mail client's one-click POST.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 204
    assert services.choices_of(editor) == {"meetings.absence": Channel.PORTAL}
    tampered = path.replace("/val/", "/val/x")
    assert client.get(tampered).status_code == 404
    assert client.post(tampered, {"channel": Channel.EMAIL}).status_code == 404
    assert client.post(path, {"channel": "nonsense"}).status_code == 400


def test_a_required_kinds_link_offers_no_portal_only(client, association, board, seated):
    token = services.choice_token(seated["members"][0].pk, "meetings.notice")
    path = reverse("notification_choice", kwargs={"token": token})
    assert 'value="portal"' not in client.get(path).text
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 204
    assert services.choices_of(seated["members"][0]) == {}
    assert client.post(path, {"channel": Channel.PORTAL}).status_code == 400
