from celery import shared_task
from django.utils import timezone

from association.tenancy import in_each_association


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def revoke_lapsed_seat_rights() -> dict[str, int]:
    from governance.services import revoke_lapsed_seat_rights as revoke

    return in_each_association(revoke, today=timezone.localdate())
