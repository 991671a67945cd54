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


@shared_task(bind=True, acks_late=True)
def build_meeting_package(
    self, association_id: int, meeting_id: int, user_id: int, language: str
) -> dict:
    """Build the meeting package as the user may see it now and store it (see
    ``package.py``; the running, progress and storing are ``association.pdfjobs.produce``).
    The user may have lost the right since asking: then nothing is built and the result
    says ``refused``. Progress goes to the result backend as ``PROGRESS {"done": n,
    "total": m}``; the PDF itself goes to the storage, never to the result backend. Safe to
    run twice (``acks_late``): a fresh file of the same key is reused, not built again."""
    from django.utils import translation

    from association import pdfjobs
    from association.models import Association, User
    from association.tenancy import tenant_scope
    from governance.meetings import package, queries
    from governance.meetings.permissions import Reader, sees_everything

    refused = {"status": package.REFUSED}
    association = Association.objects.filter(pk=association_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if association is None or user is None:
        return refused
    with tenant_scope(association), translation.override(language):
        meeting = queries.meeting(association, meeting_id).first()
        reader = Reader(user=user, association=association)
        # The same rule as the package pages (members and substitutes of the body, staff).
        if meeting is None or not sees_everything(reader, meeting):
            return refused
        items, may_see = package.contents(reader, meeting)
        key = package.package_key(
            meeting=meeting, items=items, may_see_document=may_see, language=language
        )
        return pdfjobs.produce(
            self,
            kind=package.PACKAGES,
            name=package.storage_name(association_id, meeting_id, key),
            key=key,
            render=lambda progress: package.build_package(
                meeting=meeting,
                items=items,
                may_see_document=may_see,
                language=language,
                progress=progress,
            ),
        )
