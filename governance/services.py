"""Every change to people, bodies, seats, terms, assignments and host rotations.

Each function runs in one transaction and writes its history. The seat and assignment rules
are checked here with a clear message; the date-range rules are also exclusion constraints
in PostgreSQL, and a constraint that fires anyway (two editors at once) becomes the same
message instead of an error page.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from association.services import (
    ConcurrentEditError,
    record_history,
    send_invitation,
    update_versioned,
)
from association.services import (
    create_person as create_account,
)
from governance.models import (
    CHAIR_TAKEN,
    MEMBER_ROLES,
    ORDER_TAKEN,
    SAME_PERSON_TWICE,
    SEATLESS_ROLES,
    TERMS_OVERLAP,
    Assignment,
    Body,
    ChairRule,
    HostRotation,
    HostRotationPlace,
    Person,
    Role,
    Seat,
    Term,
)

__all__ = [
    "ConcurrentEditError",
    "chair_proposal",
    "change_role",
    "confirm_chair_proposal",
    "create_assignment",
    "create_body",
    "create_person",
    "create_seat",
    "create_term",
    "delete_assignment",
    "delete_seat",
    "invite_person",
    "set_rotation",
    "update_assignment",
    "update_body",
    "update_person",
    "update_seat",
]

OUTSIDE_TERM = _("The dates must lie within the term of office %(term)s (%(start)s–%(end)s).")
SEAT_FULL = _(
    "%(seat)s has %(places)s %(kind)s place(s) in this body, and all are filled on "
    "%(day)s. End another assignment first or choose another seat."
)
SEAT_OF_OTHER_BODY = _("The seat belongs to another body.")
SEAT_NEEDED = _("Choose the seat this person fills; the body's seats are listed.")
NO_SEAT_FOR_ROLE = _("A secretary or co-opted person sits without a seat; leave the seat empty.")
NOT_IN_BODY = _(
    "%(person)s is not a member of this body during these dates, so no one can be their "
    "personal substitute."
)
ENDS_BEFORE_START = _("An assignment cannot end before it starts.")
SEAT_IN_USE = _(
    "The seat has assignments (past or present), so it stays as history; set its places to "
    "what the body has now instead."
)
HAS_SUBSTITUTES = _(
    "%(person)s has a personal substitute in this body for these dates; change or remove "
    "the substitute's assignment first."
)
OWN_SUBSTITUTE = _("A person cannot be their own substitute.")
NO_TERM_FOR_YEAR = _("No term of office covers %(year)s; add the term first.")
NOT_IN_BODY_FOR_YEAR = _(
    "%(person)s has no assignment in this body that covers the dates; add one first."
)
ROTATION_EMPTY = _("Add at least one municipality to the rotation.")
ROTATION_TWICE = _("Each municipality may appear only once in the rotation.")

PERSON_FIELDS = ("first_name", "last_name", "municipality", "outside_organisation", "organisation",
                 "party", "title", "email", "phone")  # fmt: skip
BODY_FIELDS = (
    "name", "slug", "kind", "mandate", "members_information", "reports_to", "outside_parties",
    "is_formal", "meetings_per_year", "quorum_rule", "seat_rule", "chair_rule",
    "host_rotation", "fixed_host", "ordering",
)  # fmt: skip
SEAT_FIELDS = ("municipality", "organisation", "party", "label", "members", "substitutes",
               "ordering")  # fmt: skip
ASSIGNMENT_FIELDS = ("seat", "term", "person", "role", "starts_on", "ends_on",
                     "substitute_for", "substitute_order")  # fmt: skip

# Which constraint says what, when PostgreSQL refuses a row the checks let through.
CONSTRAINT_MESSAGES = {
    "one_assignment_per_person_and_body_at_a_time": ("person", SAME_PERSON_TWICE),
    "one_chair_and_one_vice_chair_at_a_time": ("role", CHAIR_TAKEN),
    "one_substitute_per_place_in_order": ("substitute_order", ORDER_TAKEN),
    "terms_do_not_overlap": ("starts_on", TERMS_OVERLAP),
}


def _initial(obj, names) -> dict[str, tuple[None, Any]]:
    return {name: (None, _plain(getattr(obj, name))) for name in names}


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


def _save_guarded(obj) -> None:
    """Save inside a savepoint and turn an exclusion-constraint refusal into its message."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        text = str(error)
        for name, (field_name, message) in CONSTRAINT_MESSAGES.items():
            if name in text:
                raise ValidationError({field_name: message}) from error
        raise


# --- people -------------------------------------------------------------------------------


