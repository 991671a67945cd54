"""SCB import with hostile files: fields over the csv module's limit, and a huge bad file."""

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from association.tenancy import scopes_disabled
from members.imports import MAX_REPORTED_ERRORS, parse_figures
from members.models import FigureImport, PopulationFigure
from members.queries import municipality_codes
from tests import factories

pytestmark = pytest.mark.django_db


def parse(content: bytes):
    return parse_figures(content, kind="population", municipality_codes=municipality_codes())


def test_a_field_over_the_csv_limit_is_a_reported_error_not_a_crash():
    huge = "9" * (csv.field_size_limit() + 1)
    parsed = parse(f"region;2023\n2580 Luleå;80000\n2584 Kiruna;{huge}\n".encode())
    assert not parsed.ok
    assert parsed.errors == [(3, parsed.errors[0][1])]
    assert str(csv.field_size_limit()) in parsed.errors[0][1]


def test_the_csv_field_limit_is_left_as_it_was():
    before = csv.field_size_limit()
    parse(("x" * (before + 10)).encode())
    assert csv.field_size_limit() == before


def test_a_huge_bad_file_reports_the_first_rows_and_counts_the_rest():
    rows = 100_000
    content = ("region;2023\n" + "9999 Ingenstans;1\n" * rows).encode()
    parsed = parse(content)
    assert parsed.error_count == rows
    assert len(parsed.errors) == MAX_REPORTED_ERRORS
    assert [line for line, _reason in parsed.errors] == list(range(2, MAX_REPORTED_ERRORS + 2))
    assert parsed.unreported_errors == rows - MAX_REPORTED_ERRORS


def test_long_cells_are_cut_short_in_messages():
    parsed = parse(("region;2023\n2580 Luleå;" + "x" * 5000 + "\n").encode())
    assert len(parsed.errors[0][1]) < 200


@pytest.fixture
def editor_client(association, login):
    # National figures are platform data: only platform admins import them.
    return login(factories.make_platform_admin())


def post_file(client, content: bytes):
    return client.post(
        "/plattform/siffror/",
        {"kind": "population", "source": "SCB", "file": SimpleUploadedFile("scb.csv", content)},
    )


def test_import_page_answers_a_field_over_the_limit_with_a_message(editor_client):
    huge = b"9" * (csv.field_size_limit() + 1)
    response = post_file(editor_client, b"region;2023\n2580 Lule\xc3\xa5;" + huge + b"\n")
    assert response.status_code == 200
    assert "nothing was imported" in response.text
    assert f"longer than {csv.field_size_limit()} characters" in response.text
    with scopes_disabled():
        assert FigureImport.objects.count() == 0


def test_import_page_lists_fifty_bad_rows_of_a_hundred_thousand_and_the_count(editor_client):
    content = ("region;2023\n" + "9999 Ingenstans;1\n" * 100_000).encode()
    response = post_file(editor_client, content)
    assert response.status_code == 200
    assert "The file has 100000 bad rows" in response.text
    assert response.text.count("Unknown municipality code") == MAX_REPORTED_ERRORS
    assert f"and {100_000 - MAX_REPORTED_ERRORS} more bad rows" in response.text
    assert PopulationFigure.objects.count() == 0
    with scopes_disabled():
        assert FigureImport.objects.count() == 0
