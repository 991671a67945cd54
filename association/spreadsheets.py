"""Spreadsheet exports for every app: CSV for Swedish Excel, and XLSX.

Exported text often comes from people (association, municipality and person names, notes),
and a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=HYPERLINK(...)`` sends the reader's data elsewhere; DDE formulas start programs). Every
string cell, in every column and in the title, header and footer rows, is neutralised:

- a string whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return,
  or whose first character after leading whitespace is one of ``= + - @`` (Excel and
  LibreOffice drop leading spaces when they read a CSV field), is treated as formula-like;
- in CSV it gets a leading apostrophe, the spreadsheet convention for "this is text";
- in XLSX it is written as a text cell with Excel's quote-prefix mark, so its text stays
  exactly as typed, it is never stored as a formula, and it stays text when edited.

Numbers (``int``, ``Decimal``, ``float``) stay numbers; only strings are ever changed.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
NUMBERS = (int, float, Decimal)  # bool is an int: Excel shows TRUE/FALSE


def is_formula_like(value: object) -> bool:
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS[:4])


def neutralise(value):
    """The value with a leading apostrophe if a spreadsheet would run it as a formula;
    anything that is not a string is returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return neutralise(str(value))


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_response(
    *,
    filename: str,
    header: list[str],
    rows: Iterable[Sequence],
    title: Sequence | None = None,
    footer: Sequence | None = None,
) -> HttpResponse:
    """CSV that Swedish Excel opens as it is: semicolons, decimal comma, UTF-8 with a byte
    order mark, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in ([title] if title else []) + [header]:
        writer.writerow([_csv_cell(value) for value in line])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    if footer:
        writer.writerow([_csv_cell(value) for value in footer])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(
    *,
    filename: str,
    header: list[str],
    rows: Iterable[Sequence],
    title: Sequence | None = None,
    footer: Sequence | None = None,
    sheet_title: str = "",
    money_columns: Sequence[int] = (),
) -> HttpResponse:
    """One worksheet: an optional title row, a bold header, the rows and an optional footer
    (its first cell bold). ``money_columns`` are 0-based columns shown with two decimals."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    if sheet_title:
        # Excel forbids some characters in sheet names and allows at most 31.
        sheet.title = "".join(c for c in str(sheet_title) if c not in "[]:*?/\\")[:31] or "1"
    widths: dict[int, int] = {}
    money = set(money_columns)

    def append(
        values: Sequence, *, bold: bool = False, is_data: bool = False, measure: bool = True
    ) -> None:
        cells = []
        for index, value in enumerate(values):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)  # Excel has no time zones
            elif value is not None and not isinstance(value, (*NUMBERS, date, str)):
                value = str(value)  # lazy translations, model instances
            cell = Cell(sheet, value=None)
            if isinstance(value, str):
                # Assign the text directly: openpyxl would store "=..." as a formula. The
                # same checks as its own: no XML-illegal control characters, Excel's length.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]
                cell._value, cell.data_type = value, "s"
                if is_formula_like(value):
                    cell.quotePrefix = True
            else:
                cell.value = value
            if bold and (not is_data or index == 0):
                cell.font = Font(bold=True)
            if index in money and isinstance(value, NUMBERS):
                cell.number_format = MONEY_FORMAT
            if measure and value is not None:
                widths[index] = max(widths.get(index, 0), len(str(value)))
            cells.append(cell)
        sheet.append(cells)

    if title:
        append(title, measure=False)  # a long title may run over the next cells
    append(header, bold=True)
    for row in rows:
        append(row)
    if footer:
        append(footer, bold=True, is_data=True)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 8) + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)
