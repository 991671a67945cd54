"""Every change to memberships, figures and fee rules, and the fee schedule others read."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.models import Association
from association.services import ConcurrentEditError, record_history, update_versioned
from members import queries
from members.fees import FeeInput, FeeResult, compute_fee
from members.models import (
    AdoptedFeeRow,
    AdoptedFeeSchedule,
    FeeRule,
    FigureChange,
    FigureCorrection,
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
    "adopt_fee_schedule",
    "adopted_fee_schedule",
    "adopted_schedule_of",
    "apply_figure_import",
    "create_correction",
    "create_fee_rule",
    "create_membership",
    "delete_correction",
    "discard_figure_import",
    "fee_schedule",
    "fee_schedules",
    "set_figures",
    "stage_figure_import",
    "update_correction",
    "update_fee_rule",
    "update_membership",
]

OVERLAPPING_MEMBERSHIP = _(
    "The municipality is already a member during this period; memberships may not overlap."
)
OVERLAPPING_RULE = _("Another fee rule already covers some of these years.")
IMPORT_GONE = _("This import has already been confirmed or discarded.")
NOT_A_MEMBER = _(
    "%(name)s is not a member of the association in %(year)s; an association can only "
    "correct figures for its own members."
)
DUPLICATE_CORRECTION = _("There is already a correction for this member and year.")

MEMBERSHIP_FIELDS = ("joined_on", "left_on", "chair_name", "chief_executive_name", "notes")
CORRECTION_FIELDS = ("year", "population", "tax_capacity", "reason")
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
    is_demo: bool = False,
) -> dict[str, int]:
    """Write national figures keyed by (code, year); code "00" is the nation.

    Platform data: only platform admins' imports (and the demo seed) call this.

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
                source=source, changed_by=actor,
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
    *, actor, kind: FigureKind | str, file_name: str, source: str, rows: list[dict]
) -> FigureImport:
    """Keep a parsed, valid file server-side until a platform admin confirms it."""
    return FigureImport.objects.create(
        created_by=actor if actor is not None and actor.is_authenticated else None,
        kind=FigureKind(kind), file_name=file_name[:255], source=source[:200], rows=rows,
    )  # fmt: skip


@transaction.atomic
def apply_figure_import(*, figure_import: FigureImport, actor) -> dict[str, int]:
    """Write every staged row or none (one transaction); the history is ``FigureChange``."""
    locked = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if locked.status != ImportStatus.PENDING:
        raise ValidationError(IMPORT_GONE)
    values = {(row["code"], int(row["year"])): Decimal(row["value"]) for row in locked.rows}
    counts = set_figures(
        kind=locked.kind, values=values, source=locked.source or locked.file_name, actor=actor
    )
    locked.status = ImportStatus.APPLIED
    locked.applied_at = timezone.now()
    locked.save(update_fields=["status", "applied_at"])
    return counts


@transaction.atomic
def discard_figure_import(*, figure_import: FigureImport, actor) -> None:
    locked = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if locked.status != ImportStatus.PENDING:
        raise ValidationError(IMPORT_GONE)
    locked.status = ImportStatus.DISCARDED
    locked.save(update_fields=["status"])


@transaction.atomic
def discard_stale_imports(*, older_than: timedelta) -> int:
    """Discard uploads nobody confirmed, and drop their parsed rows (they may be large)."""
    cutoff = timezone.now() - older_than
    return FigureImport.objects.filter(status=ImportStatus.PENDING, created_at__lt=cutoff).update(
        status=ImportStatus.DISCARDED, rows=[]
    )


# --- corrections -------------------------------------------------------------------------


def _check_correction(correction: FigureCorrection) -> None:
    """Only the association's own members in that year, once per member and year."""
    members = Membership.objects.filter(
        association=correction.association, municipality_id=correction.municipality_id
    )
    if not any(membership.is_member_in(correction.year) for membership in members):
        raise ValidationError(
            {"municipality": NOT_A_MEMBER % {"name": correction.municipality.name,
                                             "year": correction.year}}
        )  # fmt: skip
    others = FigureCorrection.objects.select_for_update().filter(
        association=correction.association,
        municipality_id=correction.municipality_id,
        year=correction.year,
    )
    if others.exclude(pk=correction.pk).exists():
        raise ValidationError({"year": DUPLICATE_CORRECTION})


