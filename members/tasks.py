from datetime import timedelta

from celery import shared_task

from association.tenancy import in_each_association

# An upload left at the preview step this long is taken as abandoned.
STALE_IMPORT_AGE = timedelta(days=2)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def discard_stale_imports() -> dict[str, int]:
    from members.services import discard_stale_imports as discard

    return in_each_association(discard, older_than=STALE_IMPORT_AGE)
