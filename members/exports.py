"""The fee schedule as CSV and XLSX, through the shared spreadsheet module."""

from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from association import spreadsheets
from members.services import FeeSchedule

MONEY_COLUMNS = (4, 7, 8, 9)


def _headers() -> list[str]:
    return [
        _("Municipality code"), _("Municipality"), _("Population"), _("Population year"),
        _("Average tax capacity (kr)"), _("Tax capacity year"), _("Months"),
        _("Basic amount (kr)"), _("Cap (kr)"), _("Fee (kr)"), _("Note"),
    ]  # fmt: skip


def rows(schedule: FeeSchedule) -> list[list]:
    """Plain values per member, shared by both formats; money stays Decimal."""
    result = []
    for row in schedule.rows:
        outcome = row.result
        result.append([
            row.municipality.code,
            row.municipality.name,
            row.population.population if row.population else None,
            row.population_year,
            row.tax_capacity.average_tax_capacity if row.tax_capacity else None,
            row.population_year,  # a rule takes both figures from the same base year
            outcome.months,
            _money(outcome.basic_amount),
            _money(outcome.cap_amount),
            outcome.fee,
            "; ".join(outcome.missing) or (_("capped") if outcome.capped else ""),
        ])  # fmt: skip
    return result


def _money(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.01")) if value is not None else None


def _title(schedule: FeeSchedule, association) -> list[str]:
    rule = str(schedule.rule) if schedule.rule else _("No fee rule")
    return [association.name, _("Member fees %(year)s") % {"year": schedule.year}, rule]


def _footer(schedule: FeeSchedule) -> list:
    return [_("Total"), None, None, None, None, None, None, None, None, schedule.total, None]


def csv_response(schedule: FeeSchedule, association, filename: str) -> HttpResponse:
    return spreadsheets.csv_response(
        filename=filename, header=_headers(), rows=rows(schedule),
        title=_title(schedule, association), footer=_footer(schedule),
    )  # fmt: skip


def xlsx_response(schedule: FeeSchedule, association, filename: str) -> HttpResponse:
    return spreadsheets.xlsx_response(
        filename=filename, header=_headers(), rows=rows(schedule),
        title=_title(schedule, association), footer=_footer(schedule),
        sheet_title=str(schedule.year), money_columns=MONEY_COLUMNS,
    )  # fmt: skip