@transaction.atomic
def create_correction(
    *,
    association,
    actor,
    municipality: Municipality,
    year: int,
    population: int,
    reason: str,
    tax_capacity: Decimal | None = None,
) -> FigureCorrection:
    correction = FigureCorrection(
        association=association, municipality=municipality, year=year, population=population,
        tax_capacity=tax_capacity, reason=reason,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )  # fmt: skip
    correction.full_clean(exclude=["association"], validate_constraints=False)
    # Two editors correcting the same member at once: the second waits here, then fails.
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    _check_correction(correction)
    correction.save()
    record_history(
        association=association, actor=actor, action="created", obj=correction,
        changes={"municipality": (None, municipality.code),
                 **{name: (None, getattr(correction, name)) for name in CORRECTION_FIELDS}},
    )  # fmt: skip
    return correction


def update_correction(
    *, correction: FigureCorrection, actor, expected_version: int, data: dict[str, Any]
) -> FigureCorrection:
    return update_versioned(
        obj=correction, actor=actor, expected_version=expected_version,
        data={name: data[name] for name in CORRECTION_FIELDS if name in data},
        check=_check_correction,
    )  # fmt: skip


@transaction.atomic
def delete_correction(*, correction: FigureCorrection, actor) -> None:
    """Remove a correction (the national figure applies again); removing twice is a no-op."""
    correction = FigureCorrection.objects.select_for_update().filter(pk=correction.pk).first()
    if correction is None:
        return
    record_history(
        association=correction.association, actor=actor, action="deleted", obj=correction,
        changes={name: (getattr(correction, name), None) for name in CORRECTION_FIELDS},
    )  # fmt: skip
    correction.delete()


# --- fee schedule ------------------------------------------------------------------------


@dataclass(frozen=True)
class UsedPopulation:
    """The population a fee was computed from: the national figure or the association's
    own correction (``corrected``)."""

    population: int
    year: int
    source: str = ""
    is_demo: bool = False
    corrected: bool = False
    reason: str = ""
    imported_at: datetime | None = None


@dataclass(frozen=True)
class UsedTaxCapacity:
    average_tax_capacity: Decimal
    year: int
    source: str = ""
    is_demo: bool = False
    corrected: bool = False


@dataclass
class FeeRow:
    membership: Membership
    population: UsedPopulation | None
    tax_capacity: UsedTaxCapacity | None
    population_year: int
    result: FeeResult

    @property
    def municipality(self) -> Municipality:
        return self.membership.municipality

    @property
    def fee(self) -> Decimal | None:
        return self.result.fee

    @property
    def is_corrected(self) -> bool:
        return bool(
            (self.population and self.population.corrected)
            or (self.tax_capacity and self.tax_capacity.corrected)
        )


@dataclass
class FeeSchedule:
    """One fee year: a row per member of that year, the total and what is missing.

    With ``adoption`` set, the rows are the adopted (frozen) ones; otherwise they are
    computed now from the current figures, corrections and rule (preliminary).
    """

    year: int
    rule: FeeRule | None
    rows: list[FeeRow] = field(default_factory=list)
    adoption: AdoptedFeeSchedule | None = None

    @property
    def is_adopted(self) -> bool:
        return self.adoption is not None

    @property
    def total(self) -> Decimal:
        if self.adoption is not None:
            return self.adoption.total
        return sum((row.fee for row in self.rows if row.fee is not None), Decimal("0.00"))

    @property
    def incomplete_rows(self) -> list[FeeRow]:
        return [row for row in self.rows if row.fee is None]

    @property
    def is_complete(self) -> bool:
        return self.rule is not None and not self.incomplete_rows

    @property
    def has_corrections(self) -> bool:
        return any(row.is_corrected for row in self.rows)

    @property
    def uses_demo_figures(self) -> bool:
        if self.adoption is not None:
            return self.adoption.is_demo
        return any(
            (row.population and row.population.is_demo)
            or (row.tax_capacity and row.tax_capacity.is_demo)
            for row in self.rows
        )

    @property
    def figure_year(self) -> int:
        return self.year + _offset(self.rule)


def fee_schedule(*, association, year: int, adopted: bool = True) -> FeeSchedule:
    """The member fees of ``year``: rows with Decimal fees (None where figures are missing)
    and ``total``. The adopted schedule when the association has adopted one for the year
    (``is_adopted``), else the preliminary computation; ``adopted=False`` always computes.
    The planning app reads this as the budget's membership income."""
    return fee_schedules(association=association, years=[year], adopted=adopted)[year]


