"""Querysets for the members pages, with the joins they need (a fixed number of queries)."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from members.models import (
    AdoptedFeeRow,
    AdoptedFeeSchedule,
    County,
    FeeRule,
    FigureChange,
    FigureCorrection,
    FigureImport,
    ImportStatus,
    Membership,
    Municipality,
    NationalFigure,
    PopulationFigure,
)


def counties() -> QuerySet[County]:
    return County.objects.order_by("code")


def municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.select_related("county").order_by("code")


def municipality_codes() -> set[str]:
    return set(Municipality.objects.values_list("code", flat=True))


def member_municipalities(association) -> QuerySet[Municipality]:
    """Municipalities that are or were members of the association."""
    member_ids = Membership.objects.filter(association=association).values("municipality_id")
    return Municipality.objects.filter(pk__in=member_ids).order_by("name")


def memberships(association) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(association=association)
        .select_related("municipality__county")
        .order_by("municipality__name", "joined_on")
    )


def membership(association, pk: int) -> QuerySet[Membership]:
    return memberships(association).filter(pk=pk)


def population_figures(
    municipality_ids: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int], PopulationFigure]:
    """(municipality id, year) -> figure, in one query."""
    return {
        (figure.municipality_id, figure.year): figure
        for figure in PopulationFigure.objects.filter(
            municipality_id__in=list(municipality_ids), year__in=list(years)
        )
    }


def national_figures(years: Iterable[int]) -> dict[int, NationalFigure]:
    return {figure.year: figure for figure in NationalFigure.objects.filter(year__in=list(years))}


def fee_rules(association) -> QuerySet[FeeRule]:
    return FeeRule.objects.filter(association=association).order_by("-first_year")


def fee_rule(association, pk: int) -> QuerySet[FeeRule]:
    return fee_rules(association).filter(pk=pk)


def figure_import(pk: int) -> QuerySet[FigureImport]:
    """A pending national import (platform data)."""
    return FigureImport.objects.filter(pk=pk, status=ImportStatus.PENDING).select_related(
        "created_by"
    )


def recent_imports() -> QuerySet[FigureImport]:
    return FigureImport.objects.select_related("created_by")[:20]


def figure_history(municipality_id: int | None = None) -> QuerySet[FigureChange]:
    changes = FigureChange.objects.select_related("changed_by", "municipality")
    if municipality_id is not None:
        changes = changes.filter(municipality_id=municipality_id)
    return changes


def national_figures_all() -> QuerySet[NationalFigure]:
    return NationalFigure.objects.order_by("-year")


def member_population_figures(association, years: Iterable[int]) -> QuerySet[PopulationFigure]:
    """National population figures of the municipalities that are or were members."""
    member_ids = Membership.objects.filter(association=association).values("municipality_id")
    return (
        PopulationFigure.objects.filter(municipality_id__in=member_ids, year__in=list(years))
        .select_related("municipality")
        .order_by("municipality__name", "-year")
    )


def corrections(association) -> QuerySet[FigureCorrection]:
    return (
        FigureCorrection.objects.filter(association=association)
        .select_related("municipality", "created_by")
        .order_by("-year", "municipality__name")
    )


def correction(association, pk: int) -> QuerySet[FigureCorrection]:
    return corrections(association).filter(pk=pk)


def corrections_by_member(
    association, years: Iterable[int]
) -> dict[tuple[int, int], FigureCorrection]:
    """(municipality id, fee year) -> the association's correction, in one query."""
    return {
        (c.municipality_id, c.year): c
        for c in FigureCorrection.objects.filter(association=association, year__in=list(years))
    }


def adoptions(association) -> QuerySet[AdoptedFeeSchedule]:
    return (
        AdoptedFeeSchedule.objects.filter(association=association)
        .select_related("adopted_by", "supersedes", "superseded_by")
        .order_by("-year", "-adopted_at", "-id")
    )


def adoption(association, pk: int) -> QuerySet[AdoptedFeeSchedule]:
    return adoptions(association).filter(pk=pk).prefetch_related(_adopted_rows())


def _adopted_rows() -> Prefetch:
    return Prefetch(
        "rows",
        queryset=AdoptedFeeRow.objects.select_related("membership__municipality__county"),
    )


def current_adoptions(association, years: Iterable[int]) -> dict[int, AdoptedFeeSchedule]:
    """year -> the adopted schedule in force (the one nothing supersedes), with its rows."""
    current = (
        adoptions(association)
        .filter(year__in=list(years), superseded_by__isnull=True)
        .prefetch_related(_adopted_rows())
    )
    return {adopted.year: adopted for adopted in current}


def current_adoption(association, year: int) -> AdoptedFeeSchedule | None:
    return (
        AdoptedFeeSchedule.objects.filter(
            association=association, year=year, superseded_by__isnull=True
        )
        .order_by("-id")
        .first()
    )


def import_preview(figure_import: FigureImport) -> list[dict]:
    """The staged rows beside the values they would replace: new, changed or unchanged."""
    from decimal import Decimal

    from members.models import FigureKind

    rows = figure_import.rows
    years = {int(row["year"]) for row in rows}
    if figure_import.kind == FigureKind.POPULATION:
        names = dict(
            Municipality.objects.filter(code__in={r["code"] for r in rows}).values_list(
                "code", "name"
            )
        )
        current = {
            (code, year): Decimal(value)
            for code, year, value in PopulationFigure.objects.filter(
                municipality__code__in=names, year__in=years
            ).values_list("municipality__code", "year", "population")
        }
    else:
        names = {}
        current = {
            ("00", year): value
            for year, value in NationalFigure.objects.filter(year__in=years).values_list(
                "year", "average_tax_capacity"
            )
        }
    preview = []
    for row in rows:
        new = Decimal(row["value"])
        old = current.get((row["code"], int(row["year"])))
        status = "new" if old is None else ("unchanged" if old == new else "changed")
        preview.append(
            {**row, "name": names.get(row["code"], ""), "old": old, "new": new, "status": status}
        )
    return preview


def fee_rule_periods(association) -> list[tuple[int, int | None]]:
    """(first_year, last_year) of each fee rule: which years a fee chart spans."""
    return list(fee_rules(association).values_list("first_year", "last_year"))
