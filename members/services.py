"""Every change to memberships, figures and fee rules, and the fee schedule others read."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.services import ConcurrentEditError, record_history, update_versioned
from members import queries
from members.fees import FeeInput, FeeResult, compute_fee
from members.models import (
    FeeRule,
    FigureChange,
    FigureImport,
    FigureKind,
    ImportStatus,
    Membership,
    Municipality,
    NationalFigure,
    PopulationFigure,
)

__all__ = [
    "ConcurrentEditError",
    "FeeRow",
    "FeeSchedule",
    "apply_figure_import",
    "create_fee_rule",
    "create_membership",
    "discard_figure_import",
    "fee_schedule",
    "fee_schedules",
    "set_figures",
    "stage_figure_import",
    "update_fee_rule",
    "update_membership",
]

OVERLAPPING_MEMBERSHIP = _(
    "The municipality is already a member during this period; memberships may not overlap."
)
OVERLAPPING_RULE = _("Another fee rule already covers some of these years.")
IMPORT_GONE = _("This import has already been confirmed or discarded.")

MEMBERSHIP_FIELDS = ("joined_on", "left_on", "chair_name", "chief_executive_name", "notes")
FEE_RULE_FIELDS = (
    "name", "first_year", "last_year", "basis", "rate", "cap_per_mille",
    "base_year_offset", "rounding", "pro_rata", "notes",
)  # fmt: skip


# --- memberships -------------------------------------------------------------------------


def _check_membership_overlap(membership: Membership) -> None:
    # Lock the municipality row so two editors cannot both pass this check at once.
    Municipality.objects.select_for_update().filter(pk=membership.municipality_id).first()
    others = Membership.objects.filter(
        association=membership.association, municipality_id=membership.municipality_id
    ).exclude(pk=membership.pk)
    if membership.left_on is not None:
        others = others.filter(joined_on__lte=membership.left_on)
    others = others.filter(Q(left_on__isnull=True) | Q(left_on__gte=membership.joined_on))
    if others.exists():
        raise ValidationError({"joined_on": OVERLAPPING_MEMBERSHIP})


@transaction.atomic
def create_membership(
    *,
    association,
    actor,
    municipality: Municipality,
    joined_on: date,
    left_on: date | None = None,
    chair_name: str = "",
    chief_executive_name: str = "",
    notes: str = "",
) -> Membership:
    membership = Membership(
        association=association, municipality=municipality, joined_on=joined_on,
        left_on=left_on, chair_name=chair_name, chief_executive_name=chief_executive_name,
        notes=notes,
    )  # fmt: skip
    membership.full_clean(exclude=["association"])
    _check_membership_overlap(membership)
    membership.save()
    record_history(
        association=association, actor=actor, action="created", obj=membership,
        changes={"municipality": (None, municipality.code), "joined_on": (None, joined_on),
                 "left_on": (None, left_on)},
    )  # fmt: skip
    return membership


def update_membership(
    *, membership: Membership, actor, expected_version: int, data: dict[str, Any]
) -> Membership:
    """Save an edited membership, refusing if someone saved it since the editor loaded it."""
    return update_versioned(
        obj=membership, actor=actor, expected_version=expected_version,
        data={name: data[name] for name in MEMBERSHIP_FIELDS if name in data},
        check=_check_membership_overlap,
    )  # fmt: skip


# --- fee rules ---------------------------------------------------------------------------


def _check_rule_overlap(rule: FeeRule) -> None:
    others = FeeRule.objects.select_for_update().filter(association=rule.association)
    others = others.exclude(pk=rule.pk).filter(
        Q(last_year__isnull=True) | Q(last_year__gte=rule.first_year)
    )
    if rule.last_year is not None:
        others = others.filter(first_year__lte=rule.last_year)
    if others.exists():
        raise ValidationError({"first_year": OVERLAPPING_RULE})


@transaction.atomic
def create_fee_rule(*, association, actor, **fields: Any) -> FeeRule:
    rule = FeeRule(
        association=association, **{k: fields[k] for k in FEE_RULE_FIELDS if k in fields}
    )
    rule.full_clean(exclude=["association"])
    _check_rule_overlap(rule)
    rule.save()
    record_history(
        association=association, actor=actor, action="created", obj=rule,
        changes={name: (None, getattr(rule, name)) for name in FEE_RULE_FIELDS},
    )  # fmt: skip
    return rule


def update_fee_rule(
    *, rule: FeeRule, actor, expected_version: int, data: dict[str, Any]
) -> FeeRule:
    return update_versioned(
        obj=rule, actor=actor, expected_version=expected_version,
        data={name: data[name] for name in FEE_RULE_FIELDS if name in data},
        check=_check_rule_overlap,
    )  # fmt: skip


# --- figures -----------------------------------------------------------------------------


@transaction.atomic
def set_figures(
    *,
    kind: FigureKind | str,
    values: dict[tuple[str, int], Decimal],
    source: str,
    actor=None,
    via_association=None,
    is_demo: bool = False,
) -> dict[str, int]:
    """Write shared figures keyed by (code, year); code "00" is the nation.

    Every new or changed value gets a FigureChange row with the value it replaced, so a
    re-import never loses what was there before. Returns counts of created/changed/unchanged.
    """
    kind = FigureKind(kind)
    years = {year for _code, year in values}
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    history: list[FigureChange] = []
    actor = actor if actor is not None and actor.is_authenticated else None

    def remember(municipality, year, old, new):
        history.append(
            FigureChange(
                kind=kind, municipality=municipality, year=year, old_value=old, new_value=new,
                source=source, changed_by=actor, via_association=via_association,
            )
        )  # fmt: skip

    if kind == FigureKind.POPULATION:
        municipalities = {
            m.code: m for m in Municipality.objects.filter(code__in={c for c, _y in values})
        }
        existing = {
            (f.municipality.code, f.year): f
            for f in PopulationFigure.objects.select_for_update()
            .select_related("municipality")
            .filter(municipality__code__in=municipalities, year__in=years)
        }
        new, changed = [], []
        for (code, year), value in values.items():
            population = int(value)
            figure = existing.get((code, year))
            if figure is None:
                new.append(
                    PopulationFigure(
                        municipality=municipalities[code], year=year, population=population,
                        source=source, is_demo=is_demo, imported_by=actor,
                    )
                )  # fmt: skip
                remember(municipalities[code], year, None, population)
            elif figure.population != population or figure.is_demo != is_demo:
                if figure.population != population:
                    remember(figure.municipality, year, figure.population, population)
                figure.population, figure.source = population, source
                figure.is_demo, figure.imported_by = is_demo, actor
                figure.imported_at = timezone.now()
                changed.append(figure)
            else:
                counts["unchanged"] += 1
        PopulationFigure.objects.bulk_create(new)
        PopulationFigure.objects.bulk_update(
            changed, ["population", "source", "is_demo", "imported_by", "imported_at"]
        )
    else:
        existing = {
            f.year: f for f in NationalFigure.objects.select_for_update().filter(year__in=years)
        }
        new, changed = [], []
        for (_code, year), value in values.items():
            figure = existing.get(year)
            if figure is None:
                new.append(
                    NationalFigure(
                        year=year, average_tax_capacity=value, source=source, is_demo=is_demo,
                        imported_by=actor,
                    )
                )  # fmt: skip
                remember(None, year, None, value)
            elif figure.average_tax_capacity != value or figure.is_demo != is_demo:
                if figure.average_tax_capacity != value:
                    remember(None, year, figure.average_tax_capacity, value)
                figure.average_tax_capacity, figure.source = value, source
                figure.is_demo, figure.imported_by = is_demo, actor
                figure.imported_at = timezone.now()
                changed.append(figure)
            else:
                counts["unchanged"] += 1
        NationalFigure.objects.bulk_create(new)
        NationalFigure.objects.bulk_update(
            changed, ["average_tax_capacity", "source", "is_demo", "imported_by", "imported_at"]
        )
    counts["created"], counts["changed"] = len(new), len(changed)
    FigureChange.objects.bulk_create(history)
    return counts


@transaction.atomic
def stage_figure_import(
    *, association, actor, kind: FigureKind | str, file_name: str, source: str, rows: list[dict]
) -> FigureImport:
    """Keep a parsed, valid file server-side until someone confirms it."""
    return FigureImport.objects.create(
        association=association, created_by=actor, kind=FigureKind(kind),
        file_name=file_name[:255], source=source[:200], rows=rows,
    )  # fmt: skip


@transaction.atomic
def apply_figure_import(*, figure_import: FigureImport, actor) -> dict[str, int]:
    locked = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if locked.status != ImportStatus.PENDING:
        raise ValidationError(IMPORT_GONE)
    values = {(row["code"], int(row["year"])): Decimal(row["value"]) for row in locked.rows}
    counts = set_figures(
        kind=locked.kind, values=values, source=locked.source or locked.file_name, actor=actor,
        via_association=locked.association,
    )  # fmt: skip
    locked.status = ImportStatus.APPLIED
    locked.applied_at = timezone.now()
    locked.save(update_fields=["status", "applied_at"])
    record_history(
        association=locked.association, actor=actor, action="figures_imported", obj=locked,
        changes={name: (None, count) for name, count in counts.items()},
    )  # fmt: skip
    return counts


@transaction.atomic
def discard_figure_import(*, figure_import: FigureImport, actor) -> None:
    locked = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if locked.status != ImportStatus.PENDING:
        raise ValidationError(IMPORT_GONE)
    locked.status = ImportStatus.DISCARDED
    locked.save(update_fields=["status"])


@transaction.atomic
def discard_stale_imports(*, association, older_than: timedelta) -> int:
    """Discard uploads nobody confirmed, and drop their parsed rows (they may be large)."""
    cutoff = timezone.now() - older_than
    return FigureImport.objects.filter(
        association=association, status=ImportStatus.PENDING, created_at__lt=cutoff
    ).update(status=ImportStatus.DISCARDED, rows=[])


# --- fee schedule ------------------------------------------------------------------------


@dataclass
class FeeRow:
    membership: Membership
    population: PopulationFigure | None
    tax_capacity: NationalFigure | None
    population_year: int
    result: FeeResult

    @property
    def municipality(self) -> Municipality:
        return self.membership.municipality

    @property
    def fee(self) -> Decimal | None:
        return self.result.fee


@dataclass
class FeeSchedule:
    """One fee year: a row per member of that year, the total and what is missing."""

    year: int
    rule: FeeRule | None
    rows: list[FeeRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.fee for row in self.rows if row.fee is not None), Decimal("0.00"))

    @property
    def incomplete_rows(self) -> list[FeeRow]:
        return [row for row in self.rows if row.fee is None]

    @property
    def is_complete(self) -> bool:
        return self.rule is not None and not self.incomplete_rows

    @property
    def uses_demo_figures(self) -> bool:
        return any(
            (row.population and row.population.is_demo)
            or (row.tax_capacity and row.tax_capacity.is_demo)
            for row in self.rows
        )

    @property
    def figure_year(self) -> int:
        return self.year + _offset(self.rule)


def fee_schedule(*, association, year: int) -> FeeSchedule:
    """The member fees of ``year``: rows with Decimal fees (None where figures are missing)
    and ``total``. The planning app reads this as the budget's membership income."""
    return fee_schedules(association=association, years=[year])[year]


