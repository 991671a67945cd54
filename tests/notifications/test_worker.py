"""The notifications against a real worker process, a real Redis and a real SMTP server:
a notice reaching everyone exactly once (one SMTP connection per batch), two associations'
notices never crossing, the daily digest, each recipient's language, a worker killed in
the middle of a batch, and an SMTP server refusing for a while."""

import time
from collections import Counter

import pytest

from association.notifications.models import Delivery, Status
from association.tenancy import scopes_disabled
from governance.meetings import services as meetings
from tests import factories


def _wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _all_sent(expected):
    def check():
        with scopes_disabled():
            return Delivery.objects.filter(status=Status.SENT).count() == expected

    return check


def _sent_at_least(expected):
    def check():
        with scopes_disabled():
            return Delivery.objects.filter(status=Status.SENT).count() >= expected

    return check


def _send_notice(board):
    meeting = factories.make_meeting(board)
    with scopes_disabled():
        meetings.send_notice(meeting=meeting, actor=None)  # queued when it commits
    return meeting


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_everyone_with_exactly_one_e_mail(
    board, seated, notification_worker, controlled_smtp
):
    for _ in range(20):
        factories.make_member(board)
    expected = 25  # 23 with logins, a substitute with a login, one with just an address
    # Small batches and a slow server, so the kill lands inside a batch, between two
    # messages' RCPT (a message is either accepted and marked sent, or not accepted).
    controlled_smtp.delay = 0.25
    worker = notification_worker(batch_size=5, visibility=3)
    _send_notice(board)
    assert _wait_for(
        lambda: len(controlled_smtp.messages) >= 7 and controlled_smtp.waiting.is_set()
    )
    worker.kill()
    with scopes_disabled():
        assert Delivery.objects.filter(status=Status.SENT).count() < expected
        assert Delivery.objects.filter(status=Status.SENDING).exists()  # the killed batch
    controlled_smtp.delay = 0
    notification_worker(batch_size=5, visibility=3)
    assert _wait_for(_all_sent(expected))
    received = Counter(message["To"] for message in controlled_smtp.messages)
    assert len(received) == expected
    assert set(received.values()) == {1}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_mail_refused_for_a_while_arrives_when_the_server_recovers(
    board, seated, notification_worker, controlled_smtp
):
    controlled_smtp.refuse = 3  # "451 try again later", three times
    notification_worker()
    _send_notice(board)
    assert _wait_for(_all_sent(5))
    assert controlled_smtp.refused == 3
    received = Counter(message["To"] for message in controlled_smtp.messages)
    assert len(received) == 5 and set(received.values()) == {1}
    with scopes_disabled():
        first = Delivery.objects.order_by("pk").first()
        assert first.attempts == 4 and first.last_error == ""


