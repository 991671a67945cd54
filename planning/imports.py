"""Reading outcome figures for a follow-up report from CSV or XLSX, as the SCB import
(members/imports.py) reads its files: every bad row is listed with its line number and
reason, and a file with any bad row imports nothing.

Two columns: what the figure is for, and the figure. The first names a budget line (its
key, ``staff``, or its name in Swedish or English, "Personal") or one of the plan's
indicators (its name). A header row (a second cell that is not a number, on line 1) is
skipped. CSV may use ``;`` or ``,`` between columns and decimal commas.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from members.imports import decode, parse_number
from planning.models import LineCategory

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000


@dataclass
class ParsedOutcomes:
    lines: dict[str, int] = field(default_factory=dict)  # category -> kronor
    indicators: dict[int, Decimal] = field(default_factory=dict)  # indicator id -> value
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count and bool(self.lines or self.indicators)

    def add_error(self, line: int, message: str) -> None:
        # Every bad row is listed (a file has at most MAX_ROWS rows), so staff correct the
        # file in one go.
        self.error_count += 1
        self.errors.append((line, message))


def _line_names() -> dict[str, str]:
    names = {}
    for category in LineCategory:
        names[category.value.lower()] = category.value
        for language in ("sv", "en"):
            with translation.override(language):
                names[str(category.label).lower()] = category.value
    return names


def _rows(content: bytes, file_name: str) -> list[list[str]]:
    if file_name.lower().endswith(".xlsx") or content[:2] == b"PK":
        return _xlsx_rows(content)
    text = decode(content)
    sample = text[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ValueError(_("The file cannot be read as CSV.")) from error


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1):
            rows.append(["" if cell is None else str(cell) for cell in row[:2]])
        return rows
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValueError(_("The file cannot be read as an XLSX workbook.")) from error


def parse_outcomes(content: bytes, *, file_name: str, indicators: dict[str, int]) -> ParsedOutcomes:
    """``indicators``: the plan's indicators by lower-case name -> id."""
    parsed = ParsedOutcomes()
    if len(content) > MAX_BYTES:
        parsed.add_error(0, _("The file is larger than 2 MB."))
        return parsed
    try:
        rows = _rows(content, file_name)
    except ValueError as error:
        parsed.add_error(0, str(error))
        return parsed
    if len(rows) > MAX_ROWS:
        parsed.add_error(0, _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        return parsed
    names = _line_names()
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0]:
            parsed.add_error(number, _("The row needs two columns: what and the figure."))
            continue
        key, raw = cells[0], cells[1]
        value = parse_number(raw)
        if value is None:
            if number == 1:
                continue  # a header
            parsed.add_error(number, _("“%(value)s” is not a number.") % {"value": raw[:40]})
            continue
        lowered = key.lower()
        if lowered in seen:
            parsed.add_error(number, _("“%(name)s” comes twice.") % {"name": key[:60]})
            continue
        seen.add(lowered)
        if lowered in names:
            if value != value.to_integral_value() or value.copy_abs() > 10**12:
                parsed.add_error(number, _("A budget outcome is whole kronor."))
                continue
            parsed.lines[names[lowered]] = int(value)
        elif lowered in indicators:
            if value.copy_abs() >= 10**12:
                parsed.add_error(number, _("The value is too large."))
                continue
            parsed.indicators[indicators[lowered]] = value.quantize(Decimal("0.01"))
        else:
            parsed.add_error(
                number,
                _("“%(name)s” is neither a budget line nor an indicator of the plan.")
                % {"name": key[:60]},
            )
    if not parsed.error_count and not (parsed.lines or parsed.indicators):
        parsed.add_error(0, _("The file holds no figures."))
    return parsed
