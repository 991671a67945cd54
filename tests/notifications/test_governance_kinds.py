"""The kinds of meetings part 2, the notice board and per capsulam, through the mechanism
(tasks run eagerly, mail to a real local SMTP server): each reaches exactly the right
people, and a second scan or a repeated event sends nothing. Dates are built from today."""

import re
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from association.notifications import services
from association.notifications.kinds import local_moment
from association.notifications.models import Channel, Delivery, Notification, Status
from association.tenancy import scopes_disabled, tenant_scope
from governance.decisions import services as decisions
from governance.meetings import records
from governance.meetings import services as meetings
from governance.noticeboard import services as noticeboard
from tests import factories
from tests.meetings.conftest import upload
from tests.noticeboard.conftest import STOCKHOLM


@pytest.fixture
def run(eager_tasks, django_capture_on_commit_callbacks):
    def _run(function, *args, **kwargs):
        with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return _run


@pytest.fixture
def council(association, board):
    """A board: chair, member and second member with logins, a secretary; staff: an
    administrator, an editor and a read-only viewer."""
    seat = factories.make_post(board, members=3, substitutes=1, label="Kommunerna")
    users, people = {}, {}
    for key, role in (("chair", "chair"), ("member", "member"), ("other", "member"),
                      ("secretary", "secretary")):  # fmt: skip
        user = factories.make_user(f"{key}@example.org")
        person = factories.make_person(association, user=user)
        factories.assign(board, person, role=role, seat=None if role == "secretary" else seat)
        users[key], people[key] = user, person
    for role in ("administrator", "editor", "viewer"):
        users[role] = factories.make_staff(association, role, f"{role}@example.org")
    return {"board": board, "users": users, "people": people}


def _mails(smtp, kind: str) -> Counter:
    """Who received e-mails of ``kind`` (told by the Message-ID, whatever the language)."""
    with scopes_disabled():
        ids = set(Notification.objects.filter(kind=kind).values_list("pk", flat=True))
    found = (re.search(r"\.n(\d+)@", m["Message-ID"] or "") for m in smtp.messages)
    return Counter(m["To"] for m, f in zip(smtp.messages, found, strict=True)
                   if f and int(f.group(1)) in ids)  # fmt: skip


def _day(days: int):
    return timezone.localdate() + timedelta(days=days)


def _at(day, hour: int = 10):
    return datetime.combine(day, time(hour), tzinfo=STOCKHOLM)


def _out_for_adjustment(meeting, people, run):
    with scopes_disabled():
        minutes = records.draft_minutes(meeting=meeting, actor=None)
        minutes = records.update_minutes(
            minutes=minutes, actor=None, expected_version=minutes.version, data={},
            adjusters=[people["chair"], people["member"]],
        )  # fmt: skip
    return run(records.send_for_adjustment, minutes=minutes, actor=None)


def _scan(association, now, run):
    with tenant_scope(association):
        return run(services.scan, association, now)


def _notified(kind: str) -> set[str]:
    with scopes_disabled():
        return set(Notification.objects.filter(kind=kind).values_list("email", flat=True))


def test_adjusters_are_asked_to_adjust_once_with_the_approval_link(
    association, council, smtp_server, run
):
    meeting = factories.make_meeting(council["board"], _at(_day(-3)), notice=True)
    smtp_server.messages.clear()
    minutes = _out_for_adjustment(meeting, council["people"], run)
    adjusters = {"chair@example.org": 1, "member@example.org": 1}
    assert _mails(smtp_server, "meetings.adjust") == adjusters
    approve = reverse(
        "meetings:approve", kwargs={"association": association.slug, "pk": meeting.pk}
    )
    with scopes_disabled():
        assert set(
            Notification.objects.filter(kind="meetings.adjust").values_list("link", flat=True)
        ) == {approve}
    assert approve in smtp_server.messages[-1].get_content()
    # The event raised again (a redelivered task): nothing more.
    from association.notifications.tasks import raise_occasion

    assert run(raise_occasion, association.pk, "meetings.adjust",
               f"minutes:{minutes.pk}:adjust", {"minutes": minutes.pk}) == 0  # fmt: skip
    assert len(smtp_server.messages) == 2


