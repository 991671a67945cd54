"""CSV (Swedish Excel: semicolons, decimal comma, BOM) and XLSX responses for any table.

MINIMAL STAND-IN written by the governance helper with the agreed signature; the shared
version from the exports work replaces this file at merge.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # Spreadsheets run cells starting with these as formulas; a quote keeps them text.
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_response(
    *, filename: str, header: Sequence, rows: Iterable[Sequence], title=None, footer=None
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if title:
        writer.writerow([_text(v) for v in title])
    writer.writerow([_text(v) for v in header])
    for row in rows:
        writer.writerow([_text(v) for v in row])
    if footer:
        writer.writerow([_text(v) for v in footer])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    if value is not None and not isinstance(value, (str, int, float, Decimal, date)):
        return str(value)
    return value


def xlsx_response(
    *, filename: str, header: Sequence, rows: Iterable[Sequence], title=None, footer=None,
    sheet_title: str = "", money_columns: Sequence[int] = (),
) -> HttpResponse:  # fmt: skip
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    if sheet_title:
        sheet.title = str(sheet_title)[:31]
    if title:
        sheet.append([_cell(v) for v in title])
    sheet.append([_cell(str(v)) for v in header])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    first_data_row = sheet.max_row + 1
    for row in rows:
        sheet.append([_cell(v) for v in row])
    if footer:
        sheet.append([_cell(v) for v in footer])
    for index in money_columns:
        for row in sheet.iter_rows(min_row=first_data_row, min_col=index + 1, max_col=index + 1):
            for cell in row:
                cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
