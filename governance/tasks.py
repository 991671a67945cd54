from celery import shared_task
from django.utils import timezone

from association.models import Association
from association.tenancy import tenant_scope


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def revoke_lapsed_seat_rights() -> dict[str, int]:
    from governance.services import revoke_lapsed_seat_rights as revoke

    today = timezone.localdate()
    revoked = {}
    for association in Association.objects.order_by("pk").iterator():
        with tenant_scope(association):
            revoked[association.slug] = revoke(association=association, today=today)
    return revoked
