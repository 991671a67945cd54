"""Governance: the association's people, its bodies, their seats (posts), terms of office,
the assignments that fill the seats, and the host municipalities that hold the chairs.

A seat is a post that exists whether or not anyone fills it; an assignment puts one person in
a body (usually on a seat) with a role for dates inside a term. Rules about date ranges are
enforced twice: by the services with a clear message, and by PostgreSQL exclusion constraints
(``btree_gist``) so that no code path can store an overlap.
"""

from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from association.tenancy import TenantModel

# Words the body pages use in their own addresses; a body may not take them as its slug.
RESERVED_BODY_SLUGS = {
    "ny", "mina", "personer", "mandatperioder", "vakanser", "vardkommuner", "uppdrag",
    "export", "alla", "arsrapporter", "aterkoppling",
}  # fmt: skip

SAME_PERSON_TWICE = _(
    "This person already has an assignment in this body during these dates; one person holds "
    "one assignment in a body at a time (change the role of the existing one instead)."
)
TERMS_OVERLAP = _("Another term of office already covers some of these dates.")
CHAIR_TAKEN = _("The body already has someone in this role during these dates.")
ORDER_TAKEN = _("Another substitute on this seat already has this place in the order.")


class DateRange(Func):
    """PostgreSQL's daterange(start, end, '[]'): both days included."""

    function = "DATERANGE"
    output_field = DateRangeField()


def _closed_range(start: str, end: str) -> DateRange:
    return DateRange(start, end, Value("[]"))


def validate_body_slug(value: str) -> None:
    if value in RESERVED_BODY_SLUGS:
        raise ValidationError(
            _("“%(value)s” is used by the portal's own pages; choose another address."),
            params={"value": value},
        )


