from datetime import date

from django.db import transaction
from guardian.shortcuts import assign_perm

from association.services import record_history
from governance.models import Body, Seat, SeatRole


@transaction.atomic
def grant_seat(
    *, body: Body, user, role: SeatRole | str, starts_on: date, ends_on: date | None, actor
) -> Seat:
    """Seat a person in a body; a seat carries the right to the body's non-public documents."""
    seat = Seat(
        association=body.association, body=body, user=user, role=SeatRole(role),
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip
    seat.full_clean(exclude=["association"])
    seat.save()
    assign_perm("governance.view_body_documents", user, body)
    record_history(association=body.association, actor=actor, action="seat_granted", obj=seat)
    return seat


@transaction.atomic
def revoke_lapsed_seat_rights(*, association, today: date) -> int:
    """Take back the document right from people whose every seat in a body has ended.

    The seat stays (it is history); only the right it carried goes.
    """
    from django.db.models import Q

    from governance.models import BodyUserObjectPermission

    active = Seat.objects.filter(association=association).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today
    )
    active_pairs = set(active.values_list("body_id", "user_id"))
    granted = BodyUserObjectPermission.objects.filter(
        permission__codename="view_body_documents", content_object__association=association
    ).values_list("pk", "content_object_id", "user_id")
    lapsed = [pk for pk, body_id, user_id in granted if (body_id, user_id) not in active_pairs]
    BodyUserObjectPermission.objects.filter(pk__in=lapsed).delete()
    return len(lapsed)