def test_minutes_unadjusted_after_14_days_remind_those_waiting_then_weekly(
    association, council, smtp_server, run
):
    users = council["users"]
    held = _day(-40)
    meeting = factories.make_meeting(council["board"], _at(held), notice=True)
    minutes = _out_for_adjustment(meeting, council["people"], run)
    smtp_server.messages.clear()
    flagged = local_moment(held + timedelta(days=15))  # listed as late from the 15th day
    _scan(association, flagged - timedelta(minutes=1), run)
    assert _notified("noticeboard.adjustment_overdue") == set()
    _scan(association, flagged, run)
    staff = {"administrator@example.org", "editor@example.org"}
    expected = {"chair@example.org", "member@example.org", "secretary@example.org"} | staff
    assert _notified("noticeboard.adjustment_overdue") == expected
    _scan(association, flagged + timedelta(hours=1), run)  # the next hourly scan
    assert _mails(smtp_server, "noticeboard.adjustment_overdue") == dict.fromkeys(expected, 1)
    # The chair approves; a week later only the member is still waited for.
    with scopes_disabled():
        records.approve(minutes=minutes, user=users["chair"], second_factor=True)
    smtp_server.messages.clear()
    _scan(association, flagged + timedelta(days=7), run)
    _scan(association, flagged + timedelta(days=7, hours=1), run)
    expected_now = {"member@example.org", "secretary@example.org"} | staff
    assert _mails(smtp_server, "noticeboard.adjustment_overdue") == dict.fromkeys(expected_now, 1)
    with scopes_disabled():
        keys = set(
            Notification.objects.filter(kind="noticeboard.adjustment_overdue").values_list(
                "occasion_key", flat=True
            )
        )
    assert keys == {f"meeting:{meeting.pk}:adjustment_overdue:{week}" for week in (0, 1)}


def test_a_notice_not_posted_automatically_is_reminded_on_its_last_day(
    association, council, smtp_server, run
):
    with scopes_disabled():
        noticeboard.save_settings(association=association, actor=None, expected_version=1,
                                  data={"automatic": False})  # fmt: skip
    board = council["board"]
    adjusted_on = _day(-20)
    waiting = factories.make_adjusted_minutes(
        factories.make_meeting(board, _at(adjusted_on - timedelta(days=5)), notice=True),
        _at(adjusted_on, 11),
    )
    posted = factories.make_adjusted_minutes(
        factories.make_meeting(board, _at(adjusted_on - timedelta(days=6)), notice=True),
        _at(adjusted_on, 11),
    )
    factories.make_posting(posted, posted_on=adjusted_on + timedelta(days=1))
    smtp_server.messages.clear()
    last_day = local_moment(adjusted_on + timedelta(days=2))
    _scan(association, last_day - timedelta(minutes=1), run)
    assert _notified("noticeboard.posting_due") == set()
    _scan(association, last_day, run)
    _scan(association, last_day + timedelta(hours=1), run)
    staff = {"administrator@example.org", "editor@example.org"}
    assert _mails(smtp_server, "noticeboard.posting_due") == dict.fromkeys(staff, 1)
    with scopes_disabled():
        (key,) = set(
            Notification.objects.filter(kind="noticeboard.posting_due").values_list(
                "occasion_key", flat=True
            )
        )
    assert key == f"minutes:{waiting.pk}:posting_due"


def test_a_notice_posted_automatically_is_not_reminded(association, council, smtp_server, run):
    adjusted_on = _day(-20)
    minutes = factories.make_adjusted_minutes(
        factories.make_meeting(council["board"], _at(adjusted_on - timedelta(days=5)), notice=True),
        _at(adjusted_on, 11),
    )
    with scopes_disabled():
        posting = noticeboard.post_on_adjustment(minutes=minutes, actor=None)
    assert posting is not None and posting.automatic
    _scan(association, local_moment(adjusted_on + timedelta(days=2)), run)
    assert _notified("noticeboard.posting_due") == set()


def test_the_end_of_the_appeal_period_is_told_to_the_editors_once(
    association, council, smtp_server, run
):
    posted_on = _day(-30)
    minutes = factories.make_adjusted_minutes(
        factories.make_meeting(council["board"], _at(posted_on - timedelta(days=5)), notice=True),
        _at(posted_on, 9),
    )
    posting = factories.make_posting(minutes, posted_on=posted_on)
    smtp_server.messages.clear()
    ended = local_moment(posting.comes_down_on + timedelta(days=1))
    _scan(association, ended - timedelta(minutes=1), run)  # still its last day
    assert _notified("noticeboard.appeal_ended") == set()
    _scan(association, ended, run)
    _scan(association, ended + timedelta(hours=1), run)
    staff = {"administrator@example.org", "editor@example.org"}
    assert _mails(smtp_server, "noticeboard.appeal_ended") == dict.fromkeys(staff, 1)
    with scopes_disabled():
        assert set(
            Notification.objects.filter(kind="noticeboard.appeal_ended").values_list(
                "occasion_key", flat=True
            )
        ) == {f"posting:{posting.pk}:appeal_ended"}


def test_members_who_have_not_answered_are_reminded_before_closing(
    association, council, smtp_server, run
):
    users = council["users"]
    closes_on = _day(6)
    with scopes_disabled():
        proposal = decisions.circulate(
            body=council["board"], actor=None, title="Remissvar",
            text="Styrelsen ställer sig bakom yttrandet.", closes_at=_at(closes_on, 16),
        )  # fmt: skip
        decisions.answer(proposal=proposal, user=users["chair"], yes=True)
    smtp_server.messages.clear()
    due = local_moment(closes_on - timedelta(days=2))  # the default lead: two days
    _scan(association, due - timedelta(minutes=1), run)
    assert _notified("decisions.proposal_reminder") == set()
    _scan(association, due, run)
    _scan(association, due + timedelta(hours=1), run)
    waiting = {"member@example.org": 1, "other@example.org": 1}
    assert _mails(smtp_server, "decisions.proposal_reminder") == waiting