def _by_connection(smtp):
    """How many messages came over each SMTP connection, in the order they opened."""
    return list(Counter(smtp.connections).values())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_notice_reaches_every_member_and_substitute_exactly_once_through_the_worker(
    association, board, seated, notification_worker, controlled_smtp
):
    from django.core.exceptions import ValidationError

    from association.notifications.tasks import deliver_batch
    from governance.meetings.tasks import announce

    extra = [factories.make_member(board) for _ in range(2)]
    expected = {u.email for u in seated["members"] + extra} | {seated["substitute"].email,
                                                               seated["address"]}  # fmt: skip
    notification_worker(batch_size=3)
    meeting = _send_notice(board)
    assert _wait_for(_all_sent(7))
    # Sending it twice is refused; the task run again and the batch handed over again (a
    # redelivered message) send nothing more.
    with scopes_disabled(), pytest.raises(ValidationError):
        meetings.send_notice(meeting=meeting, actor=None)
    assert announce.delay(association.pk, meeting.pk, "notice").get(timeout=30) == 0
    with scopes_disabled():
        ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    assert deliver_batch.delay(association.pk, ids).get(timeout=30) == 0
    received = Counter(message["To"] for message in controlled_smtp.messages)
    assert received == dict.fromkeys(expected, 1)
    # Batches of three, each over one SMTP connection of its own.
    assert _by_connection(controlled_smtp) == [3, 3, 1]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_associations_notices_at_the_same_time_never_cross(
    association, other_association, notification_worker, controlled_smtp
):
    """Both notices are queued in one commit and the worker handles them together; each
    member gets their own association's notice only, and a person seated in both gets
    one of each."""
    from django.db import transaction

    boards = {
        association: factories.make_body(association, "styrelse", name="Styrelsen Norr"),
        other_association: factories.make_body(other_association, "styrelse",
                                               name="Styrelsen Syd"),
    }  # fmt: skip
    both = factories.make_user("bada@example.org")
    seated = {tenant: {factories.make_member(board).email for _ in range(3)}
              for tenant, board in boards.items()}  # fmt: skip
    for board in boards.values():
        factories.make_member(board, user=both)
    notice = {tenant: factories.make_meeting(board) for tenant, board in boards.items()}
    notification_worker(batch_size=2)
    with scopes_disabled(), transaction.atomic():
        for meeting in notice.values():
            meetings.send_notice(meeting=meeting, actor=None)
    assert _wait_for(_sent_at_least(8))
    received = {}
    for message in controlled_smtp.messages:
        received.setdefault(message["To"], []).append(message["Subject"])
    for tenant, board in boards.items():
        for address in seated[tenant]:
            assert len(received[address]) == 1 and board.name in received[address][0]
    assert sorted(name for subject in received[both.email]
                  for name in ("Norr", "Syd") if name in subject) == ["Norr", "Syd"]  # fmt: skip
    with scopes_disabled():
        for tenant in boards:
            rows = Delivery.objects.filter(association=tenant).select_related("notification")
            assert {row.notification.email for row in rows} == seated[tenant] | {both.email}
            assert {row.notification.association_id for row in rows} == {tenant.pk}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_groups_a_days_items_in_one_digest(
    association, board, seated, notification_worker, controlled_smtp
):
    from association.notifications import services
    from association.notifications.models import Channel, Notification
    from association.notifications.tasks import send_digests

    member = seated["members"][0]
    services.set_choice(user=member, kind_key="meetings.notice", channel=Channel.DIGEST)
    notification_worker()
    for days in (10, 11):
        meeting = factories.make_meeting(board, factories.days_from_today(days))
        with scopes_disabled():
            meetings.send_notice(meeting=meeting, actor=None)
    assert _wait_for(_all_sent(8))  # the others' notices, at once
    with scopes_disabled():
        waiting = Delivery.objects.filter(channel=Channel.DIGEST, status=Status.QUEUED)
        assert waiting.count() == 2
        subjects = list(
            Notification.objects.filter(recipient=member).values_list("subject", flat=True)
        )
    controlled_smtp.messages.clear()
    assert send_digests.delay().get(timeout=30)[association.slug] == 1
    assert send_digests.delay().get(timeout=30)[association.slug] == 0  # once
    (digest,) = controlled_smtp.messages
    assert digest["To"] == member.email
    text = digest.get_content()
    assert len(subjects) == 2 and all(subject in text for subject in subjects)
    with scopes_disabled():
        assert Delivery.objects.filter(channel=Channel.DIGEST, status=Status.SENT).count() == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_notice_goes_out_in_each_recipients_language(
    association, board, notification_worker, controlled_smtp
):
    """The worker renders each e-mail in the recipient's language, not its own."""
    english, swedish = factories.make_member(board), factories.make_member(board)
    for user, language in ((english, "en"), (swedish, "sv")):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    notification_worker()
    _send_notice(board)
    assert _wait_for(_all_sent(2))
    mails = {message["To"]: message for message in controlled_smtp.messages}
    english_mail, swedish_mail = mails[english.email], mails[swedish.email]
    assert english_mail["Subject"].startswith("Notice: Styrelsen")
    assert "You are called to the meeting of Styrelsen." in _text(english_mail)
    assert "Kallelse" not in english_mail["Subject"]
    assert swedish_mail["Subject"].startswith("Kallelse: Styrelsen")
    assert "Du kallas till sammanträde med Styrelsen." in _text(swedish_mail)
    assert "You are called" not in _text(swedish_mail)


def _text(message):
    return message.get_body(preferencelist=("plain",)).get_content()
