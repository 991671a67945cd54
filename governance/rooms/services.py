"""Every change to resources and bookings: one transaction each, with history."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from association.models import Association, User
from association.services import ConcurrentEditError, record_history, update_versioned
from governance.rooms.models import (
    BOOKING_MINUTES,
    MAX_BOOKING_LENGTH,
    NO_OVERLAP,
    BookableBy,
    Booking,
    Resource,
)
from governance.rooms.permissions import user_is_staff, user_may_cancel_any

__all__ = [
    "ConcurrentEditError",
    "book",
    "cancel_booking",
    "create_resource",
    "describe_span",
    "update_resource",
]

NOT_AWARE = gettext_lazy("Times must carry a time zone.")
ENDS_BEFORE_START = gettext_lazy("The booking must end after it starts.")
TOO_LONG = gettext_lazy("A booking can be at most 12 hours long.")
NOT_ON_QUARTER = gettext_lazy("Bookings start and end on the quarter hour (:00, :15, :30, :45).")
INACTIVE = gettext_lazy("This resource takes no bookings at the moment.")
STAFF_ONLY = gettext_lazy("Only the association's staff may book this resource.")
ALREADY_CANCELLED = gettext_lazy("This booking has already been cancelled.")
NAME_TAKEN = gettext_lazy("The association already has a resource with this name.")
NOT_YOURS = gettext_lazy("You may cancel only your own bookings.")


def _check_unique_name(resource: Resource) -> None:
    taken = Resource.objects.filter(association=resource.association, name=resource.name)
    if taken.exclude(pk=resource.pk).exists():
        raise ValidationError({"name": ValidationError(NAME_TAKEN, code="unique")})


@transaction.atomic
def create_resource(*, association: Association, actor: User | None, **fields: Any) -> Resource:
    resource = Resource(association=association, **fields)
    resource.full_clean(exclude=["association"])
    _check_unique_name(resource)
    resource.save()
    record_history(
        association=association, actor=actor, action="created", obj=resource,
        changes={name: (None, value) for name, value in fields.items()},
    )  # fmt: skip
    return resource


def update_resource(
    *, resource: Resource, actor: User | None, expected_version: int, data: dict[str, Any]
) -> Resource:
    return update_versioned(
        obj=resource, actor=actor, expected_version=expected_version, data=data,
        check=_check_unique_name,
    )  # fmt: skip


def describe_span(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    """ "onsdag 25 november 2026 10:00–11:00" in local time; the end's date only if it differs."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    text = f"{date_format(start, 'l j F Y')} {time_format(start, 'H:i')}–"
    if end.date() != start.date():
        text += f"{date_format(end, 'l j F Y')} "
    return text + time_format(end, "H:i")


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(NOT_AWARE, code="naive")
    starts_at, ends_at = starts_at.astimezone(datetime.UTC), ends_at.astimezone(datetime.UTC)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": ValidationError(ENDS_BEFORE_START, code="order")})
    if ends_at - starts_at > MAX_BOOKING_LENGTH:
        raise ValidationError({"ends_at": ValidationError(TOO_LONG, code="too_long")})
    for moment in (starts_at, ends_at):
        if moment.minute not in BOOKING_MINUTES or moment.second or moment.microsecond:
            raise ValidationError(NOT_ON_QUARTER, code="quarter")


def _collision_message(collision: Booking, actor: User) -> str:
    """What the refused booking collides with; who booked only to staff and the booker."""
    span = describe_span(collision.starts_at, collision.ends_at)
    if collision.booked_by_id == actor.pk:
        return _("%(resource)s is already booked %(span)s by you: “%(title)s”.") % {
            "resource": collision.resource, "span": span, "title": collision.title,
        }  # fmt: skip
    if user_is_staff(actor, collision.association):
        return _("%(resource)s is already booked %(span)s by %(who)s: “%(title)s”.") % {
            "resource": collision.resource, "span": span, "title": collision.title,
            "who": collision.booked_by.get_full_name() or collision.booked_by.email,
        }  # fmt: skip
    return _("%(resource)s is already booked %(span)s: “%(title)s”.") % {
        "resource": collision.resource, "span": span, "title": collision.title,
    }  # fmt: skip


@transaction.atomic
def book(
    *,
    resource: Resource,
    actor: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    title: str,
    meeting_reference: str = "",
) -> Booking:
    """Book the resource for [starts_at, ends_at), or raise a ValidationError saying why not.

    Overlaps are refused by the database's exclusion constraint, so two bookings made at the
    same instant cannot both pass: the second waits for the first to commit, then fails, and
    the message names the booking it collides with. ``meeting_reference`` is how a meeting
    holds the room (see ``Booking.meeting_reference``).
    """
    _check_times(starts_at, ends_at)
    # In UTC from here: Python compares and subtracts two times of one zone by the wall
    # clock, so 00:00–04:00 the night the clocks go back would count as 4 hours, not 5.
    starts_at, ends_at = starts_at.astimezone(datetime.UTC), ends_at.astimezone(datetime.UTC)
    association = resource.association
    if not resource.active:
        raise ValidationError(INACTIVE, code="inactive")
    if resource.bookable_by == BookableBy.STAFF and not user_is_staff(actor, association):
        raise ValidationError(STAFF_ONLY, code="staff_only")
    booking = Booking(
        association=association, resource=resource, starts_at=starts_at, ends_at=ends_at,
        title=title.strip(), booked_by=actor, meeting_reference=meeting_reference,
    )  # fmt: skip
    booking.full_clean(exclude=["association", "resource", "booked_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
        if constraint != NO_OVERLAP:
            raise
        collision = (
            Booking.objects.filter(
                association=association,
                resource=resource,
                cancelled_at__isnull=True,
                starts_at__lt=ends_at,
                ends_at__gt=starts_at,
            )
            .select_related("resource", "booked_by", "association")
            .order_by("starts_at")
            .first()
        )
        if collision is None:  # cancelled again in the meantime; the person may try again
            raise ValidationError(
                _("Someone else was booking this time just now. Please try again."),
                code="overlap",
            ) from error
        raise ValidationError(_collision_message(collision, actor), code="overlap") from error
    record_history(
        association=association, actor=actor, action="created", obj=booking,
        changes={
            "resource": (None, resource.name), "starts_at": (None, starts_at),
            "ends_at": (None, ends_at), "title": (None, booking.title),
        },
    )  # fmt: skip
    return booking


@transaction.atomic
def cancel_booking(*, booking: Booking, actor: User) -> Booking:
    """Cancel (never delete): the row stays with who cancelled and when; the slot frees."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    association = locked.association
    if locked.booked_by_id != actor.pk and not user_may_cancel_any(actor, association):
        raise ValidationError(NOT_YOURS, code="not_yours")
    if locked.cancelled_at is not None:
        raise ValidationError(ALREADY_CANCELLED, code="cancelled")
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = actor
    locked.save(update_fields=["cancelled_at", "cancelled_by"])
    record_history(
        association=association, actor=actor, action="updated", obj=locked,
        changes={"cancelled_at": (None, locked.cancelled_at)},
    )  # fmt: skip
    return locked