def fee_schedules(*, association, years: list[int]) -> dict[int, FeeSchedule]:
    """Several years at once in a fixed number of queries, whatever the number of members."""
    years = sorted(set(years))
    if not years:
        return {}
    rules = list(queries.fee_rules(association))
    members = list(
        queries.memberships(association).filter(
            Q(joined_on__year__lte=years[-1]),
            Q(left_on__isnull=True) | Q(left_on__year__gte=years[0]),
        )
    )
    rule_of_year = {
        year: next((rule for rule in rules if rule.applies_to(year)), None) for year in years
    }
    figure_years = {year + _offset(rule) for year, rule in rule_of_year.items()}
    populations = queries.population_figures({m.municipality_id for m in members}, figure_years)
    nationals = queries.national_figures(figure_years)
    schedules = {}
    for year in years:
        rule = rule_of_year[year]
        schedule = FeeSchedule(year=year, rule=rule)
        schedules[year] = schedule
        for membership in members:
            if not membership.is_member_in(year):
                continue
            figure_year = year + _offset(rule)
            population = populations.get((membership.municipality_id, figure_year))
            national = nationals.get(figure_year)
            if rule is None:
                result = FeeResult(fee=None, months=0, missing=[str(NO_RULE % {"year": year})])
            else:
                result = compute_fee(
                    rule,
                    FeeInput(
                        year=year, joined_on=membership.joined_on, left_on=membership.left_on,
                        population=population.population if population else None,
                        population_year=figure_year,
                        tax_capacity=national.average_tax_capacity if national else None,
                        tax_capacity_year=figure_year,
                    ),
                )  # fmt: skip
            schedule.rows.append(
                FeeRow(
                    membership=membership, population=population, tax_capacity=national,
                    population_year=figure_year, result=result,
                )
            )  # fmt: skip
    return schedules


NO_RULE = _("No fee rule covers %(year)s")
# Without a rule the pages still show the latest full year's population: 31 December last year.
DEFAULT_BASE_YEAR_OFFSET = -1


def _offset(rule: FeeRule | None) -> int:
    return rule.base_year_offset if rule is not None else DEFAULT_BASE_YEAR_OFFSET