def adopted_fee_schedule(*, association, year: int) -> FeeSchedule | None:
    """The year's adopted (frozen) schedule, or None if the year has not been adopted."""
    schedule = fee_schedule(association=association, year=year)
    return schedule if schedule.is_adopted else None


def fee_schedules(*, association, years: list[int], adopted: bool = True) -> dict[int, FeeSchedule]:
    """Several years at once in a fixed number of queries, whatever the number of members."""
    years = sorted(set(years))
    if not years:
        return {}
    schedules: dict[int, FeeSchedule] = {}
    if adopted:
        for year, adoption in queries.current_adoptions(association, years).items():
            schedules[year] = _adopted_schedule(adoption)
    live_years = [year for year in years if year not in schedules]
    if live_years:
        schedules.update(_computed_schedules(association, live_years))
    return schedules


def adopted_schedule_of(adoption: AdoptedFeeSchedule) -> FeeSchedule:
    """Any adoption (also a superseded one) as a FeeSchedule; rows prefetched by queries."""
    return _adopted_schedule(adoption)


def _adopted_schedule(adoption: AdoptedFeeSchedule) -> FeeSchedule:
    schedule = FeeSchedule(year=adoption.year, rule=adoption.as_rule(), adoption=adoption)
    for row in adoption.rows.all():
        tax_capacity = None
        if row.tax_capacity is not None:
            tax_capacity = UsedTaxCapacity(
                average_tax_capacity=row.tax_capacity, year=row.population_year,
                corrected=row.tax_capacity_corrected, is_demo=adoption.is_demo,
            )  # fmt: skip
        schedule.rows.append(
            FeeRow(
                membership=row.membership,
                population=UsedPopulation(
                    population=row.population, year=row.population_year,
                    corrected=row.population_corrected, is_demo=adoption.is_demo,
                    source=str(ADOPTED_SOURCE),
                ),
                tax_capacity=tax_capacity,
                population_year=row.population_year,
                result=FeeResult(
                    fee=row.fee, months=row.months, basic_amount=row.basic_amount,
                    cap_amount=row.cap_amount, capped=row.capped,
                ),
            )
        )  # fmt: skip
    return schedule


def _computed_schedules(association, years: list[int]) -> dict[int, FeeSchedule]:
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
    corrections = queries.corrections_by_member(association, years)
    schedules = {}
    for year in years:
        rule = rule_of_year[year]
        schedule = FeeSchedule(year=year, rule=rule)
        schedules[year] = schedule
        for membership in members:
            if not membership.is_member_in(year):
                continue
            figure_year = year + _offset(rule)
            population = _used_population(
                populations.get((membership.municipality_id, figure_year)),
                corrections.get((membership.municipality_id, year)),
                figure_year,
            )
            tax_capacity = _used_tax_capacity(
                nationals.get(figure_year),
                corrections.get((membership.municipality_id, year)),
                figure_year,
            )
            if rule is None:
                result = FeeResult(fee=None, months=0, missing=[str(NO_RULE % {"year": year})])
            else:
                result = compute_fee(
                    rule,
                    FeeInput(
                        year=year, joined_on=membership.joined_on, left_on=membership.left_on,
                        population=population.population if population else None,
                        population_year=figure_year,
                        tax_capacity=tax_capacity.average_tax_capacity if tax_capacity else None,
                        tax_capacity_year=figure_year,
                    ),
                )  # fmt: skip
            schedule.rows.append(
                FeeRow(
                    membership=membership, population=population, tax_capacity=tax_capacity,
                    population_year=figure_year, result=result,
                )
            )  # fmt: skip
    return schedules


def _used_population(
    figure: PopulationFigure | None, correction: FigureCorrection | None, year: int
) -> UsedPopulation | None:
    if correction is not None:
        return UsedPopulation(
            population=correction.population, year=year, source=str(CORRECTION_SOURCE),
            corrected=True, reason=correction.reason, imported_at=correction.changed_at,
        )  # fmt: skip
    if figure is None:
        return None
    return UsedPopulation(
        population=figure.population, year=figure.year, source=figure.source,
        is_demo=figure.is_demo, imported_at=figure.imported_at,
    )  # fmt: skip


def _used_tax_capacity(
    figure: NationalFigure | None, correction: FigureCorrection | None, year: int
) -> UsedTaxCapacity | None:
    if correction is not None and correction.tax_capacity is not None:
        return UsedTaxCapacity(
            average_tax_capacity=correction.tax_capacity, year=year,
            source=str(CORRECTION_SOURCE), corrected=True,
        )  # fmt: skip
    if figure is None:
        return None
    return UsedTaxCapacity(
        average_tax_capacity=figure.average_tax_capacity, year=figure.year,
        source=figure.source, is_demo=figure.is_demo,
    )  # fmt: skip


