"""The notifications against a real worker process, a real Redis and a real SMTP server:
a worker killed in the middle of a batch, and an SMTP server refusing for a while."""

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
