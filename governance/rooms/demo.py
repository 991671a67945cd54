"""Demo resources: Umeåregionen's shared office on Renmarkstorget, free for staff and
elected members, with a couple of bookings in the coming week."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from association.models import Association, User
from association.tenancy import tenant_scope
from governance.rooms import services
from governance.rooms.forms import local_moment
from governance.rooms.models import BookableBy, Resource, ResourceKind

OFFICE = "Renmarkstorget, Umeå (Umeåregionens gemensamma kontor)"

RESOURCES = [
    {
        "name": "Mötesrum Renmarkstorget",
        "kind": ResourceKind.MEETING_ROOM,
        "capacity": 12,
        "description": "Mötesrum för 12 personer med skärm och videomöten. Fritt för "
        "medarbetare och förtroendevalda.",
    },
    *[
        {
            "name": f"Skrivbord {number}",
            "kind": ResourceKind.DESK,
            "capacity": 1,
            "description": "Drop in-skrivbord med skärm i det gemensamma kontorslandskapet.",
        }
        for number in range(1, 7)
    ],
]


def seed(out) -> dict[str, str]:
    association = Association.objects.filter(slug="umearegionen").first()
    if association is None:
        return {}
    with tenant_scope(association):
        created = []
        for fields in RESOURCES:
            # A resource that exists keeps whatever the association changed.
            if Resource.objects.filter(association=association, name=fields["name"]).exists():
                continue
            created.append(
                services.create_resource(
                    association=association,
                    actor=None,
                    location=OFFICE,
                    bookable_by=BookableBy.STAFF_AND_ELECTED,
                    **fields,
                )
            )
        out.write(f"  {len(created)} rooms and desks for {association.slug}")
        booker = User.objects.filter(email=f"administrator.{association.slug}@demo.samverka.se")
        booker = booker.first()
        if not created or booker is None:
            return {}
        # Bookings only with resources created now: a second run adds nothing.
        today = timezone.localdate()
        next_monday = today + datetime.timedelta(days=7 - today.weekday())
        room = next((r for r in created if r.kind == ResourceKind.MEETING_ROOM), None)
        desk = next((r for r in created if r.kind == ResourceKind.DESK), None)
        wanted = [
            (room, next_monday, (9, 0), (12, 0), "Kommunchefsgruppen"),
            (room, next_monday + datetime.timedelta(days=2), (13, 0), (15, 30),
             "Arbetsgrupp näringsliv"),
            (desk, next_monday + datetime.timedelta(days=1), (8, 0), (16, 0), "Arbetsdag i Umeå"),
        ]  # fmt: skip
        for resource, day, start, end, title in wanted:
            if resource is None:
                continue
            try:
                services.book(
                    resource=resource, actor=booker, title=title,
                    starts_at=local_moment(day, datetime.time(*start)),
                    ends_at=local_moment(day, datetime.time(*end)),
                )  # fmt: skip
            except ValidationError:
                continue
    return {}
