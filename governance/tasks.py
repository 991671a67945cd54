from celery import shared_task
from django.utils import timezone

from association.tenancy import in_each_association


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_chair_reminders() -> dict[str, object]:
    """Daily; acts in December only, and once per body and year (safe to run twice)."""
    from governance.services import send_chair_reminders as send

    return in_each_association(send, today=timezone.localdate())
