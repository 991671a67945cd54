"""Member municipalities, the national register they come from, SCB's yearly figures and the
association's fee rules.

The register (counties, municipalities), the yearly figures and their imports are national
reference data shared by every association and changed only by platform admins, so they are
not tenant-owned. Memberships, fee rules, an association's own corrections of figures for its
members and its adopted (frozen) fee schedules belong to one association.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from association import locking
from association.tenancy import TenantModel

# SCB's population series by municipality start in 1968; nothing earlier can be a figure year.
FIRST_FIGURE_YEAR = 1968


class County(models.Model):
    """A county (län) with the region that covers it."""

    code = models.CharField(
        _("county code"), max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$")]
    )
    name = models.CharField(_("name"), max_length=60)
    region_name = models.CharField(_("region"), max_length=60)

    class Meta:
        verbose_name = _("county (län)")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """One of Sweden's 290 municipalities, by its official SCB code (kommunkod)."""

    code = models.CharField(
        _("municipality code"), max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")]
    )
    name = models.CharField(_("name"), max_length=60)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )

    class Meta:
        verbose_name = _("municipality (kommun)")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    """A municipality's membership of the association (medlemskommun), from joining to leaving."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    chair_name = models.CharField(
        _("chair of the municipal executive board (KSO)"), max_length=200, blank=True
    )
    chief_executive_name = models.CharField(
        _("chief executive (kommundirektör)"), max_length=200, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("membership (medlemskap)")
        verbose_name_plural = _("memberships")
        ordering = ["municipality__name", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["association", "municipality"])]

    def __str__(self) -> str:
        return str(self.municipality)

    def is_member_in(self, year: int) -> bool:
        return self.joined_on.year <= year and (self.left_on is None or self.left_on.year >= year)


class FigureKind(models.TextChoices):
    POPULATION = "population", _("Population on 31 December (folkmängd)")
    TAX_CAPACITY = "tax_capacity", _("National average tax capacity (medelskattekraft)")


class _Figure(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_FIGURE_YEAR), MaxValueValidator(2200)]
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        abstract = True


class PopulationFigure(_Figure):
    """A municipality's population on 31 December of ``year`` (folkmängd), from SCB."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="population_figures",
        verbose_name=_("municipality"),
    )
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        verbose_name = _("population figure (folkmängd)")
        verbose_name_plural = _("population figures")
        ordering = ["municipality__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_population_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.population}"


class NationalFigure(_Figure):
    """The national average tax capacity per inhabitant in ``year`` (medelskattekraft i riket)."""

    average_tax_capacity = models.DecimalField(
        _("average tax capacity per inhabitant (kr)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("national figure (medelskattekraft)")
        verbose_name_plural = _("national figures")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["year"], name="one_national_figure_a_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.average_tax_capacity}"


class FigureChange(models.Model):
    """History of the national figures: every value an import set, with the one it replaced.

    Only platform admins import national figures, so only they see who did; association
    staff see the source and the time.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=FigureKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    old_value = models.DecimalField(
        _("previous value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    new_value = models.DecimalField(_("new value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("time"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("figure change (ändring)")
        verbose_name_plural = _("figure changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["kind", "municipality", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.old_value} → {self.new_value}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    APPLIED = "applied", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class FigureImport(models.Model):
    """A parsed SCB file waiting between preview and confirmation (platform data).

    The parsed rows live here, server-side, so the confirmation applies exactly what was
    previewed and never numbers posted back by the browser. National figures are platform
    reference data: only platform admins stage and confirm imports.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=FigureKind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    source = models.CharField(_("source"), max_length=200, blank=True)
    rows = models.JSONField(_("rows"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    applied_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("figure import (import)")
        verbose_name_plural = _("figure imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"


class FigureCorrection(TenantModel):
    """An association's own figure for one of its members in one fee year (korrigering).

    For instance a population agreed with the member. It replaces the national figure in
    this association's fee schedule for that year and nowhere else; the national figures
    themselves are never changed by an association.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(
        _("fee year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2200)],
        help_text=_("The fee year whose fee uses this figure instead of the national one."),
    )
    population = models.PositiveIntegerField(_("population"))
    tax_capacity = models.DecimalField(
        _("average tax capacity per inhabitant (kr)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty to use the national average tax capacity."),
    )
    reason = models.TextField(
        _("reason"), max_length=2000, help_text=_("e.g. the figure agreed with the member.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("figure correction (korrigering)")
        verbose_name_plural = _("figure corrections")
        ordering = ["-year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "municipality", "year"], name="one_correction_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.population}"


class FeeBasis(models.TextChoices):
    TAX_BASE = "tax_base", _("Per mille of population × average tax capacity")
    PER_INHABITANT = "per_inhabitant", _("Kronor per inhabitant")


class FeeRounding(models.TextChoices):
    ORE = "ore", _("To the öre")
    KRONA = "krona", _("To whole kronor")
    HUNDRED = "hundred", _("To the nearest hundred kronor")
    THOUSAND = "thousand", _("To the nearest thousand kronor")


class FeeRule(TenantModel):
    """How the association computes its members' yearly fees for a period (avgiftsmodell)."""

    name = models.CharField(_("name"), max_length=200)
    first_year = models.PositiveSmallIntegerField(
        _("first fee year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    last_year = models.PositiveSmallIntegerField(
        _("last fee year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2200)],
        help_text=_("Leave empty if the rule applies until further notice."),
    )
    basis = models.CharField(
        _("basis"), max_length=20, choices=FeeBasis.choices, default=FeeBasis.TAX_BASE
    )
    rate = models.DecimalField(
        _("rate"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        help_text=_("Per mille of the tax base, or kronor per inhabitant, depending on the basis."),
    )
    cap_per_mille = models.DecimalField(
        _("cap (per mille of the tax base)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The fee is at most this share of population × average tax capacity."),
    )
    base_year_offset = models.SmallIntegerField(
        _("figures from"),
        default=-1,
        validators=[MinValueValidator(-5), MaxValueValidator(0)],
        help_text=_("0 uses the fee year's own figures, -1 the year before, and so on."),
    )
    rounding = models.CharField(
        _("rounding"), max_length=20, choices=FeeRounding.choices, default=FeeRounding.KRONA
    )
    pro_rata = models.BooleanField(
        _("pro rata by whole months"),
        default=True,
        help_text=_("A member that joins or leaves during the year pays for its whole months."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("fee rule (avgiftsmodell)")
        verbose_name_plural = _("fee rules")
        ordering = ["-first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
                name="fee_rule_years_in_order",
            ),
            models.CheckConstraint(
                condition=Q(base_year_offset__lte=0) & Q(base_year_offset__gte=-5),
                name="fee_rule_base_year_offset_range",
            ),
        ]

    def __str__(self) -> str:
        end = self.last_year or ""
        return f"{self.name} ({self.first_year}–{end})"

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


class AdoptedFeeSchedule(locking.LockedModel, TenantModel):
    """A fee schedule the association adopted for a year (fastställd): frozen.

    The rows, the figures they used and the rule's parameters are copied here, so later
    changes to figures, corrections, memberships or rules do not alter it. It is never
    edited: a new adoption for the same year ``supersedes`` it (with a reason), and this
    row stays as it was, readable. The database refuses UPDATE and DELETE (``locking``).
    """

    lock_field = None
    locked_message = _(
        "An adopted fee schedule cannot be changed; adopt a new one that supersedes it."
    )

    year = models.PositiveSmallIntegerField(
        _("fee year"), validators=[MinValueValidator(1990), MaxValueValidator(2200)]
    )
    decision_reference = models.CharField(
        _("decision"),
        max_length=200,
        help_text=_("e.g. “Förbundsfullmäktige 2025-11-20 § 7”"),
    )
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(
        _("reason for superseding"), max_length=2000, blank=True,
    )  # fmt: skip
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    rule_name = models.CharField(_("fee rule"), max_length=200)
    rule_first_year = models.PositiveSmallIntegerField(_("first fee year"))
    rule_last_year = models.PositiveSmallIntegerField(_("last fee year"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=20, choices=FeeBasis.choices)
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=4)
    cap_per_mille = models.DecimalField(
        _("cap (per mille of the tax base)"), max_digits=10, decimal_places=4, null=True,
        blank=True,
    )  # fmt: skip
    base_year_offset = models.SmallIntegerField(_("figures from"))
    rounding = models.CharField(_("rounding"), max_length=20, choices=FeeRounding.choices)
    pro_rata = models.BooleanField(_("pro rata by whole months"))
    total = models.DecimalField(_("total (kr)"), max_digits=16, decimal_places=2)
    is_demo = models.BooleanField(_("computed from demo data"), default=False)
    adopted_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # A stored row cannot be updated, so the person cannot be set to NULL later.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("adopted fee schedule (fastställd avgiftslista)")
        verbose_name_plural = _("adopted fee schedules")
        ordering = ["-year", "-adopted_at", "-id"]
        constraints = [
            # A year's adoptions form one chain: one first adoption, each later one
            # superseding exactly one earlier (supersedes is one-to-one).
            models.UniqueConstraint(
                fields=["association", "year"],
                condition=Q(supersedes__isnull=True),
                name="one_first_adoption_a_year",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(reason=""),
                name="superseding_adoption_has_reason",
            ),
        ]
        triggers = locking.lock_triggers()

    def __str__(self) -> str:
        return f"{self.year}: {self.decision_reference}"

    def as_rule(self) -> FeeRule:
        """The rule's parameters as they were, as an unsaved FeeRule (for display)."""
        return FeeRule(
            name=self.rule_name, first_year=self.rule_first_year,
            last_year=self.rule_last_year, basis=self.basis,
            rate=self.rate, cap_per_mille=self.cap_per_mille,
            base_year_offset=self.base_year_offset, rounding=self.rounding,
            pro_rata=self.pro_rata,
        )  # fmt: skip


class AdoptedFeeRow(locking.LockedModel, TenantModel):
    """One member's fee in an adopted schedule, with the figures it was computed from."""

    lock_field = None
    locked_message = AdoptedFeeSchedule.locked_message

    schedule = models.ForeignKey(
        AdoptedFeeSchedule, on_delete=models.CASCADE, related_name="rows",
        verbose_name=_("adopted fee schedule"),
    )  # fmt: skip
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("membership")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population year"))
    population_corrected = models.BooleanField(_("population corrected by the association"))
    tax_capacity = models.DecimalField(
        _("average tax capacity per inhabitant (kr)"), max_digits=12, decimal_places=2, null=True
    )
    tax_capacity_corrected = models.BooleanField(_("tax capacity corrected by the association"))
    months = models.PositiveSmallIntegerField(_("months"))
    basic_amount = models.DecimalField(_("basic amount (kr)"), max_digits=18, decimal_places=4)
    cap_amount = models.DecimalField(
        _("cap (kr)"), max_digits=18, decimal_places=4, null=True
    )  # fmt: skip
    capped = models.BooleanField(_("cap applied"))
    fee = models.DecimalField(_("fee (kr)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("adopted fee row")
        verbose_name_plural = _("adopted fee rows")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "municipality"], name="one_adopted_row_per_member"
            ),
        ]
        triggers = locking.lock_triggers()

    def __str__(self) -> str:
        return f"{self.municipality} {self.fee}"
