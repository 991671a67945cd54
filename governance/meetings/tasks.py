from smtplib import SMTPException

from celery import shared_task


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def announce(association_id: int, meeting_id: int, occasion: str, delivery: str = "") -> int:
    """Tell every member and substitute about the meeting (notice, move, change,
    cancellation) through the notifications mechanism: one notification per person and
    occasion (the notice once per meeting, a change once per ``delivery``, a key made
    when it was saved), the e-mails sent in batches by ``notifications.deliver_batch``.

    Safe to run twice: the second run finds every row made and queues only e-mails not yet
    sent. Returns how many e-mails it queued."""
    from association.models import Association
    from association.tenancy import tenant_scope
    from governance.meetings import notifications

    association = Association.objects.get(pk=association_id)
    with tenant_scope(association):
        return len(notifications.announce(association, meeting_id, occasion, delivery))