def test_the_per_capsulam_reminder_follows_the_lead_time_staff_set(
    association, council, smtp_server, run
):
    closes_on = _day(6)
    with scopes_disabled():
        decisions.circulate(
            body=council["board"], actor=None, title="Remissvar",
            text="Styrelsen ställer sig bakom yttrandet.", closes_at=_at(closes_on, 16),
        )  # fmt: skip
    with tenant_scope(association):
        services.set_lead_time(association=association, actor=council["users"]["editor"],
                               kind_key="decisions.proposal_reminder", days=4)  # fmt: skip
    _scan(association, local_moment(closes_on - timedelta(days=2)), run)
    assert _notified("decisions.proposal_reminder") == set()
    _scan(association, local_moment(closes_on - timedelta(days=4)), run)
    assert len(_notified("decisions.proposal_reminder")) == 3


def test_a_document_added_after_the_notice_is_announced_to_the_members(
    association, council, smtp_server, run
):
    meeting = factories.make_meeting(council["board"], _at(_day(10)), notice=True)
    item = factories.make_item(meeting, "Budget")
    smtp_server.messages.clear()
    link = run(meetings.attach_document, item=item, actor=None, upload=upload())
    members = {f"{key}@example.org" for key in ("chair", "member", "other", "secretary")}
    assert _mails(smtp_server, "meetings.changed") == dict.fromkeys(members, 1)
    run(meetings.add_document_version, link=link, actor=None, upload=upload("v2.pdf"))
    assert _mails(smtp_server, "meetings.changed") == dict.fromkeys(members, 2)
    # Before the notice nothing is announced: the notice carries the documents.
    later = factories.make_meeting(council["board"], _at(_day(20)))
    smtp_server.messages.clear()
    run(meetings.attach_document, item=factories.make_item(later, "Plan"), actor=None,
        upload=upload())  # fmt: skip
    assert smtp_server.messages == []


def test_a_digest_interrupted_while_sending_is_logged_not_sent_again(
    association, board, seated, smtp_server, run
):
    member = seated["members"][0]
    services.set_choice(user=member, kind_key="meetings.notice", channel=Channel.DIGEST)
    for day in (10, 11):
        run(meetings.send_notice, meeting=factories.make_meeting(board, _at(_day(day))), actor=None)
    with scopes_disabled():
        first = Delivery.objects.filter(channel=Channel.DIGEST).order_by("pk").first()
        # A worker died after marking it "sending" (the server may have accepted it).
        Delivery.objects.filter(pk=first.pk).update(status=Status.SENDING)
    smtp_server.messages.clear()
    with tenant_scope(association):
        assert services.send_digests(association, timezone.now()) == 1
        assert services.send_digests(association, timezone.now()) == 0
    (digest,) = smtp_server.messages
    assert digest["To"] == member.email
    with scopes_disabled():
        first.refresh_from_db()
        assert first.status == Status.FAILED and "may or may not" in first.last_error
        assert Delivery.objects.filter(channel=Channel.DIGEST, status=Status.SENT).count() == 1
        # Staff send it again from the log: it goes in the next digest.
        services.resend(delivery=first, actor=None)
    with tenant_scope(association):
        assert services.send_digests(association, timezone.now()) == 1
    assert len(smtp_server.messages) == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_asks_the_adjusters_and_sends_the_notice_reminder_once(
    association, council, notification_worker, controlled_smtp
):
    """The event's task and the scan's batch, both run by a real worker process."""
    from tests.notifications.test_worker import _wait_for

    notification_worker()
    meeting = factories.make_meeting(council["board"], _at(_day(-3)), notice=True)
    people = council["people"]
    with scopes_disabled():
        minutes = records.draft_minutes(meeting=meeting, actor=None)
        minutes = records.update_minutes(
            minutes=minutes, actor=None, expected_version=minutes.version, data={},
            adjusters=[people["chair"], people["member"]],
        )  # fmt: skip
        records.send_for_adjustment(minutes=minutes, actor=None)  # the task queued on commit
    adjusters = {"chair@example.org": 1, "member@example.org": 1}
    assert _wait_for(lambda: _mails(controlled_smtp, "meetings.adjust") == adjusters)
    # A notice not posted: the scan (here) makes it, the worker sends the batch.
    with scopes_disabled():
        noticeboard.save_settings(association=association, actor=None, expected_version=1,
                                  data={"automatic": False})  # fmt: skip
    adjusted_on = _day(-10)
    factories.make_adjusted_minutes(
        factories.make_meeting(council["board"], _at(_day(-12)), notice=True),
        _at(adjusted_on, 11),
    )
    last_day = local_moment(adjusted_on + timedelta(days=2))
    with tenant_scope(association):
        services.scan(association, last_day)
        services.scan(association, last_day + timedelta(hours=1))
    staff = {"administrator@example.org": 1, "editor@example.org": 1}
    assert _wait_for(lambda: _mails(controlled_smtp, "noticeboard.posting_due") == staff)
    assert _mails(controlled_smtp, "meetings.adjust") == adjusters
