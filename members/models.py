"""Member municipalities, the national register they come from, SCB's yearly figures and the
association's fee rules.

The register (counties, municipalities) and the yearly figures are national facts shared by
every association, so they are not tenant-owned; memberships, fee rules and pending imports
belong to one association.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

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
    """History of the shared figures: every value an import set, with the one it replaced."""

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
    # Which association's staff made the change; the figures themselves stay shared.
    via_association = models.ForeignKey(
        "association.Association",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported through"),
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


class FigureImport(TenantModel):
    """A parsed SCB file waiting between preview and confirmation.

    The parsed rows live here, server-side, so the confirmation applies exactly what was
    previewed and never numbers posted back by the browser.
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
