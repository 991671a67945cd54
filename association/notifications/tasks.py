"""Celery tasks of the notifications: ids in, the tenant scope opened here.

Retries: SMTP and connection errors retry with exponential back-off (``retry_backoff``),
and the worker acknowledges a message only when the task ends (``CELERY_TASK_ACKS_LATE``),
so a killed worker's batch is delivered again; the unique keys and the per-delivery
locks (``services``) make that second run send only what the first did not.
"""

import smtplib

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError

from association.tenancy import in_each_association, tenant_scope

RETRIED = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError, OperationalError)


def _association(association_id: int):
    from association.models import Association

    return Association.objects.get(pk=association_id)


@shared_task(autoretry_for=RETRIED, retry_backoff=True, retry_backoff_max=600, max_retries=8)
def raise_occasion(association_id: int, kind_key: str, occasion_key: str, data: dict,
                   link: str = "") -> int:  # fmt: skip
    """Make an event's notifications and queue their e-mails; returns the batches queued."""
    from association.notifications import services
    from association.notifications.kinds import Occasion

    association = _association(association_id)
    with tenant_scope(association):
        occasion = Occasion(key=occasion_key, data=data, link=link)
        return services.raise_occasion(association, kind_key, occasion)


@shared_task(
    autoretry_for=RETRIED, retry_backoff=2, retry_backoff_max=600, max_retries=10, acks_late=True
)
def deliver_batch(association_id: int, delivery_ids: list[int]) -> int:
    """Send one batch of e-mails over one SMTP connection; returns how many it sent."""
    from association.notifications import services

    association = _association(association_id)
    with tenant_scope(association):
        return services.deliver(association, delivery_ids)


@shared_task(autoretry_for=(ConnectionError, OperationalError), retry_backoff=True, max_retries=3)
def scan_reminders() -> dict[str, object]:
    """Hourly: make the reminders that fell due in every association."""
    from association.notifications import services

    return in_each_association(services.scan, now=timezone.now())


@shared_task(autoretry_for=RETRIED, retry_backoff=True, max_retries=5)
def send_digests() -> dict[str, object]:
    """Daily, in the morning: each person's digest of the day's items per association."""
    from association.notifications import services

    return in_each_association(services.send_digests, now=timezone.now())


@shared_task(autoretry_for=(ConnectionError, OperationalError), retry_backoff=True, max_retries=3)
def requeue_stale() -> dict[str, object]:
    """Every quarter of an hour: queue again e-mails whose broker message was lost."""
    from association.notifications import services

    return in_each_association(services.requeue_stale, now=timezone.now())
