from django.db.models import Prefetch, QuerySet

from association.tenancy import scopes_disabled
from governance.models import Body, Seat


def bodies(association) -> QuerySet[Body]:
    return Body.objects.filter(association=association)


def body_with_seats(association, slug: str) -> QuerySet[Body]:
    return Body.objects.filter(association=association, slug=slug).prefetch_related(
        Prefetch(
            "seats",
            queryset=Seat.objects.select_related("user").order_by("role", "user__last_name"),
        )
    )


def association_ids_with_seat(user) -> set[int]:
    with scopes_disabled():
        return set(Seat.objects.filter(user=user).values_list("association_id", flat=True))


def seats_of_user(user) -> list[Seat]:
    with scopes_disabled():
        return list(
            Seat.objects.filter(user=user)
            .select_related("body", "association")
            .order_by("association__name", "body__ordering")
        )
