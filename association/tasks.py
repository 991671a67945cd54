from celery import shared_task
from django.core.management import call_command

from association.models import Association
from association.tenancy import tenant_scope


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def count_staff_roles(association_id: int) -> dict:
    """How many staff roles an association has, counted inside its own scope.

    Small on purpose: it is the shape every tenant task follows (take an id, reload,
    open the scope), and the worker test runs it against the real broker.
    """
    from association.models import RoleAssignment

    association = Association.objects.get(pk=association_id)
    with tenant_scope(association):
        return {"association": association.slug, "roles": RoleAssignment.objects.count()}


@shared_task
def remove_old_generated_files() -> int:
    """Hourly: delete generated files (``association/pdfjobs.py``) older than their kind
    keeps them, e.g. meeting packages after a day."""
    from association import pdfjobs

    return pdfjobs.sweep()