class Person(TenantModel):
    """Someone who sits in the association's bodies; most never log in.

    Public pages show only name, role, municipality or organisation and party (as
    municipalities publish elected members); e-mail and phone are for members and staff.
    Personal identity numbers are never stored.
    """

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    municipality = models.ForeignKey(
        "members.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    organisation = models.CharField(
        _("outside organisation"),
        max_length=200,
        blank=True,
        help_text=_("For people who do not represent a municipality, e.g. Region Norrbotten."),
    )
    # The register of outside organisations (agreements app); the free text above stays
    # for people registered before it existed.
    outside_organisation = models.ForeignKey(
        "agreements.OutsideOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation in the register"),
    )
    party = models.CharField(_("party"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_people",
        verbose_name=_("login account"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("person (förtroendevald)")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"],
                condition=Q(user__isnull=False),
                name="one_person_per_account_per_association",
                violation_error_message=_(
                    "This login account is already linked to another person here."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def represents(self) -> str:
        """Municipality or outside organisation, as the public pages show it."""
        if self.municipality_id:
            return self.municipality.name
        if self.outside_organisation_id:
            return self.outside_organisation.name
        return self.organisation


class BodyKind(models.TextChoices):
    ASSEMBLY = "assembly", _("Assembly")
    BOARD = "board", _("Board")
    COUNCIL = "council", _("Regional council")
    PRESIDIUM = "presidium", _("Presidium")
    PREPARATORY_COMMITTEE = "preparatory_committee", _("Preparatory committee")
    CHIEF_EXECUTIVES = "chief_executives", _("Chief executives' group")
    STEERING_GROUP = "steering_group", _("Steering group")
    MANAGEMENT_TEAM = "management_team", _("Management team")
    JOINT_COMMITTEE = "joint_committee", _("Joint committee")
    INFORMAL_FORUM = "informal_forum", _("Informal forum")
    # Networks and working groups are bodies so that their meetings, notices, agendas and
    # calendars are the bodies' own; the networks app holds what else they have.
    NETWORK = "network", _("Network")
    WORKING_GROUP = "working_group", _("Working group")
    OTHER = "other", _("Other body")


# Kinds whose seats give access to that group's own material only, never to what the
# association's bodies share (governance.permissions.body_member_access).
NETWORK_KINDS = (BodyKind.NETWORK, BodyKind.WORKING_GROUP)


class QuorumRule(models.TextChoices):
    """How many members must be present for the body to decide (read by the meetings work)."""

    MORE_THAN_HALF = "more_than_half", _("More than half of the members")
    AT_LEAST_HALF = "at_least_half", _("At least half of the members")
    TWO_THIRDS = "two_thirds", _("At least two thirds of the members")
    ALL = "all", _("All members")
    NONE = "none", _("No quorum rule (the body does not decide)")


class ChairRule(models.TextChoices):
    """Who holds the chairs, when a host municipality decides it."""

    NONE = "none", _("The body elects its own chairs")
    HOST_BOTH = "host_both", _("The host municipality holds chair and vice chair")
    HOST_CHAIR_NEXT_VICE = (
        "host_chair_next_vice",
        _("The host holds the chair; the vice chair comes from the next host in line"),
    )
    HOST_CHAIR = "host_chair", _("The chair rotates among the participants")


class HostRotation(TenantModel):
    """A yearly rotation of host municipalities, entered once (Umeåregionen's värdkommun).

    ``first_year`` is hosted by the first place; after the last place it starts again.
    """

    name = models.CharField(_("name"), max_length=200)
    first_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("host rotation (värdkommun)")
        verbose_name_plural = _("host rotations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def places_in_order(self) -> list["HostRotationPlace"]:
        # Sorted in Python so that a prefetched list is used as it is.
        return sorted(self.places.all(), key=lambda place: place.position)

    def host(self, year: int):
        """The municipality hosting ``year`` (None before the first year or when empty)."""
        places = self.places_in_order()
        if not places or year < self.first_year:
            return None
        return places[(year - self.first_year) % len(places)].municipality

    def next_in_line(self, year: int):
        """The host of the year after ``year``: in Umeåregionen it gives the chief
        executives' group its vice chair."""
        return self.host(year + 1)

    def schedule(self, first: int, last: int) -> list[tuple[int, object, object]]:
        return [(year, self.host(year), self.next_in_line(year)) for year in range(first, last + 1)]


class HostRotationPlace(TenantModel):
    rotation = models.ForeignKey(HostRotation, on_delete=models.CASCADE, related_name="places")
    position = models.PositiveSmallIntegerField(_("place in the rotation"))
    municipality = models.ForeignKey(
        "members.Municipality", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("municipality"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("place in a host rotation")
        verbose_name_plural = _("places in host rotations")
        ordering = ["rotation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rotation", "position"], name="one_host_per_place"),
            models.UniqueConstraint(
                fields=["rotation", "municipality"], name="each_municipality_once_in_rotation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rotation}: {self.position}. {self.municipality}"


class Body(TenantModel):
    """A governing body (organ): assembly, board, preparatory committee and the like."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=60, validators=[validate_body_slug])
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    mandate = models.TextField(_("mandate"), blank=True, max_length=4000)
    members_information = models.TextField(
        _("information for members"),
        blank=True,
        max_length=4000,
        help_text=_("Shown only to the body's members and the association's staff."),
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporting_bodies",
        verbose_name=_("reports to"),
    )
    outside_parties = models.CharField(
        _("outside parties"),
        max_length=300,
        blank=True,
        help_text=_("Organisations that take part without being members, e.g. Region Norrbotten."),
    )
    is_formal = models.BooleanField(
        _("formal body"),
        default=True,
        help_text=_("Untick for a meeting place that takes no decisions (e.g. a regional forum)."),
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("usual meetings a year"), null=True, blank=True, validators=[MaxValueValidator(366)]
    )
    quorum_rule = models.CharField(
        _("quorum rule"),
        max_length=20,
        choices=QuorumRule.choices,
        default=QuorumRule.MORE_THAN_HALF,
    )
    seat_rule = models.TextField(
        _("seat rule"),
        blank=True,
        max_length=2000,
        help_text=_("Who sits in the body, in words, as the statutes say it."),
    )
    chair_rule = models.CharField(
        _("chairs"), max_length=30, choices=ChairRule.choices, default=ChairRule.NONE
    )
    host_rotation = models.ForeignKey(
        HostRotation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("host rotation"),
        help_text=_("A yearly rotation of the municipality that holds the chairs."),
    )
    fixed_host = models.ForeignKey(
        "members.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host municipality"),
        help_text=_("A joint committee's permanent host (värdkommun)."),
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=100)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("body (organ)")
        verbose_name_plural = _("bodies")
        ordering = ["ordering", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "slug"], name="body_slug_per_association"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def host(self, year: int):
        """The municipality that holds the chairs in ``year``: the rotation's turn when the
        body has one (a joint committee with a fixed host may still rotate its chair),
        else the fixed host."""
        if self.host_rotation_id:
            return self.host_rotation.host(year)
        return self.fixed_host if self.fixed_host_id else None

    def quorum(self, members: int) -> int:
        """The smallest number of members present that makes the body able to decide."""
        match self.quorum_rule:
            case QuorumRule.MORE_THAN_HALF:
                return members // 2 + 1
            case QuorumRule.AT_LEAST_HALF:
                return (members + 1) // 2
            case QuorumRule.TWO_THIRDS:
                return -(-2 * members // 3)
            case QuorumRule.ALL:
                return members
        return 0


class Seat(TenantModel):
    """A post in a body, existing whether or not it is filled: so many members and
    substitutes for a member municipality, an outside organisation or a party."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    municipality = models.ForeignKey(
        "members.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    organisation = models.CharField(_("outside organisation"), max_length=200, blank=True)
    party = models.CharField(_("party"), max_length=100, blank=True)
    label = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “chair of the municipal executive board” or “minority leader”."),
    )
    members = models.PositiveSmallIntegerField(
        _("members"), default=1, validators=[MaxValueValidator(200)]
    )
    substitutes = models.PositiveSmallIntegerField(
        _("substitutes"), default=0, validators=[MaxValueValidator(200)]
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=100)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("seat (plats)")
        verbose_name_plural = _("seats")
        ordering = ["body", "ordering", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(members__gt=0) | Q(substitutes__gt=0),
                name="seat_has_members_or_substitutes",
                violation_error_message=_("A seat needs at least one member or substitute."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(municipality__isnull=False)
                    | ~Q(organisation="")
                    | ~Q(party="")
                    | ~Q(label="")
                ),
                name="seat_says_whose_it_is",
                violation_error_message=_(
                    "Say whose seat it is: a municipality, an organisation, a party or a "
                    "description."
                ),
            ),
        ]

    def __str__(self) -> str:
        holder = (
            (self.municipality.name if self.municipality_id else "")
            or self.organisation
            or self.party
            or self.label
        )
        if self.label and holder != self.label:
            holder = f"{holder}, {self.label}"
        return f"{self.body.name}: {holder}"

    @property
    def holder(self) -> str:
        return (
            (self.municipality.name if self.municipality_id else "")
            or self.organisation
            or self.party
            or self.label
        )


class Term(TenantModel):
    """A term of office (mandatperiod), four years: 2023–2026."""

    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("term of office (mandatperiod)")
        verbose_name_plural = _("terms of office")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="term_dates_in_order",
                violation_error_message=_("A term cannot end before it starts."),
            ),
            ExclusionConstraint(
                name="terms_do_not_overlap",
                expressions=[
                    ("association", RangeOperators.EQUAL),
                    (_closed_range("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=TERMS_OVERLAP,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")
    SECRETARY = "secretary", _("Secretary")
    CO_OPTED = "co_opted", _("Co-opted")


# Roles that fill one of a seat's member places; a substitute fills a substitute place;
# secretaries and co-opted people sit without a seat.
MEMBER_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER)
SEATLESS_ROLES = (Role.SECRETARY, Role.CO_OPTED)


class Assignment(TenantModel):
    """A person in a body with a role for dates inside a term (uppdrag)."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("body")
    )
    seat = models.ForeignKey(
        Seat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("seat"),
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("term")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    substitute_for = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personal_substitutes",
        verbose_name=_("personal substitute for"),
    )
    substitute_order = models.PositiveSmallIntegerField(
        _("place in the order of substitutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("assignment (uppdrag)")
        verbose_name_plural = _("assignments")
        ordering = ["body", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="assignment_dates_in_order",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(role=Role.SUBSTITUTE)
                | (Q(substitute_for__isnull=True) & Q(substitute_order__isnull=True)),
                name="only_substitutes_substitute",
                violation_error_message=_(
                    "Only a substitute can be personal for someone or have a place in the order."
                ),
            ),
            models.CheckConstraint(
                condition=Q(substitute_for__isnull=True) | Q(substitute_order__isnull=True),
                name="substitute_personal_or_ordered",
                violation_error_message=_(
                    "A substitute is either personal for one member or has a place in the "
                    "order, not both."
                ),
            ),
            ExclusionConstraint(
                name="one_assignment_per_person_and_body_at_a_time",
                expressions=[
                    ("body", RangeOperators.EQUAL),
                    ("person", RangeOperators.EQUAL),
                    (_closed_range("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=SAME_PERSON_TWICE,
            ),
            ExclusionConstraint(
                name="one_chair_and_one_vice_chair_at_a_time",
                expressions=[
                    ("body", RangeOperators.EQUAL),
                    ("role", RangeOperators.EQUAL),
                    (_closed_range("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role__in=[Role.CHAIR, Role.VICE_CHAIR]),
                violation_error_message=CHAIR_TAKEN,
            ),
            ExclusionConstraint(
                name="one_substitute_per_place_in_order",
                expressions=[
                    ("seat", RangeOperators.EQUAL),
                    ("substitute_order", RangeOperators.EQUAL),
                    (_closed_range("starts_on", "ends_on"), RangeOperators.OVERLAPS),
                ],
                condition=Q(substitute_order__isnull=False),
                violation_error_message=ORDER_TAKEN,
            ),
        ]
        indexes = [models.Index(fields=["association", "person"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.body.name}"

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def is_member_role(self) -> bool:
        return self.role in MEMBER_ROLES
