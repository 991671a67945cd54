"""Pages: permissions per role, 404 for another association's objects, flat query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.tenancy import scopes_disabled
from members.models import FeeRule, Membership
from members.register import read_municipalities
from tests import factories
from tests.members.conftest import (
    NORRBOTTEN_CODES,
    make_figures,
    make_members,
    make_rule,
)

pytestmark = pytest.mark.django_db

BASE = "/norrbotten/medlemmar/"


@pytest.fixture
def setup(association, other_association):
    members = make_members(association, NORRBOTTEN_CODES[:3])
    rule = make_rule(association)
    foreign_member = make_members(other_association, ["2580"])[0]
    foreign_rule = make_rule(other_association)
    make_figures(NORRBOTTEN_CODES, 2023)
    return {"member": members[0], "rule": rule, "foreign_member": foreign_member,
            "foreign_rule": foreign_rule}  # fmt: skip


def client_for(who, association, other_association, client, login):
    if who == "anonymous":
        return client
    if who == "other_staff":
        user = factories.make_staff(other_association, "administrator")
    elif who == "platform_admin":
        user = factories.make_platform_admin()
    else:
        user = factories.make_staff(association, who)
    return login(user)


def staff_pages(setup):
    member, rule = setup["member"], setup["rule"]
    return {
        "read": [f"{BASE}{member.pk}/", f"{BASE}avgifter/", f"{BASE}avgiftsregler/",
                 f"{BASE}avgifter/2024.csv", f"{BASE}avgifter/2024.xlsx", f"{BASE}siffror/"],
        "edit": [f"{BASE}ny/", f"{BASE}{member.pk}/andra/", f"{BASE}avgiftsregler/ny/",
                 f"{BASE}avgiftsregler/{rule.pk}/", f"{BASE}siffror/korrigeringar/ny/"],
    }  # fmt: skip


# who -> (public, read, edit) expected status
EXPECTED = {
    "anonymous": (200, 302, 302),
    "other_staff": (200, 403, 403),
    "viewer": (200, 200, 403),
    "editor": (200, 200, 200),
    "administrator": (200, 200, 200),
    "platform_admin": (200, 200, 200),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_permissions(who, setup, association, other_association, client, login):
    http = client_for(who, association, other_association, client, login)
    public, read, edit = EXPECTED[who]
    for url in [BASE, f"{BASE}kommuner/", f"{BASE}?year=2024", f"{BASE}?year=x"]:
        assert http.get(url).status_code == public, url
    pages = staff_pages(setup)
    for url in pages["read"]:
        assert http.get(url).status_code == read, url
    for url in pages["edit"]:
        assert http.get(url).status_code == edit, url
    if edit == 302:
        assert "login" in http.get(pages["edit"][0]).url


def test_public_list_hides_internal_columns(setup, client):
    with scopes_disabled():
        Membership.objects.filter(pk=setup["member"].pk).update(chair_name="Hemlig Person")
    response = client.get(f"{BASE}?year=2024")
    assert "Arvidsjaur" in response.text
    assert "Hemlig Person" not in response.text
    assert "<svg" in response.text and "<title" in response.text


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_another_associations_objects_are_404(role, setup, association, login):
    http = login(factories.make_staff(association, role))
    foreign_member, foreign_rule = setup["foreign_member"], setup["foreign_rule"]
    assert http.get(f"{BASE}{foreign_member.pk}/").status_code == 404
    assert http.get(f"{BASE}{foreign_member.pk}/andra/").status_code == 404
    assert (
        http.post(f"{BASE}{foreign_member.pk}/andra/", {"joined_on": "1990-01-01"}).status_code
        == 404
    )
    assert http.get(f"{BASE}avgiftsregler/{foreign_rule.pk}/").status_code == 404
    assert http.get(f"{BASE}{setup['member'].pk + 10_000}/").status_code == 404


def test_association_staff_cannot_reach_the_national_import(setup, association, login):
    from members.services import stage_figure_import

    staged = stage_figure_import(
        actor=None, kind="population", file_name="x.csv", source="SCB",
        rows=[{"line": 2, "code": "2580", "year": 2023, "value": "1"}],
    )  # fmt: skip
    for role in ("editor", "administrator"):
        http = login(factories.make_staff(association, role))
        assert http.get("/plattform/siffror/").status_code == 403
        confirm = http.post(f"/plattform/siffror/{staged.pk}/", {"action": "confirm"})
        assert confirm.status_code == 403
        # The old address under the association is gone.
        assert http.get(f"{BASE}import/").status_code == 404
    staged.refresh_from_db()
    assert staged.status == "pending"


def test_create_and_edit_membership_with_version_check(setup, association, login):
    http = login(factories.make_staff(association, "editor"))
    with scopes_disabled():
        from members.models import Municipality

        kiruna = Municipality.objects.get(code="2584")
    response = http.post(f"{BASE}ny/", {"municipality": kiruna.pk, "joined_on": "1993-01-01"})
    assert response.status_code == 302
    # An overlapping second membership is refused with a message, not a 500.
    response = http.post(f"{BASE}ny/", {"municipality": kiruna.pk, "joined_on": "2000-01-01"})
    assert response.status_code == 200
    assert "overlap" in response.text
    # Dates out of order.
    response = http.post(
        f"{BASE}ny/",
        {"municipality": kiruna.pk, "joined_on": "2000-01-01", "left_on": "1999-01-01"},
    )
    assert response.status_code == 200
    member = setup["member"]
    url = f"{BASE}{member.pk}/andra/"
    data = {"joined_on": "1993-01-01", "left_on": "2024-06-30", "chair_name": "A", "version": 1}
    assert http.post(url, data).status_code == 302
    stale = http.post(url, {**data, "chair_name": "B"})
    assert stale.status_code == 200
    assert "Someone else saved" in stale.text
    with scopes_disabled():
        member.refresh_from_db()
    assert (member.chair_name, member.left_on, member.version) == ("A", date(2024, 6, 30), 2)


def test_bad_input_never_500(setup, association, login):
    http = login(factories.make_staff(association, "editor"))
    assert (
        http.post(f"{BASE}ny/", {"municipality": "abc", "joined_on": "yesterday"}).status_code
        == 200
    )
    assert (
        http.post(f"{BASE}avgiftsregler/ny/", {"rate": "-1", "first_year": "x"}).status_code == 200
    )
    assert http.post(f"{BASE}siffror/korrigeringar/ny/", {"population": "x"}).status_code == 200
    assert http.get(f"{BASE}avgifter/?year=99999").status_code == 200
    assert http.get(f"{BASE}avgifter/2024.pdf").status_code == 404


def test_fee_rule_create_refuses_overlap_and_edit_detects_conflict(setup, association, login):
    http = login(factories.make_staff(association, "editor"))
    data = {
        "name": "Ny", "first_year": 2025, "last_year": 2027, "basis": "tax_base",
        "rate": "0.30", "base_year_offset": "-1", "rounding": "krona", "pro_rata": "on",
    }  # fmt: skip
    response = http.post(f"{BASE}avgiftsregler/ny/", data)
    assert response.status_code == 200
    assert "Another fee rule" in response.text
    response = http.post(
        f"{BASE}avgiftsregler/ny/", {**data, "first_year": 2027, "last_year": 2030}
    )
    assert response.status_code == 302
    rule = setup["rule"]
    url = f"{BASE}avgiftsregler/{rule.pk}/"
    edit = {**data, "first_year": 2023, "last_year": 2026, "version": 1}
    assert http.post(url, edit).status_code == 302
    assert "Someone else saved" in http.post(url, edit).text
    with scopes_disabled():
        assert FeeRule.objects.get(pk=rule.pk).rate == Decimal("0.30")


def test_fee_page_flags_missing_and_exports(setup, association, login):
    make_members(association, ["2584"])  # Kiruna has figures; add one without
    make_members(association, ["0114"])
    http = login(factories.make_staff(association, "viewer"))
    response = http.get(f"{BASE}avgifter/?year=2024")
    assert "No population figure for 2023" in response.text
    csv = http.get(f"{BASE}avgifter/2024.csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    # 10 000 × 262 000 × 0.34‰ = 890 800.
    assert "Arvidsjaur" in text and "890800,00" in text and "262000,00" in text
    xlsx = http.get(f"{BASE}avgifter/2024.xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "Kommunkod" or values[1][0] == "Municipality code"
    assert any(row[1] == "Upplands Väsby" and row[9] is None for row in values[2:])
    assert values[-1][9] == 4 * 890800


def _count(http, url):
    with CaptureQueriesContext(connection) as context:
        response = http.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", [f"{BASE}?year=2024", f"{BASE}avgifter/?year=2024"])
def test_query_count_does_not_grow_with_members(url, association, login, other_association):
    codes = [row["municipality_code"] for row in read_municipalities()]
    assert len(codes) == 290
    make_rule(association)
    make_figures(codes, 2023)
    http = login(factories.make_staff(association, "editor"))
    make_members(association, codes[:7])
    small = _count(http, url)
    make_members(association, codes[7:])
    large = _count(http, url)
    assert small == large