@transaction.atomic
def create_person(*, association, actor, **fields: Any) -> Person:
    person = Person(association=association, **{k: fields[k] for k in PERSON_FIELDS if k in fields})
    person.is_demo = bool(fields.get("is_demo", False))
    person.full_clean(exclude=["association"])
    person.save()
    record_history(
        association=association, actor=actor, action="created", obj=person,
        changes=_initial(person, PERSON_FIELDS),
    )  # fmt: skip
    return person


def update_person(*, person: Person, actor, expected_version: int, data: dict) -> Person:
    data = {name: data[name] for name in PERSON_FIELDS if name in data}
    return update_versioned(obj=person, actor=actor, expected_version=expected_version, data=data)


@transaction.atomic
def link_account(*, person: Person, user, actor) -> Person:
    previous = person.user_id
    person.user = user
    person.full_clean(exclude=["association"])
    person.save(update_fields=["user"])
    record_history(
        association=person.association, actor=actor, action="account_linked", obj=person,
        changes={"user": (previous, user.pk if user else None)},
    )  # fmt: skip
    return person


@transaction.atomic
def invite_person(*, request, person: Person, actor) -> bool:
    """Give the person a login linked to their record and e-mail a link to choose a
    password. Returns False when the account already existed (no mail is needed)."""
    if not person.email:
        raise ValidationError(_("The person has no e-mail address to invite."))
    account = create_account(
        email=person.email, first_name=person.first_name, last_name=person.last_name
    )
    if person.user_id != account.pk:
        link_account(person=person, user=account, actor=actor)
    if account.has_usable_password():
        return False
    send_invitation(
        request=request, user=account, association=person.association,
        role=_("member of the association's bodies"),
    )  # fmt: skip
    return True


# --- bodies, seats, terms ---------------------------------------------------------------


def _check_body(body: Body) -> None:
    # A reporting line must not come back to the body itself.
    seen = {body.pk}
    current = body.reports_to
    while current is not None:
        if current.pk in seen:
            raise ValidationError({"reports_to": _("The reporting line would go in a circle.")})
        seen.add(current.pk)
        current = current.reports_to
    if body.reports_to is not None and body.reports_to.association_id != body.association_id:
        raise ValidationError({"reports_to": _("Choose one of the association's bodies.")})


@transaction.atomic
def create_body(*, association, actor, **fields: Any) -> Body:
    body = Body(association=association, **{k: fields[k] for k in BODY_FIELDS if k in fields})
    body.full_clean(exclude=["association"])
    _check_body(body)
    body.save()
    record_history(
        association=association, actor=actor, action="created", obj=body,
        changes=_initial(body, BODY_FIELDS),
    )  # fmt: skip
    return body


def update_body(*, body: Body, actor, expected_version: int, data: dict) -> Body:
    data = {name: data[name] for name in BODY_FIELDS if name in data}
    return update_versioned(
        obj=body, actor=actor, expected_version=expected_version, data=data, check=_check_body
    )


@transaction.atomic
def create_seat(*, body: Body, actor, **fields: Any) -> Seat:
    seat = Seat(
        association=body.association, body=body,
        **{k: fields[k] for k in SEAT_FIELDS if k in fields},
    )  # fmt: skip
    seat.full_clean(exclude=["association"])
    seat.save()
    record_history(
        association=body.association, actor=actor, action="created", obj=seat,
        changes={"body": (None, body.pk), **_initial(seat, SEAT_FIELDS)},
    )  # fmt: skip
    return seat


def _check_seat_capacity(seat: Seat) -> None:
    """A seat cannot shrink below the places already filled."""
    for assignment in seat.assignments.all():
        _check_capacity(assignment, seat=seat)


def update_seat(*, seat: Seat, actor, expected_version: int, data: dict) -> Seat:
    data = {name: data[name] for name in SEAT_FIELDS if name in data}
    return update_versioned(
        obj=seat, actor=actor, expected_version=expected_version, data=data,
        check=_check_seat_capacity,
    )  # fmt: skip


@transaction.atomic
def delete_seat(*, seat: Seat, actor) -> None:
    """Remove a seat defined by mistake; a seat that has been filled keeps its history."""
    if Assignment.objects.filter(seat=seat).exists():
        raise ValidationError(SEAT_IN_USE)
    record_history(
        association=seat.association, actor=actor, action="deleted", obj=seat,
        changes={name: (_plain(getattr(seat, name)), None) for name in SEAT_FIELDS},
    )  # fmt: skip
    seat.delete()


