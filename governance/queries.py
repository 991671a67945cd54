"""Querysets and read models for the governance pages, each a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from association.models import AuditEntry
from association.tenancy import scopes_disabled
from governance.models import (
    MEMBER_ROLES,
    NETWORK_KINDS,
    Assignment,
    Body,
    HostRotation,
    HostRotationPlace,
    Person,
    Role,
    Seat,
    Term,
)

# Chair first, then vice chair, members, substitutes, secretary, co-opted.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(index)) for index, role in enumerate(Role.values)),
    output_field=IntegerField(),
)


# --- bodies and the chart ---------------------------------------------------------------


def bodies(association) -> QuerySet[Body]:
    return Body.objects.filter(association=association).order_by("ordering", "name")


def body(association, slug: str) -> QuerySet[Body]:
    return (
        bodies(association)
        .filter(slug=slug)
        .select_related("reports_to", "fixed_host", "host_rotation")
        .prefetch_related(
            Prefetch(
                "host_rotation__places",
                queryset=HostRotationPlace.objects.select_related("municipality"),
            )
        )
    )


@dataclass
class ChartNode:
    body: Body
    members: int
    children: list["ChartNode"] = field(default_factory=list)


def org_chart(association, on: date) -> list[ChartNode]:
    """The bodies as a forest drawn from ``reports_to``; two queries whatever the size."""
    # Networks and working groups are shown on the networks pages, under their bodies.
    rows = list(
        bodies(association)
        .exclude(kind__in=NETWORK_KINDS)
        .annotate(
            members_now=Count(
                "assignments",
                filter=Q(
                    assignments__starts_on__lte=on,
                    assignments__ends_on__gte=on,
                    assignments__role__in=MEMBER_ROLES,
                ),
            )
        )
    )
    nodes = {row.pk: ChartNode(body=row, members=row.members_now) for row in rows}
    roots: list[ChartNode] = []
    for row in rows:
        parent = nodes.get(row.reports_to_id)
        # A reporting line that loops back (a reports to b reports to a) must not hide both.
        if parent is not None and not _loops(row, nodes):
            parent.children.append(nodes[row.pk])
        else:
            roots.append(nodes[row.pk])
    return roots


def _loops(row: Body, nodes: dict[int, ChartNode]) -> bool:
    seen = {row.pk}
    current = row.reports_to_id
    while current is not None and current in nodes:
        if current in seen:
            return True
        seen.add(current)
        current = nodes[current].body.reports_to_id
    return False


# --- composition ------------------------------------------------------------------------


def composition(body: Body, on: date) -> list[Assignment]:
    """Who sat in the body on ``on``, chair first; one query."""
    return list(
        Assignment.objects.filter(body=body, starts_on__lte=on, ends_on__gte=on)
        .select_related(
            "body",
            "person__municipality",
            "person__outside_organisation",
            "seat__municipality",
            "substitute_for",
            "term",
        )
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "substitute_order", "seat__ordering", "person__last_name")
    )


def body_assignments(body: Body) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(body=body)
        .select_related(
            "person__municipality",
            "person__outside_organisation",
            "seat__municipality",
            "substitute_for",
            "term",
        )
        .annotate(role_order=ROLE_ORDER)
        .order_by("term__starts_on", "role_order", "seat__ordering", "person__last_name")
    )


def assignment(association, pk: int) -> QuerySet[Assignment]:
    return Assignment.objects.filter(association=association, pk=pk).select_related(
        "body", "person", "seat__municipality", "term"
    )


def all_assignments(association) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(association=association)
        .select_related(
            "body",
            "person__municipality",
            "person__outside_organisation",
            "seat__municipality",
            "term",
            "substitute_for",
        )
        .annotate(role_order=ROLE_ORDER)
        .order_by("body__ordering", "body__name", "starts_on", "role_order", "person__last_name")
    )


def seats(body: Body) -> QuerySet[Seat]:
    return Seat.objects.filter(body=body).select_related("municipality", "body")


def seat(body: Body, pk: int) -> QuerySet[Seat]:
    return seats(body).filter(pk=pk)


# --- vacancies --------------------------------------------------------------------------


@dataclass
class SeatVacancy:
    seat: Seat
    members_filled: int
    substitutes_filled: int

    @property
    def members_vacant(self) -> int:
        return max(self.seat.members - self.members_filled, 0)

    @property
    def substitutes_vacant(self) -> int:
        return max(self.seat.substitutes - self.substitutes_filled, 0)

    @property
    def is_vacant(self) -> bool:
        return bool(self.members_vacant or self.substitutes_vacant)


def seat_vacancies(association, on: date, body: Body | None = None) -> list[SeatVacancy]:
    """Every seat with how many of its places are filled on ``on``; two queries."""
    seat_rows = Seat.objects.filter(association=association).select_related("municipality", "body")
    filled = Assignment.objects.filter(
        association=association, seat__isnull=False, starts_on__lte=on, ends_on__gte=on
    )
    if body is not None:
        seat_rows = seat_rows.filter(body=body)
        filled = filled.filter(body=body)
    counts = {
        row["seat"]: row
        for row in filled.values("seat").annotate(
            members=Count("pk", filter=Q(role__in=MEMBER_ROLES)),
            substitutes=Count("pk", filter=Q(role=Role.SUBSTITUTE)),
        )
    }
    result = []
    for row in seat_rows.order_by("body__ordering", "body__name", "ordering", "pk"):
        count = counts.get(row.pk, {})
        result.append(SeatVacancy(row, count.get("members", 0), count.get("substitutes", 0)))
    return result


# --- terms, people, rotations ------------------------------------------------------------


def terms(association) -> QuerySet[Term]:
    return Term.objects.filter(association=association).order_by("starts_on")


def term_on(association, day: date) -> Term | None:
    return terms(association).filter(starts_on__lte=day, ends_on__gte=day).first()


def next_term(association, day: date) -> Term | None:
    return terms(association).filter(starts_on__gt=day).first()


def people(association) -> QuerySet[Person]:
    return (
        Person.objects.filter(association=association)
        .select_related("municipality", "outside_organisation", "user")
        .order_by("last_name", "first_name", "pk")
    )


def person(association, pk: int) -> QuerySet[Person]:
    return people(association).filter(pk=pk)


def person_assignments(person: Person) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(person=person)
        .select_related("body", "seat__municipality", "term", "substitute_for")
        .order_by("-starts_on", "body__ordering")
    )


def rotations(association) -> QuerySet[HostRotation]:
    return (
        HostRotation.objects.filter(association=association)
        .prefetch_related(
            Prefetch("places", queryset=HostRotationPlace.objects.select_related("municipality")),
            Prefetch("bodies", queryset=Body.objects.order_by("ordering", "name")),
        )
        .order_by("name")
    )


def rotation(association, pk: int) -> QuerySet[HostRotation]:
    return rotations(association).filter(pk=pk)


# --- the user's own bodies ----------------------------------------------------------------


def active_bodies_of_user(association, user, today: date) -> dict[int, str]:
    """Body id -> kind for the bodies in ``association`` the user sits in on ``today``."""
    return dict(
        Assignment.objects.filter(
            association=association,
            person__user=user,
            starts_on__lte=today,
            ends_on__gte=today,
        ).values_list("body_id", "body__kind")
    )


def association_ids_with_assignment(user) -> set[int]:
    """Associations where the user has an assignment that has not ended (the switcher)."""
    from django.utils import timezone

    if not user.is_authenticated:
        return set()
    # Deliberately across tenants: the question is about the person, not one association.
    with scopes_disabled():
        return set(
            Assignment.objects.filter(
                person__user=user, ends_on__gte=timezone.localdate()
            ).values_list("association_id", flat=True)
        )


def assignments_of_user(user, association=None) -> list[Assignment]:
    """The user's assignments that have not ended, in every association (or one)."""
    from django.utils import timezone

    with scopes_disabled():
        rows = Assignment.objects.filter(person__user=user, ends_on__gte=timezone.localdate())
        if association is not None:
            rows = rows.filter(association=association)
        return list(
            rows.select_related("body", "association", "seat__municipality", "term")
            .annotate(role_order=ROLE_ORDER)
            .order_by("association__name", "body__ordering", "body__name", "starts_on")
        )


# --- history ------------------------------------------------------------------------------


def body_history(body: Body) -> QuerySet[AuditEntry]:
    """Every change to the body, its seats and its assignments, newest first."""
    seat_ids = [str(pk) for pk in Seat.objects.filter(body=body).values_list("pk", flat=True)]
    assignment_ids = [
        str(pk) for pk in Assignment.objects.filter(body=body).values_list("pk", flat=True)
    ]
    return (
        AuditEntry.objects.filter(association=body.association_id)
        .filter(
            Q(object_type="governance.body", object_id=str(body.pk))
            | Q(object_type="governance.seat", object_id__in=seat_ids)
            | Q(object_type="governance.assignment", object_id__in=assignment_ids)
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def person_history(person: Person) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(
            association=person.association_id,
            object_type="governance.person",
            object_id=str(person.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
