from datetime import timedelta

from celery import shared_task

from association.models import Association
from association.tenancy import tenant_scope

# An upload left at the preview step this long is taken as abandoned.
STALE_IMPORT_AGE = timedelta(days=2)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def discard_stale_imports() -> dict[str, int]:
    """Each association in its own scope, so the task follows the tenant rule like any other."""
    from members.services import discard_stale_imports as discard

    discarded = {}
    for association in Association.objects.order_by("pk").iterator():
        with tenant_scope(association):
            discarded[association.slug] = discard(
                association=association, older_than=STALE_IMPORT_AGE
            )
    return discarded
