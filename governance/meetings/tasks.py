import uuid
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task

# How long a delivery is remembered, so a retried or repeated task skips who already got it.
DELIVERY_MEMORY = timedelta(days=14)


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def announce(association_id: int, meeting_id: int, occasion: str, delivery: str = "") -> int:
    """E-mail every member and substitute about the meeting (notice, move, change,
    cancellation). Runs in a worker so the request that sent the notice stays fast.

    Safe to run twice: each person's e-mail of one ``delivery`` (a key made when the task
    is queued) is remembered in the cache once sent, so a retry after a failure halfway
    sends only to those not yet reached. Returns how many e-mails this run sent."""
    from django.core.cache import cache

    from association.models import Association
    from association.tenancy import tenant_scope
    from governance.meetings import notifications, services
    from governance.meetings.models import Meeting

    delivery = delivery or uuid.uuid4().hex
    association = Association.objects.get(pk=association_id)
    sent = 0
    with tenant_scope(association):
        meeting = Meeting.objects.select_related("body", "association").get(pk=meeting_id)
        for person in services.recipients(meeting):
            key = f"meetings:delivery:{association_id}:{meeting_id}:{delivery}:{person.pk}"
            if cache.get(key):
                continue
            if notifications.send_to_person(meeting, person, occasion):
                sent += 1
            cache.set(key, 1, timeout=int(DELIVERY_MEMORY.total_seconds()))
    return sent
