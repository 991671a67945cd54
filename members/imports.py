"""Reading SCB's published CSV files: population by municipality, average tax capacity.

SCB's files are semicolon-separated with decimal commas and spaces as thousands separators,
come in UTF-8 or Windows-1252, and put the region in the first column, either as a bare code
("2580") or code and name ("2580 Luleå"). Two shapes are accepted:

* wide: a header of years, one column per year (``region;2022;2023``), as SCB's table
  export gives it;
* long: a column named "år"/"year" and the value in the last column
  (``kommunkod;kommun;år;folkmängd``).

Every bad row is counted and the first ``MAX_REPORTED_ERRORS`` are reported with their line
number and reason; a file with any bad row imports nothing.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import FIRST_FIGURE_YEAR, FigureKind

MAX_BYTES = 5 * 1024 * 1024
# A person corrects a file from the first few reasons; listing 100 000 of them helps nobody.
MAX_REPORTED_ERRORS = 50
NATIONAL_CODES = {"00", "0000", "riket"}
YEAR_HEADERS = {"år", "ar", "year", "årtal"}
_CODE = re.compile(r"^\s*'?(\d{2,4})(?:\s|$)")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # the first few only
    error_count: int = 0
    ignored: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count and bool(self.rows)

    @property
    def unreported_errors(self) -> int:
        return self.error_count - len(self.errors)

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, message))


def decode(content: bytes) -> str:
    if b"\x00" in content:
        raise ValueError(_("The file is not a text file."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # SCB's "ANSI" export; cp1252 maps every byte the files use, including å, ä and ö.
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ValueError(_("The file's character encoding is not readable.")) from error


def parse_year(text: str) -> int | None:
    """A figure year that can exist: four digits, from 1968 up to the current year."""
    text = text.strip().strip('"')
    if not re.fullmatch(r"\d{4}", text):
        return None
    year = int(text)
    if year < FIRST_FIGURE_YEAR or year > timezone.localdate().year:
        return None
    return year


def parse_number(text: str) -> Decimal | None:
    cleaned = _SPACES.sub("", text.strip().strip('"')).replace(",", ".")
    if not cleaned or not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def parse_figures(content: bytes, *, kind: str, municipality_codes: set[str]) -> ParsedFile:
    result = ParsedFile()
    try:
        text = decode(content)
    except ValueError as error:
        result.add_error(0, str(error))
        return result
    try:
        lines = _read_rows(text)
    except _UnreadableRow as error:
        result.add_error(error.line, error.message)
        return result
    header_index = next((i for i, row in enumerate(lines) if any(c.strip() for c in row)), None)
    if header_index is None:
        result.add_error(0, _("The file is empty."))
        return result
    header = [cell.strip().strip('"').lower() for cell in lines[header_index]]
    if len(header) < 2:
        result.add_error(header_index + 1, _("The file must be separated by semicolons (;)."))
        return result

    year_column = next((i for i, name in enumerate(header) if name in YEAR_HEADERS), None)
    if year_column is not None:
        columns = None
    else:
        columns = {}
        for index, name in enumerate(header[1:], start=1):
            if not re.search(r"\d", name):
                continue  # a label column such as "kommun"
            year = parse_year(name)
            if year is None:
                result.add_error(
                    header_index + 1, _("Column “%(name)s”: the year %(name)s does not exist.")
                    % {"name": _shown(lines[header_index][index])},
                )  # fmt: skip
            else:
                columns[index] = year
        if not columns and not result.error_count:
            result.add_error(header_index + 1, _("The header names no year columns."))
        if result.error_count:
            return result

    seen: dict[tuple[str, int], int] = {}
    for index in range(header_index + 1, len(lines)):
        line_number = index + 1
        cells = lines[index]
        if not any(cell.strip() for cell in cells):
            continue
        code = _region_code(cells[0])
        if kind == FigureKind.TAX_CAPACITY:
            if code in NATIONAL_CODES:
                code = "00"
            elif code in municipality_codes:
                # SCB's table lists every municipality too; only the national average is used.
                result.ignored += 1
                continue
            else:
                result.add_error(line_number, _unknown_code(cells[0]))
                continue
        elif code not in municipality_codes:
            result.add_error(line_number, _unknown_code(cells[0]))
            continue

        if columns is None:
            if len(cells) <= year_column or len(cells) < len(header):
                result.add_error(line_number, _("The row has too few columns."))
                continue
            year = parse_year(cells[year_column])
            if year is None:
                result.add_error(
                    line_number, _("The year “%(year)s” does not exist.")
                    % {"year": _shown(cells[year_column])},
                )  # fmt: skip
                continue
            values = [(year, cells[len(header) - 1])]
        else:
            if len(cells) < len(header):
                result.add_error(line_number, _("The row has too few columns."))
                continue
            values = [(year, cells[column]) for column, year in columns.items()]

        for year, raw in values:
            message = _check_value(raw, kind)
            if message:
                result.add_error(line_number, message)
                continue
            if (code, year) in seen:
                result.add_error(
                    line_number, _("%(code)s %(year)s already appears on line %(line)s.")
                    % {"code": code, "year": year, "line": seen[(code, year)]},
                )  # fmt: skip
                continue
            seen[(code, year)] = line_number
            result.rows.append(
                {"line": line_number, "code": code, "year": year, "value": str(parse_number(raw))}
            )
    if not result.rows and not result.error_count:
        result.add_error(0, _("The file contains no figures to import."))
    return result


class _UnreadableRow(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _read_rows(text: str) -> list[list[str]]:
    """The file's rows, or _UnreadableRow for the first row the csv module cannot read. The
    module's field limit stays as it is: no figure in SCB's files comes near it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    rows = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            line = len(rows) + 1
            if "field larger than field limit" in str(error):
                raise _UnreadableRow(
                    line, _("A field is longer than %(limit)s characters; this is not an SCB file.")
                    % {"limit": csv.field_size_limit()},
                ) from error  # fmt: skip
            raise _UnreadableRow(line, _("The row cannot be read as CSV.")) from error
        rows.append(row)


def _region_code(cell: str) -> str:
    text = cell.strip().strip('"')
    if text.lower() == "riket":
        return "riket"
    match = _CODE.match(text)
    return match.group(1) if match else text


def _shown(cell: str) -> str:
    """A cell as quoted in a message: a bad file's cell can be thousands of characters."""
    text = cell.strip()
    return text if len(text) <= 40 else text[:40] + "…"


def _unknown_code(cell: str) -> str:
    return _("Unknown municipality code “%(code)s”.") % {"code": _shown(cell)}


def _check_value(raw: str, kind: str) -> str | None:
    value = parse_number(raw)
    if value is None:
        return _("The value “%(value)s” is not a number.") % {"value": _shown(raw)}
    if value < 0:
        return _("The value %(value)s is negative.") % {"value": _shown(raw)}
    if kind == FigureKind.POPULATION and value != value.to_integral_value():
        return _("The population %(value)s is not a whole number.") % {"value": _shown(raw)}
    if value >= Decimal("1e11"):
        return _("The value %(value)s is too large.") % {"value": _shown(raw)}
    return None
