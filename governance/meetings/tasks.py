from smtplib import SMTPException

from celery import shared_task


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def announce(association_id: int, meeting_id: int, occasion: str) -> int:
    """E-mail every member and substitute about the meeting (notice, move, change,
    cancellation). Runs in a worker so the request that sent the notice stays fast."""
    from association.models import Association
    from association.tenancy import tenant_scope
    from governance.meetings import notifications, services
    from governance.meetings.models import Meeting

    association = Association.objects.get(pk=association_id)
    with tenant_scope(association):
        meeting = Meeting.objects.select_related("body", "association").get(pk=meeting_id)
        return sum(
            notifications.send_to_person(meeting, person, occasion)
            for person in services.recipients(meeting)
        )
