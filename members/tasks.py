from datetime import timedelta

from celery import shared_task

# An upload left at the preview step this long is taken as abandoned.
STALE_IMPORT_AGE = timedelta(days=2)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def discard_stale_imports() -> int:
    """National figure imports are platform data: one sweep, no association scope."""
    from members.services import discard_stale_imports as discard

    return discard(older_than=STALE_IMPORT_AGE)
