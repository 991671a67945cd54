"""SCB CSV import: good files, each kind of bad row, and a bad file changing nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.imports import parse_figures
from members.models import FigureChange, FigureImport, NationalFigure, PopulationFigure
from members.queries import municipality_codes
from tests import factories

pytestmark = pytest.mark.django_db

WIDE = "region;2022;2023\n2580 Luleå;79 500;80 000\n2584 Kiruna;22 100;22 000\n"
LONG = "kommunkod;kommun;år;folkmängd\n2580;Luleå;2023;80000\n2506;Arjeplog;2023;2 700\n"
TAX = 'region;2023\n"00 Riket";"262 000,50"\n2580 Luleå;270 000\n'


def parse(text, kind="population", encoding="utf-8"):
    return parse_figures(text.encode(encoding), kind=kind, municipality_codes=municipality_codes())


def test_wide_file_with_thousand_spaces():
    parsed = parse(WIDE)
    assert parsed.ok
    assert {(r["code"], r["year"], r["value"]) for r in parsed.rows} == {
        ("2580", 2022, "79500"), ("2580", 2023, "80000"),
        ("2584", 2022, "22100"), ("2584", 2023, "22000"),
    }  # fmt: skip


def test_long_file_in_windows_1252():
    parsed = parse(LONG, encoding="cp1252")
    assert parsed.ok
    assert [r["value"] for r in parsed.rows] == ["80000", "2700"]


def test_tax_capacity_uses_the_national_row_with_decimal_comma():
    parsed = parse(TAX, kind="tax_capacity")
    assert parsed.ok
    assert parsed.rows == [{"line": 2, "code": "00", "year": 2023, "value": "262000.50"}]
    assert parsed.ignored == 1


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("region;2023\n9999 Nowhere;100\n", 2, "Unknown municipality code"),
        ("region;2023\n2580 Luleå;-5\n", 2, "negative"),
        ("region;2023\n2580 Luleå;många\n", 2, "not a number"),
        ("region;2023\n2580 Luleå;..\n", 2, "not a number"),
        ("kommunkod;år;folkmängd\n2580;2099;80000\n", 2, "does not exist"),
        ("kommunkod;år;folkmängd\n2580;1850;80000\n", 2, "does not exist"),
        ("region;2099\n2580 Luleå;80000\n", 1, "does not exist"),
        ("region;2023\n2580 Luleå;80000,5\n", 2, "whole number"),
        ("region;2023\n2580 Luleå;1\n2580 Luleå;2\n", 3, "already appears on line 2"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_line_and_reason(text, line, reason):
    parsed = parse(text)
    assert not parsed.ok
    assert any(number == line and reason in message for number, message in parsed.errors), (
        parsed.errors
    )


def test_every_bad_row_is_listed():
    text = "region;2023\n9999 X;1\n2580 Luleå;80000\n2584 Kiruna;-1\n2506 Arjeplog;abc\n"
    parsed = parse(text)
    assert [line for line, _message in parsed.errors] == [2, 4, 5]


def test_binary_and_empty_files_are_refused():
    assert not parse_figures(b"\x00\x01", kind="population", municipality_codes=set()).ok
    assert not parse("").ok
    assert not parse("region,2023\n2580,1\n").ok


IMPORT = "/plattform/siffror/"


@pytest.fixture
def editor_client(login):
    """National figures are platform data: platform admins import them."""
    return login(factories.make_platform_admin())


def upload(client, text, kind="population", name="folkmangd.csv"):
    return client.post(
        IMPORT,
        {"kind": kind, "source": "SCB 2023", "file": SimpleUploadedFile(name, text.encode())},
    )


def test_import_preview_then_confirm(editor_client, association):
    response = upload(editor_client, WIDE)
    assert response.status_code == 302
    staged = FigureImport.objects.get()
    assert PopulationFigure.objects.count() == 0  # nothing before confirmation
    preview = editor_client.get(response.url)
    assert preview.status_code == 200
    assert "Luleå" in preview.text
    response = editor_client.post(response.url, {"action": "confirm"})
    assert response.status_code == 302
    assert PopulationFigure.objects.get(municipality__code="2580", year=2023).population == 80000
    assert PopulationFigure.objects.count() == 4
    assert FigureChange.objects.count() == 4
    staged.refresh_from_db()
    assert staged.status == "applied"
    # Confirming twice does nothing more (the import is no longer pending: 404).
    assert editor_client.post(f"{IMPORT}{staged.pk}/", {"action": "confirm"}).status_code == 404


def test_reimport_records_old_and_new_value(editor_client, association):
    for text in (WIDE, WIDE.replace("80 000", "80 123")):
        response = upload(editor_client, text)
        editor_client.post(response.url, {"action": "confirm"})
    assert PopulationFigure.objects.get(municipality__code="2580", year=2023).population == 80123
    change = FigureChange.objects.filter(municipality__code="2580", year=2023).first()
    assert (change.old_value, change.new_value) == (Decimal(80000), Decimal(80123))


def test_tax_capacity_import_records_who(editor_client, association):
    response = upload(editor_client, TAX, kind="tax_capacity")
    editor_client.post(response.url, {"action": "confirm"})
    figure = NationalFigure.objects.get(year=2023)
    assert figure.average_tax_capacity == Decimal("262000.50")
    assert figure.imported_by is not None


def test_bad_file_changes_nothing(editor_client, association):
    upload(editor_client, WIDE)  # a staged, unconfirmed import must not count either
    before = (PopulationFigure.objects.count(), FigureChange.objects.count())
    response = upload(editor_client, "region;2023\n2580 Luleå;80000\n9999 X;1\n2584 Kiruna;-3\n")
    assert response.status_code == 200
    assert "nothing was imported" in response.text
    assert "9999" in response.text
    assert (PopulationFigure.objects.count(), FigureChange.objects.count()) == before
    assert FigureImport.objects.count() == 1


def test_confirm_applies_the_stored_rows_not_posted_numbers(editor_client, association):
    response = upload(editor_client, WIDE)
    editor_client.post(response.url, {"action": "confirm", "value": "1", "2580-2023": "1"})
    assert PopulationFigure.objects.get(municipality__code="2580", year=2023).population == 80000


@pytest.mark.parametrize(
    ("name", "content"),
    [("figures.xlsx", b"PK\x03\x04"), ("figures.csv", b"\x00\x00binary")],
)
def test_wrong_file_type_is_a_form_error(editor_client, association, name, content):
    response = editor_client.post(
        IMPORT,
        {"kind": "population", "source": "SCB", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert PopulationFigure.objects.count() == 0


def test_too_large_file_is_refused(editor_client, association, settings):
    big = b"region;2023\n" + b"2580 Lule;1\n" * (5 * 1024 * 1024 // 12 + 10)
    response = editor_client.post(
        IMPORT,
        {"kind": "population", "source": "SCB", "file": SimpleUploadedFile("big.csv", big)},
    )
    assert response.status_code == 200
    assert "5 MB" in response.text
