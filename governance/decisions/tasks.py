from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task

# How long a delivery is remembered, so a retried task skips who already got the e-mail.
DELIVERY_MEMORY = timedelta(days=14)


@shared_task
def close_due_proposals() -> dict[str, object]:
    """Close the per capsulam proposals whose closing time has come, in every association
    (safe to run twice: a closed proposal is left alone)."""
    from association.tenancy import in_each_association
    from governance.decisions import services

    return in_each_association(services.close_due)


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def announce_proposal(association_id: int, proposal_id: int) -> int:
    """E-mail every member asked to answer the proposal. Safe to run twice: each member's
    e-mail is remembered in the cache once sent. Returns how many this run sent."""
    from django.core.cache import cache

    from association.models import Association
    from association.tenancy import tenant_scope
    from governance.decisions import notifications
    from governance.decisions.models import Answer, Proposal

    association = Association.objects.get(pk=association_id)
    sent = 0
    with tenant_scope(association):
        proposal = Proposal.objects.select_related("body", "association").get(pk=proposal_id)
        rows = Answer.objects.filter(proposal=proposal).select_related("person__user")
        for row in rows:
            key = f"decisions:proposal:{association_id}:{proposal_id}:{row.person_id}"
            if cache.get(key):
                continue
            if notifications.send_proposal(proposal, row.person):
                sent += 1
            cache.set(key, 1, timeout=int(DELIVERY_MEMORY.total_seconds()))
    return sent
