"""Querysets for the members pages, with the joins they need (a fixed number of queries)."""

from collections.abc import Iterable

from django.db.models import QuerySet

from members.models import (
    County,
    FeeRule,
    FigureChange,
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


def figure_import(association, pk: int) -> QuerySet[FigureImport]:
    return FigureImport.objects.filter(
        association=association, pk=pk, status=ImportStatus.PENDING
    ).select_related("created_by")


def recent_imports(association) -> QuerySet[FigureImport]:
    return FigureImport.objects.filter(association=association).select_related("created_by")[:20]


def figure_history(municipality_id: int | None = None) -> QuerySet[FigureChange]:
    changes = FigureChange.objects.select_related("changed_by", "municipality")
    if municipality_id is not None:
        changes = changes.filter(municipality_id=municipality_id)
    return changes


def national_figures_all() -> QuerySet[NationalFigure]:
    # Without the importer: national figures are shared, and the person who imported them may
    # be staff of another association (the figure history names them only to their own).
    return NationalFigure.objects.order_by("-year")


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