@transaction.atomic
def create_term(*, association, actor, name: str, starts_on: date, ends_on: date) -> Term:
    term = Term(association=association, name=name, starts_on=starts_on, ends_on=ends_on)
    term.full_clean(exclude=["association"])
    _save_guarded(term)
    record_history(
        association=association, actor=actor, action="created", obj=term,
        changes=_initial(term, ("name", "starts_on", "ends_on")),
    )  # fmt: skip
    return term


# --- assignments ----------------------------------------------------------------------------


def _overlapping(assignment: Assignment):
    return Assignment.objects.filter(
        body_id=assignment.body_id,
        starts_on__lte=assignment.ends_on,
        ends_on__gte=assignment.starts_on,
    ).exclude(pk=assignment.pk)


def _most_at_once(ranges: list[tuple[date, date]], start: date, end: date) -> tuple[int, date]:
    """The largest number of ``ranges`` in force on one day within [start, end], and that day."""
    days = sorted({max(s, start) for s, _e in ranges} | {start})
    best, best_day = 0, start
    for day in days:
        if day > end:
            break
        count = sum(1 for s, e in ranges if s <= day <= e)
        if count > best:
            best, best_day = count, day
    return best, best_day


def _check_capacity(assignment: Assignment, seat: Seat | None = None) -> None:
    seat = seat or assignment.seat
    if seat is None or assignment.role in SEATLESS_ROLES:
        return
    substitute = assignment.role == Role.SUBSTITUTE
    places = seat.substitutes if substitute else seat.members
    roles = [Role.SUBSTITUTE] if substitute else list(MEMBER_ROLES)
    others = [
        (other.starts_on, other.ends_on)
        for other in Assignment.objects.filter(
            seat=seat, role__in=roles, starts_on__lte=assignment.ends_on,
            ends_on__gte=assignment.starts_on,
        ).exclude(pk=assignment.pk)
    ]  # fmt: skip
    taken, day = _most_at_once(others, assignment.starts_on, assignment.ends_on)
    if taken + 1 > places:
        raise ValidationError(
            {
                "seat": ValidationError(
                    SEAT_FULL,
                    params={
                        "seat": seat.holder,
                        "places": places,
                        "kind": _("substitute") if substitute else _("member"),
                        "day": day.isoformat(),
                    },
                )
            }
        )


def _check_assignment(assignment: Assignment) -> None:
    """Every rule of an assignment, with the body locked so two editors take turns."""
    Body.objects.select_for_update().filter(pk=assignment.body_id).first()
    if assignment.ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": ENDS_BEFORE_START})
    errors: dict[str, list] = {}
    term = assignment.term
    if not (term.starts_on <= assignment.starts_on and assignment.ends_on <= term.ends_on):
        errors.setdefault("starts_on", []).append(
            ValidationError(
                OUTSIDE_TERM,
                params={
                    "term": term.name,
                    "start": term.starts_on.isoformat(),
                    "end": term.ends_on.isoformat(),
                },
            )
        )
    seat = assignment.seat
    if assignment.role in SEATLESS_ROLES:
        if seat is not None:
            errors.setdefault("seat", []).append(NO_SEAT_FOR_ROLE)
    elif seat is None:
        if Seat.objects.filter(body_id=assignment.body_id).exists():
            errors.setdefault("seat", []).append(SEAT_NEEDED)
    elif seat.body_id != assignment.body_id:
        errors.setdefault("seat", []).append(SEAT_OF_OTHER_BODY)
    if _overlapping(assignment).filter(person_id=assignment.person_id).exists():
        errors.setdefault("person", []).append(SAME_PERSON_TWICE)
    if assignment.role in (Role.CHAIR, Role.VICE_CHAIR) and (
        _overlapping(assignment).filter(role=assignment.role).exists()
    ):
        errors.setdefault("role", []).append(CHAIR_TAKEN)
    if assignment.substitute_for_id:
        if assignment.substitute_for_id == assignment.person_id:
            errors.setdefault("substitute_for", []).append(OWN_SUBSTITUTE)
        elif (
            not _overlapping(assignment)
            .filter(person_id=assignment.substitute_for_id, role__in=MEMBER_ROLES)
            .exists()
        ):
            errors.setdefault("substitute_for", []).append(
                ValidationError(NOT_IN_BODY, params={"person": str(assignment.substitute_for)})
            )
    if errors:
        raise ValidationError(errors)
    _check_capacity(assignment)
    if (
        assignment.substitute_order
        and seat is not None
        and (
            _overlapping(assignment)
            .filter(seat=seat, substitute_order=assignment.substitute_order)
            .exists()
        )
    ):
        raise ValidationError({"substitute_order": ORDER_TAKEN})
    # The remaining model rules (a substitute is personal or ordered, not both; only
    # substitutes are either), with the constraints' own messages.
    assignment.validate_constraints(exclude={"association"})


