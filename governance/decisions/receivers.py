"""A passed per capsulam proposal waiting for a meeting goes on the body's next meeting as
soon as one is planned: after the transaction that planned it commits, so the meeting's
standing items come first on its agenda."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from governance.meetings.models import Meeting


@receiver(post_save, sender=Meeting, dispatch_uid="decisions_attach_waiting_proposals")
def attach_waiting_proposals(sender, instance: Meeting, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    association, meeting_id = instance.association, instance.pk

    def attach() -> None:
        from association.tenancy import tenant_scope
        from governance.decisions import services

        with tenant_scope(association):
            meeting = Meeting.objects.select_related("body", "association").filter(pk=meeting_id)
            meeting = meeting.first()
            if meeting is not None and not meeting.is_cancelled:
                services.attach_waiting(meeting=meeting)

    transaction.on_commit(attach)
