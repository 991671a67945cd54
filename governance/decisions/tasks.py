from celery import shared_task


@shared_task
def close_due_proposals() -> dict[str, object]:
    """Close the per capsulam proposals whose closing time has come, in every association
    (safe to run twice: a closed proposal is left alone)."""
    from association.tenancy import in_each_association
    from governance.decisions import services

    return in_each_association(services.close_due)