@transaction.atomic
def create_assignment(*, body: Body, actor, **fields: Any) -> Assignment:
    assignment = Assignment(
        association=body.association, body=body,
        **{k: fields[k] for k in ASSIGNMENT_FIELDS if k in fields},
    )  # fmt: skip
    # The rules with their own messages first; the model's constraints are the backstop.
    assignment.full_clean(exclude=["association"], validate_constraints=False)
    _check_assignment(assignment)
    _save_guarded(assignment)
    record_history(
        association=body.association, actor=actor, action="created", obj=assignment,
        changes={"body": (None, body.pk), **_initial(assignment, ASSIGNMENT_FIELDS)},
    )  # fmt: skip
    return assignment


@transaction.atomic
def update_assignment(
    *, assignment: Assignment, actor, expected_version: int, data: dict
) -> Assignment:
    data = {name: data[name] for name in ASSIGNMENT_FIELDS if name in data}
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError
    changes = {
        name: (_plain(getattr(locked, name)), _plain(value))
        for name, value in data.items()
        if getattr(locked, name) != value
    }
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["association"], validate_constraints=False)
    _check_assignment(locked)
    locked.version += 1
    _save_guarded(locked)
    if changes:
        record_history(
            association=locked.association, actor=actor, action="updated", obj=locked,
            changes=changes,
        )  # fmt: skip
    return locked


@transaction.atomic
def delete_assignment(*, assignment: Assignment, actor) -> None:
    """Remove an assignment entered by mistake (one that ended normally keeps its dates as
    history). Refused while someone is this person's personal substitute for those dates."""
    Body.objects.select_for_update().filter(pk=assignment.body_id).first()
    dependants = Assignment.objects.filter(
        body_id=assignment.body_id, substitute_for_id=assignment.person_id,
        starts_on__lte=assignment.ends_on, ends_on__gte=assignment.starts_on,
    )  # fmt: skip
    if assignment.role in MEMBER_ROLES and dependants.exists():
        raise ValidationError(HAS_SUBSTITUTES, params={"person": str(assignment.person)})
    record_history(
        association=assignment.association, actor=actor, action="deleted", obj=assignment,
        changes={name: (_plain(getattr(assignment, name)), None)
                 for name in ("person", "role", "starts_on", "ends_on")},
    )  # fmt: skip
    assignment.delete()


@transaction.atomic
def change_role(
    *, assignment: Assignment, role: Role | str, starts_on: date, ends_on: date, actor
) -> Assignment:
    """Give the person ``role`` from ``starts_on`` to ``ends_on`` inside their assignment,
    splitting it so that the days before and after keep the old role (one person holds one
    assignment in a body at a time). Returns the assignment with the new role."""
    role = Role(role)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not (locked.starts_on <= starts_on <= ends_on <= locked.ends_on):
        raise ValidationError(NOT_IN_BODY_FOR_YEAR, params={"person": str(locked.person)})
    old_role, old_end = locked.role, locked.ends_on
    pieces = []
    if locked.starts_on < starts_on:
        locked.ends_on = starts_on - timedelta(days=1)
        locked.version += 1
        locked.save(update_fields=["ends_on", "version"])
        record_history(
            association=locked.association, actor=actor, action="updated", obj=locked,
            changes={"ends_on": (old_end, locked.ends_on)},
        )  # fmt: skip
        changed = Assignment(
            association=locked.association, body=locked.body, seat=locked.seat,
            term=locked.term, person=locked.person, role=role, starts_on=starts_on,
            ends_on=ends_on,
        )  # fmt: skip
    else:
        changed = locked
        changed.ends_on = ends_on
        changed.role = role
        changed.substitute_for = None
        changed.substitute_order = None
        changed.version += 1
    _check_assignment(changed)
    _save_guarded(changed)
    pieces.append(changed)
    record_history(
        association=changed.association, actor=actor, action="role_changed", obj=changed,
        changes={"role": (old_role, role.value), "starts_on": (None, starts_on),
                 "ends_on": (None, ends_on)},
    )  # fmt: skip
    if ends_on < old_end:
        after = Assignment(
            association=locked.association, body=locked.body, seat=locked.seat,
            term=locked.term, person=locked.person, role=old_role,
            starts_on=ends_on + timedelta(days=1), ends_on=old_end,
        )  # fmt: skip
        _check_assignment(after)
        _save_guarded(after)
        record_history(
            association=after.association, actor=actor, action="created", obj=after,
            changes=_initial(after, ("role", "starts_on", "ends_on")),
        )  # fmt: skip
    return changed