NO_RULE = _("No fee rule covers %(year)s")
CORRECTION_SOURCE = _("The association's correction")
ADOPTED_SOURCE = _("Adopted fee schedule")
# Without a rule the pages still show the latest full year's population: 31 December last year.
DEFAULT_BASE_YEAR_OFFSET = -1


def _offset(rule: FeeRule | None) -> int:
    return rule.base_year_offset if rule is not None else DEFAULT_BASE_YEAR_OFFSET


# --- adoption ----------------------------------------------------------------------------

FOUR_PLACES = Decimal("0.0001")


@transaction.atomic
def adopt_fee_schedule(
    *,
    association,
    actor,
    year: int,
    decision_reference: str,
    decided_on: date,
    reason: str = "",
    expected_current: int | None = None,
) -> AdoptedFeeSchedule:
    """Freeze the year's computed fee schedule as adopted (e.g. by the assembly).

    If the year already has an adopted schedule, the new one supersedes it and needs a
    reason; the old one is left exactly as it was. ``expected_current`` is the adoption the
    person saw (None: none), so two administrators cannot supersede without knowing it.
    """
    # One adoption at a time per association: the second waits, then sees the first.
    Association.objects.select_for_update().filter(pk=association.pk).first()
    current = queries.current_adoption(association, year)
    if (current.pk if current else None) != expected_current:
        raise ValidationError(ADOPTION_CHANGED)
    reason = reason.strip()
    if current is not None and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    schedule = fee_schedule(association=association, year=year, adopted=False)
    if schedule.rule is None:
        raise ValidationError(NO_RULE % {"year": year})
    if not schedule.rows:
        raise ValidationError(NOTHING_TO_ADOPT)
    if schedule.incomplete_rows:
        raise ValidationError(INCOMPLETE_SCHEDULE)
    rule = schedule.rule
    adoption = AdoptedFeeSchedule(
        association=association, year=year, decision_reference=decision_reference.strip(),
        decided_on=decided_on, reason=reason, supersedes=current, rule_name=rule.name,
        rule_first_year=rule.first_year, rule_last_year=rule.last_year,
        basis=rule.basis, rate=rule.rate, cap_per_mille=rule.cap_per_mille,
        base_year_offset=rule.base_year_offset, rounding=rule.rounding, pro_rata=rule.pro_rata,
        total=schedule.total, is_demo=schedule.uses_demo_figures,
        adopted_by=actor if actor is not None and actor.is_authenticated else None,
    )  # fmt: skip
    adoption.full_clean(exclude=["association", "supersedes"], validate_constraints=False)
    adoption.save()
    AdoptedFeeRow.objects.bulk_create(
        AdoptedFeeRow(
            association=association, schedule=adoption, membership=row.membership,
            municipality=row.municipality, population=row.population.population,
            population_year=row.population_year, population_corrected=row.population.corrected,
            tax_capacity=row.tax_capacity.average_tax_capacity if row.tax_capacity else None,
            tax_capacity_corrected=bool(row.tax_capacity and row.tax_capacity.corrected),
            months=row.result.months, basic_amount=row.result.basic_amount.quantize(FOUR_PLACES),
            cap_amount=(row.result.cap_amount.quantize(FOUR_PLACES)
                        if row.result.cap_amount is not None else None),
            capped=row.result.capped, fee=row.fee,
        )
        for row in schedule.rows
    )  # fmt: skip
    record_history(
        association=association, actor=actor,
        action="superseded" if current is not None else "adopted", obj=adoption,
        changes={"decision_reference": (None, adoption.decision_reference),
                 "decided_on": (None, decided_on), "total": (None, adoption.total),
                 **({"supersedes": (None, str(current)), "reason": (None, reason)}
                    if current is not None else {})},
    )  # fmt: skip
    return adoption


ADOPTION_CHANGED = _(
    "Someone else adopted a fee schedule for this year while you were looking; "
    "nothing was saved. Check the current one and try again."
)
REASON_REQUIRED = _("Give the reason why the adopted fee schedule is superseded.")
NOTHING_TO_ADOPT = _("No member pays a fee this year, so there is nothing to adopt.")
INCOMPLETE_SCHEDULE = _(
    "Some fees cannot be computed because figures are missing; a fee schedule can only be "
    "adopted when every fee is computed."
)
