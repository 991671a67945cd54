"""The association's bookable resources (desks, meeting rooms) and their bookings.

Two live bookings of one resource never overlap: PostgreSQL refuses it with an exclusion
constraint (btree_gist) on the resource and the booking's time range, so even two requests
made at the same instant cannot both succeed. Bookings are booked by the quarter hour
(start and end on :00, :15, :30 or :45, whole minutes) and last at most twelve hours; the
database checks both. A booking is cancelled, never deleted: the row keeps who booked,
who cancelled and when, and a cancelled booking no longer holds its slot.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.tenancy import TenantModel

# Bookings start and end on these minutes (Sweden's UTC offsets are whole hours, so the
# quarter hours are the same in local time and in UTC).
BOOKING_MINUTES = (0, 15, 30, 45)
QUARTER_HOUR_SECONDS = 15 * 60
MAX_BOOKING_LENGTH = timedelta(hours=12)
# The constraint's name: services.book recognises the refusal by it.
NO_OVERLAP = "booking_no_overlap"


class ResourceKind(models.TextChoices):
    DESK = "desk", _("Desk (skrivbord)")
    MEETING_ROOM = "meeting_room", _("Meeting room (mötesrum)")
    OTHER = "other", _("Other")


class BookableBy(models.TextChoices):
    STAFF = "staff", _("Staff only")
    STAFF_AND_ELECTED = "staff_and_elected", _("Staff and elected members")


class Resource(TenantModel):
    """Something the association's people book by the hour: a desk, a room (resurs)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.DESK
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity (people)"), default=1, help_text=_("How many people it holds.")
    )
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Address, building, floor.")
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    bookable_by = models.CharField(
        _("bookable by"),
        max_length=20,
        choices=BookableBy.choices,
        default=BookableBy.STAFF_AND_ELECTED,
    )
    active = models.BooleanField(
        _("bookable now"), default=True, help_text=_("An inactive resource takes no bookings.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("resource (resurs)")
        verbose_name_plural = _("resources")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="resource_unique_name"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=1000), name="resource_capacity"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Epoch(Func):
    """Seconds since 1970 (with fractions): on a quarter hour when divisible by 900."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = models.DecimalField()


class TimeRange(Func):
    """``tstzrange(starts_at, ends_at, '[)')``: a booking ending at 11 and one starting at
    11 do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Booking(TenantModel):
    """One booking of a resource (bokning), in local time Europe/Stockholm on the pages."""

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resource")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    title = models.CharField(_("purpose"), max_length=200)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booked by"),
    )
    # Extension point for the meetings work: a meeting holds the room by booking it through
    # services.book(meeting_reference=...). Until the meetings app exists this is free text
    # (e.g. "meeting:42"); it may become a nullable foreign key to the meeting then.
    meeting_reference = models.CharField(_("held for meeting"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        verbose_name = _("booking (bokning)")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            ExclusionConstraint(
                name=NO_OVERLAP,
                expressions=[
                    (F("resource"), RangeOperators.EQUAL),
                    (
                        TimeRange(F("starts_at"), F("ends_at"), Value("[)")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(cancelled_at__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__lte=F("starts_at") + MAX_BOOKING_LENGTH),
                name="booking_at_most_12_hours",
            ),
            models.CheckConstraint(
                condition=Q(Exact(Mod(Epoch(F("starts_at")), QUARTER_HOUR_SECONDS), 0))
                & Q(Exact(Mod(Epoch(F("ends_at")), QUARTER_HOUR_SECONDS), 0)),
                name="booking_on_quarter_hours",
            ),
        ]
        indexes = [models.Index(fields=["association", "booked_by", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.resource} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}: {self.title}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None