# --- host municipalities -------------------------------------------------------------------


@transaction.atomic
def set_rotation(
    *,
    association,
    actor,
    name: str,
    first_year: int,
    municipalities: list,
    rotation: HostRotation | None = None,
    notes: str = "",
) -> HostRotation:
    """Create or replace a rotation: the first year's host first, then in turn."""
    if not municipalities:
        raise ValidationError({"municipalities": ROTATION_EMPTY})
    if len({m.pk for m in municipalities}) != len(municipalities):
        raise ValidationError({"municipalities": ROTATION_TWICE})
    before = None
    if rotation is None:
        rotation = HostRotation(association=association)
    else:
        before = (rotation.name, rotation.first_year,
                  [p.municipality_id for p in rotation.places_in_order()])  # fmt: skip
    rotation.name, rotation.first_year, rotation.notes = name, first_year, notes
    rotation.full_clean(exclude=["association"])
    rotation.save()
    HostRotationPlace.objects.filter(rotation=rotation).delete()
    HostRotationPlace.objects.bulk_create(
        HostRotationPlace(association=association, rotation=rotation, position=index,
                          municipality=municipality)
        for index, municipality in enumerate(municipalities, start=1)
    )  # fmt: skip
    after = (name, first_year, [m.pk for m in municipalities])
    record_history(
        association=association, actor=actor,
        action="created" if before is None else "updated", obj=rotation,
        changes={
            "name": (before[0] if before else None, after[0]),
            "first_year": (before[1] if before else None, after[1]),
            "places": (before[2] if before else None, after[2]),
        },
    )  # fmt: skip
    return rotation


@dataclass
class ChairProposal:
    role: Role
    municipality: object  # Municipality or None
    assignment: Assignment | None  # the member who would take the role
    already: Assignment | None  # someone already holds the role that year

    @property
    def can_confirm(self) -> bool:
        return self.assignment is not None and self.already is None


def chair_proposal(*, body: Body, year: int) -> list[ChairProposal]:
    """Who should chair ``body`` in ``year`` by its host rule, for staff to confirm: a member
    of the body from the host municipality (and for the vice chair the host itself or the
    next in line)."""
    if body.chair_rule == ChairRule.NONE:
        return []
    host = body.host(year)
    if body.chair_rule == ChairRule.HOST_CHAIR and not body.host_rotation_id:
        # The chair rotates, but no one has entered the order yet: nothing to propose.
        host = None
    wanted = [(Role.CHAIR, host)]
    if body.chair_rule == ChairRule.HOST_BOTH:
        wanted.append((Role.VICE_CHAIR, host))
    elif body.chair_rule == ChairRule.HOST_CHAIR_NEXT_VICE and body.host_rotation_id:
        wanted.append((Role.VICE_CHAIR, body.host_rotation.next_in_line(year)))
    first, last = date(year, 1, 1), date(year, 12, 31)
    in_year = list(
        Assignment.objects.filter(body=body, starts_on__lte=last, ends_on__gte=first)
        .select_related("person__municipality", "seat__municipality")
        .order_by("seat__ordering", "starts_on", "pk")
    )
    taken: set[int] = set()
    proposals = []
    for role, municipality in wanted:
        already = next((a for a in in_year if a.role == role), None)
        candidate = None
        if already is None and municipality is not None:
            candidate = next(
                (
                    a for a in in_year
                    if a.role in (Role.MEMBER, role) and a.person_id not in taken
                    and a.starts_on <= first and a.ends_on >= last
                    and municipality.pk in (a.person.municipality_id,
                                            a.seat.municipality_id if a.seat_id else None)
                ),
                None,
            )  # fmt: skip
        if candidate is not None:
            taken.add(candidate.person_id)
        proposals.append(ChairProposal(role, municipality, candidate, already))
    return proposals


@transaction.atomic
def confirm_chair_proposal(*, body: Body, year: int, actor) -> list[Assignment]:
    """Make the proposed members chair (and vice chair) for the year."""
    made = []
    for proposal in chair_proposal(body=body, year=year):
        if not proposal.can_confirm:
            continue
        current = proposal.assignment
        start = max(date(year, 1, 1), current.term.starts_on)
        end = min(date(year, 12, 31), current.term.ends_on)
        made.append(
            change_role(
                assignment=current,
                role=proposal.role,
                starts_on=start,
                ends_on=end,
                actor=actor,
            )
        )
    return made
