"""The fee schedule as CSV (Swedish Excel: semicolons, decimal comma, BOM) and XLSX."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from members.services import FeeSchedule


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


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    text = str(value)
    # Spreadsheets run cells starting with these as formulas; a quote keeps them text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_response(schedule: FeeSchedule, association, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(v) for v in _title(schedule, association)])
    writer.writerow([_cell(v) for v in _headers()])
    for values in rows(schedule):
        writer.writerow([_cell(v) for v in values])
    writer.writerow(
        [_cell(v) for v in [_("Total"), "", "", "", "", "", "", "", "", schedule.total, ""]]
    )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _title(schedule: FeeSchedule, association) -> list[str]:
    rule = str(schedule.rule) if schedule.rule else _("No fee rule")
    return [association.name, _("Member fees %(year)s") % {"year": schedule.year}, rule]


def xlsx_response(schedule: FeeSchedule, association, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(schedule.year)
    sheet.append(_title(schedule, association))
    sheet.append(_headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for values in rows(schedule):
        sheet.append([_xlsx_value(v) for v in values])
    sheet.append([_("Total"), None, None, None, None, None, None, None, None, schedule.total])
    sheet[sheet.max_row][0].font = Font(bold=True)
    for column in ("E", "H", "I", "J"):
        for cell in sheet[column][2:]:
            cell.number_format = "#,##0.00"
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["K"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_value(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
