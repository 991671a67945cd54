"""Issue 6, first part: national figures are platform data, associations correct figures
for their own members only, and adopted fee schedules are frozen (also in the database)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client

from association.locking import RecordLocked
from association.models import AuditEntry
from association.tenancy import scopes_disabled
from members import services
from members.models import (
    AdoptedFeeRow,
    AdoptedFeeSchedule,
    FeeRule,
    FigureCorrection,
    Membership,
    Municipality,
    PopulationFigure,
)
from tests import factories
from tests.members.conftest import make_figures, make_members, make_rule
from tests.urlwalk import project_pages

pytestmark = pytest.mark.django_db

A = "/norrbotten/medlemmar/"
B = "/annat/medlemmar/"
# Luleå and Piteå are members of both associations; Boden only of the other one.
SHARED = ["2580", "2581"]
ONLY_B = "2582"
# 10 000 inhabitants × 262 000 kr × 0.34 ‰ = 890 800 kr a year.
FULL_FEE = Decimal("890800.00")
DECISION = {"decision_reference": "Förbundsfullmäktige 2023-11-20 § 7", "decided_on": "2023-11-20"}


@pytest.fixture
def two(association, other_association):
    make_members(association, SHARED)
    make_members(other_association, [*SHARED, ONLY_B])
    make_rule(association)
    make_rule(other_association)
    make_figures([*SHARED, ONLY_B], 2023)
    return association, other_association


def fees(association, year=2024, adopted=True) -> dict[str, Decimal]:
    with scopes_disabled():
        schedule = services.fee_schedule(association=association, year=year, adopted=adopted)
    return {row.municipality.code: row.fee for row in schedule.rows}


def _stable(html: str) -> str:
    """A page's content without what differs between two requests of the same page."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def snapshot_of_b(staff: Client) -> dict[str, str]:
    """Everything B shows about its members and fees: public page, staff pages, exports."""
    public = Client()
    pages = {
        "public": public.get(f"{B}?year=2024"),
        "public-2025": public.get(f"{B}?year=2025"),
        "fees": staff.get(f"{B}avgifter/?year=2024"),
        "figures": staff.get(f"{B}siffror/"),
        "csv": staff.get(f"{B}avgifter/2024.csv"),
    }
    assert all(response.status_code == 200 for response in pages.values())
    return {name: _stable(response.content.decode("utf-8-sig")) for name, response in pages.items()}


def test_an_editor_of_one_association_can_change_nothing_another_shows(
    two, association, other_association, login
):
    b_staff = Client()
    b_staff.force_login(factories.make_staff(other_association, "viewer"))
    before = snapshot_of_b(b_staff)
    fees_before = fees(other_association)
    editor = login(factories.make_staff(association, "editor"))

    def unchanged(after_what):
        assert snapshot_of_b(b_staff) == before, after_what
        assert fees(other_association) == fees_before, after_what

    # The national import is not theirs: 403, and nothing staged or changed.
    upload = SimpleUploadedFile("scb.csv", b"region;2023\n2580 Lule\xc3\xa5;1\n2582 Boden;1\n")
    response = editor.post(
        "/plattform/siffror/", {"kind": "population", "source": "SCB", "file": upload}
    )
    assert response.status_code == 403
    unchanged("import")
    staged = services.stage_figure_import(
        actor=None, kind="population", file_name="scb.csv", source="SCB",
        rows=[{"line": 2, "code": "2580", "year": 2023, "value": "1"}],
    )  # fmt: skip
    assert editor.post(f"/plattform/siffror/{staged.pk}/", {"action": "confirm"}).status_code == 403
    unchanged("confirm")

    # Every write the editor may make in their own association.
    boden = Municipality.objects.get(code=ONLY_B)
    response = editor.post(f"{A}ny/", {"municipality": boden.pk, "joined_on": "1993-01-01"})
    assert response.status_code == 302
    unchanged("membership created")
    with scopes_disabled():
        lulea = Membership.objects.get(association=association, municipality__code="2580")
        rule = FeeRule.objects.get(association=association)
    response = editor.post(
        f"{A}{lulea.pk}/andra/",
        {"joined_on": "1993-01-01", "left_on": "2024-06-30", "chair_name": "X", "version": 1},
    )
    assert response.status_code == 302
    unchanged("membership changed")
    rule_data = {
        "name": "Ny", "first_year": 2023, "last_year": 2026, "basis": "tax_base", "rate": "0.10",
        "base_year_offset": "-1", "rounding": "krona", "pro_rata": "on", "version": 1,
    }  # fmt: skip
    assert editor.post(f"{A}avgiftsregler/{rule.pk}/", rule_data).status_code == 302
    unchanged("rule changed")
    response = editor.post(
        f"{A}avgiftsregler/ny/", {**rule_data, "first_year": 2027, "last_year": 2030}
    )
    assert response.status_code == 302
    unchanged("rule created")
    correction = {
        "municipality": lulea.municipality_id, "year": 2024, "population": 1,
        "reason": "Överenskommen med kommunen",
    }  # fmt: skip
    assert editor.post(f"{A}siffror/korrigeringar/ny/", correction).status_code == 302
    unchanged("correction created")
    with scopes_disabled():
        created = FigureCorrection.objects.get(association=association)
    response = editor.post(
        f"{A}siffror/korrigeringar/{created.pk}/",
        {**correction, "population": 2, "version": 1},
    )
    assert response.status_code == 302
    unchanged("correction changed")
    assert editor.post(f"{A}siffror/korrigeringar/{created.pk}/ta-bort/").status_code == 302
    unchanged("correction removed")
    # Adopting is for administrators; an editor is refused, an administrator's adoption
    # freezes only their own association's schedule.
    assert editor.post(f"{A}avgifter/2024/faststall/", DECISION).status_code == 403
    administrator = Client()
    administrator.force_login(factories.make_staff(association, "administrator"))
    adopted = administrator.post(f"{A}avgifter/2024/faststall/", DECISION)
    assert adopted.status_code == 302, re.findall(r"errorlist.*", adopted.text)
    unchanged("adopted")

    # And whatever else the editor might post to any page of their own association.
    for page in project_pages():
        if page.is_tenant and not page.object_params:
            editor.post(page.url(association=association.slug, year=2024), {})
    unchanged("every page posted to")
    # The writes did take effect in the editor's own association.
    assert fees(association, adopted=False) != {"2580": FULL_FEE, "2581": FULL_FEE}


def test_platform_import_changes_every_live_fee_but_no_adopted_schedule(
    two, association, other_association, login
):
    with scopes_disabled():
        services.adopt_fee_schedule(
            association=association, actor=None, year=2024,
            decision_reference="Förbundsfullmäktige 2023-11-20 § 7", decided_on=date(2023, 11, 20),
        )  # fmt: skip
    admin = login(factories.make_platform_admin())
    upload = SimpleUploadedFile("scb.csv", "region;2023\n2580 Luleå;15 000\n".encode())
    response = admin.post(
        "/plattform/siffror/", {"kind": "population", "source": "SCB 2023", "file": upload}
    )
    assert response.status_code == 302
    assert admin.post(response.url, {"action": "confirm"}).status_code == 302
    assert PopulationFigure.objects.get(municipality__code="2580", year=2023).population == 15_000
    new_fee = Decimal("1336200.00")  # 15 000 × 262 000 × 0.34 ‰
    # The live computation changes in both associations …
    assert fees(other_association)["2580"] == new_fee
    assert fees(association, adopted=False)["2580"] == new_fee
    # … but the adopted schedule does not, and the pages show the adopted one.
    assert fees(association)["2580"] == FULL_FEE
    page = Client().get(f"{A}?year=2024").text
    assert "890,800" in page and "1,336,200" not in page
    assert "Förbundsfullmäktige 2023-11-20 § 7" in page
    other_page = Client().get(f"{B}?year=2024").text
    assert "1,336,200" in other_page and "Preliminary" in other_page


def test_a_correction_changes_only_its_own_associations_fee(two, association, other_association):
    national = PopulationFigure.objects.get(municipality__code="2580", year=2023).population
    other_before = fees(other_association)
    with scopes_disabled():
        lulea = Municipality.objects.get(code="2580")
        services.create_correction(
            association=association, actor=None, municipality=lulea, year=2024,
            population=5_000, reason="Överenskommen med Luleå kommun",
        )  # fmt: skip
    assert fees(association)["2580"] == FULL_FEE / 2
    assert fees(association)["2581"] == FULL_FEE
    assert fees(association, year=2025)["2580"] is None  # only the corrected year (no figures)
    assert fees(other_association) == other_before
    assert PopulationFigure.objects.get(municipality__code="2580", year=2023).population == national
    # The fee pages say so in words.
    public = Client().get(f"{A}?year=2024").text
    assert "corrected" in public and "5,000" in public
    assert "corrected" not in Client().get(f"{B}?year=2024").text


def test_a_correction_may_also_replace_the_tax_capacity(two, association):
    with scopes_disabled():
        services.create_correction(
            association=association, actor=None, municipality=Municipality.objects.get(code="2581"),
            year=2024, population=10_000, tax_capacity=Decimal(131_000), reason="Avtal",
        )  # fmt: skip
        row = next(
            r
            for r in services.fee_schedule(association=association, year=2024).rows
            if r.municipality.code == "2581"
        )
    assert row.fee == FULL_FEE / 2
    assert row.tax_capacity.corrected and row.population.corrected


def test_a_correction_for_a_non_member_is_refused(two, association, login):
    boden = Municipality.objects.get(code=ONLY_B)
    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        services.create_correction(
            association=association, actor=None, municipality=boden, year=2024,
            population=1, reason="x",
        )  # fmt: skip
    assert "is not a member of the association in 2024" in str(refused.value)
    editor = login(factories.make_staff(association, "editor"))
    data = {"municipality": boden.pk, "year": 2024, "population": 1, "reason": "x"}
    response = editor.post(f"{A}siffror/korrigeringar/ny/", data)
    assert response.status_code == 200
    assert "can only correct figures for its own members" in response.text
    # A member, but not in that year.
    lulea = Municipality.objects.get(code="2580")
    with scopes_disabled():
        Membership.objects.filter(association=association, municipality=lulea).update(
            left_on=date(2023, 12, 31)
        )
    response = editor.post(f"{A}siffror/korrigeringar/ny/", {**data, "municipality": lulea.pk})
    assert response.status_code == 200
    assert "Luleå is not a member of the association in 2024" in response.text
    with scopes_disabled():
        assert not FigureCorrection.objects.exists()


def test_corrections_are_versioned_unique_and_have_history(two, association, login):
    editor = login(factories.make_staff(association, "editor"))
    lulea = Municipality.objects.get(code="2580")
    data = {"municipality": lulea.pk, "year": 2024, "population": 9_000, "reason": "Avtal"}
    assert editor.post(f"{A}siffror/korrigeringar/ny/", data).status_code == 302
    duplicate = editor.post(f"{A}siffror/korrigeringar/ny/", data)
    assert duplicate.status_code == 200
    assert "already a correction" in duplicate.text
    with scopes_disabled():
        correction = FigureCorrection.objects.get()
    url = f"{A}siffror/korrigeringar/{correction.pk}/"
    assert editor.post(url, {**data, "population": 9_500, "version": 1}).status_code == 302
    stale = editor.post(url, {**data, "population": 9_900, "version": 1})
    assert "Someone else saved" in stale.text
    assert editor.post(f"{url}ta-bort/").status_code == 302
    with scopes_disabled():
        assert not FigureCorrection.objects.exists()
        actions = list(
            AuditEntry.objects.filter(
                association=association, object_type="members.figurecorrection"
            ).values_list("action", flat=True)
        )
    assert sorted(actions) == ["created", "deleted", "updated"]


def adopt(association, **kwargs):
    values = {
        "year": 2024, "decision_reference": "Förbundsfullmäktige 2023-11-20 § 7",
        "decided_on": date(2023, 11, 20),
    }  # fmt: skip
    values.update(kwargs)
    with scopes_disabled():
        return services.adopt_fee_schedule(association=association, actor=None, **values)


def test_adoption_freezes_the_schedule(two, association):
    adoption = adopt(association)
    assert adoption.total == 2 * FULL_FEE
    frozen = fees(association)
    # Later changes to figures, corrections, rules and memberships …
    services.set_figures(kind="population", values={("2580", 2023): Decimal(1)}, source="SCB")
    services.set_figures(kind="tax_capacity", values={("00", 2023): Decimal(1)}, source="SCB")
    with scopes_disabled():
        FeeRule.objects.filter(association=association).update(rate=Decimal("0.01"))
        Membership.objects.filter(association=association).update(left_on=date(2024, 1, 31))
        services.create_correction(
            association=association, actor=None, municipality=Municipality.objects.get(code="2581"),
            year=2024, population=1, reason="x",
        )  # fmt: skip
        schedule = services.fee_schedule(association=association, year=2024)
        assert services.adopted_fee_schedule(association=association, year=2024) is not None
        assert services.adopted_fee_schedule(association=association, year=2025) is None
    # … do not alter it.
    assert schedule.is_adopted and schedule.total == 2 * FULL_FEE
    assert fees(association) == frozen
    assert fees(association, adopted=False) != frozen
    assert [row.result.months for row in schedule.rows] == [12, 12]
    page = Client().get(f"{A}?year=2024").text
    assert "adopted on 2023-11-20 by Förbundsfullmäktige 2023-11-20 § 7" in page
    assert "Preliminary" in Client().get(f"{A}?year=2025").text


def test_incomplete_or_ruleless_schedules_cannot_be_adopted(two, association):
    with pytest.raises(ValidationError, match="figures are missing"):
        adopt(association, year=2025)  # no 2024 figures
    with pytest.raises(ValidationError, match="No fee rule"):
        adopt(association, year=2030)
    with scopes_disabled():
        assert not AdoptedFeeSchedule.objects.exists()


def test_superseding_needs_a_reason_and_keeps_the_old_schedule(two, association, login):
    first = adopt(association)
    with pytest.raises(ValidationError, match="Someone else adopted"):
        adopt(association)  # the caller did not know there was one
    with pytest.raises(ValidationError, match="Give the reason"):
        adopt(association, expected_current=first.pk, reason="  ")
    services.set_figures(kind="population", values={("2580", 2023): Decimal(20_000)}, source="SCB")
    second = adopt(
        association, expected_current=first.pk, reason="SCB rättade Luleås folkmängd",
        decision_reference="Förbundsfullmäktige 2024-02-10 § 3", decided_on=date(2024, 2, 10),
    )  # fmt: skip
    assert second.supersedes_id == first.pk
    with scopes_disabled():
        first.refresh_from_db()
        assert first.total == 2 * FULL_FEE
        assert services.fee_schedule(association=association, year=2024).adoption == second
    assert fees(association)["2580"] == 2 * FULL_FEE
    staff = login(factories.make_staff(association, "viewer"))
    old_page = staff.get(f"{A}avgifter/faststallda/{first.pk}/")
    assert old_page.status_code == 200
    assert "Superseded" in old_page.text and "890,800.00" in old_page.text
    fee_page = staff.get(f"{A}avgifter/?year=2024").text
    assert "Förbundsfullmäktige 2024-02-10 § 3" in fee_page
    assert "SCB rättade Luleås folkmängd" in fee_page


def test_adoption_pages_for_administrators(two, association, login):
    editor = login(factories.make_staff(association, "editor"))
    assert editor.get(f"{A}avgifter/2024/faststall/").status_code == 403
    admin = login(factories.make_staff(association, "administrator"))
    assert admin.get(f"{A}avgifter/2024/faststall/").status_code == 200
    assert admin.post(f"{A}avgifter/2024/faststall/", {"decided_on": "igår"}).status_code == 200
    assert admin.post(f"{A}avgifter/2024/faststall/", DECISION).status_code == 302
    with scopes_disabled():
        first = AdoptedFeeSchedule.objects.get()
    # Superseding through the page: the reason is required, the form keeps what was typed.
    again = admin.post(f"{A}avgifter/2024/faststall/", {**DECISION, "current": first.pk})
    assert again.status_code == 200
    assert "This field is required" in again.text
    assert "Förbundsfullmäktige 2023-11-20 § 7" in again.text
    done = admin.post(
        f"{A}avgifter/2024/faststall/", {**DECISION, "current": first.pk, "reason": "Fel år"}
    )
    assert done.status_code == 302
    # A stale form (it names the first adoption, which is no longer current) is refused.
    stale = admin.post(
        f"{A}avgifter/2024/faststall/", {**DECISION, "current": first.pk, "reason": "Igen"}
    )
    assert stale.status_code == 200
    assert "Someone else adopted" in stale.text
    with scopes_disabled():
        assert AdoptedFeeSchedule.objects.count() == 2
        assert AuditEntry.objects.filter(action__in=["adopted", "superseded"]).count() == 2
    assert admin.get(f"{A}avgifter/99999/faststall/").status_code == 404


def _refused_by_database(sql: str, params: list) -> None:
    with pytest.raises(IntegrityError, match="locked row"), transaction.atomic():  # noqa: SIM117
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_database_refuses_changes_to_an_adopted_schedule(two, association):
    adoption = adopt(association)
    with scopes_disabled():
        row = AdoptedFeeRow.objects.filter(schedule=adoption).first()
    table, rows = AdoptedFeeSchedule._meta.db_table, AdoptedFeeRow._meta.db_table
    _refused_by_database(f"UPDATE {table} SET total = 1 WHERE id = %s", [adoption.pk])
    _refused_by_database(f"DELETE FROM {table} WHERE id = %s", [adoption.pk])
    _refused_by_database(f"UPDATE {rows} SET fee = 1 WHERE id = %s", [row.pk])
    _refused_by_database(f"DELETE FROM {rows} WHERE id = %s", [row.pk])
    with scopes_disabled():
        # The ORM's bulk paths go straight to the database and are refused there too …
        with pytest.raises(IntegrityError), transaction.atomic():
            AdoptedFeeRow.objects.filter(pk=row.pk).update(fee=Decimal(1))
        with pytest.raises(IntegrityError), transaction.atomic():
            AdoptedFeeSchedule.objects.filter(pk=adoption.pk).update(reason="x")
        # … and saving or deleting an object is refused with a message before that.
        adoption.total = Decimal(1)
        with pytest.raises(RecordLocked, match="cannot be changed"):
            adoption.save()
        with pytest.raises(RecordLocked):
            row.delete()
        adoption.refresh_from_db()
        row.refresh_from_db()
    assert adoption.total == 2 * FULL_FEE and row.fee == FULL_FEE
    # Inserting a new adoption is of course allowed (that is how one supersedes).
    adopt(association, expected_current=adoption.pk, reason="Ny beräkning")


@pytest.mark.parametrize(
    "url", [f"{A}?year=2024", f"{A}avgifter/?year=2024", f"{A}siffror/", "adoption"]
)
def test_adopted_pages_query_count_does_not_grow_with_members(url, association, login):
    from members.register import read_municipalities

    codes = [row["municipality_code"] for row in read_municipalities()]
    make_rule(association)
    make_figures(codes, 2023)
    http = login(factories.make_staff(association, "viewer"))
    make_members(association, codes[:5])
    adopt(association)

    def address():
        return (
            f"{A}avgifter/faststallda/{services_current(association)}/"
            if url == "adoption"
            else url
        )

    small = len_queries(http, address())
    make_members(association, codes[5:])
    with scopes_disabled():
        for municipality in Municipality.objects.filter(code__in=codes[5:40]):
            services.create_correction(
                association=association, actor=None, municipality=municipality, year=2024,
                population=1_000, reason="Avtal",
            )  # fmt: skip
    adopt(association, expected_current=services_current(association), reason="Fler medlemmar")
    large = len_queries(http, address())
    assert small == large


def services_current(association) -> int:
    from members.queries import current_adoption

    with scopes_disabled():
        return current_adoption(association, 2024).pk


def len_queries(http, url) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert http.get(url).status_code == 200
    return len(context.captured_queries)


def test_demo_adopts_norrbottens_schedule_once():
    import io

    from association import demo as association_demo
    from members import demo

    association_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    with scopes_disabled():
        [adoption] = AdoptedFeeSchedule.objects.filter(association__slug="norrbotten")
        assert adoption.year == 2026 and adoption.is_demo
        assert adoption.decision_reference == "Förbundsfullmäktige 2025-11-20 § 7"
        assert adoption.rows.count() == 14
        assert not AdoptedFeeSchedule.objects.exclude(association__slug="norrbotten").exists()
    # The national figures the demo seeds are platform data, imported by nobody in particular.
    assert not PopulationFigure.objects.filter(imported_by__isnull=False).exists()
    assert Client().get("/norrbotten/medlemmar/?year=2026").text.count("Förbundsfullmäktige") == 1


@pytest.mark.parametrize(
    "data",
    [
        {"population": "99999999999", "year": "2024"},
        {"population": "-1", "year": "2024"},
        {"population": "1", "year": "-3", "tax_capacity": "1e30"},
        {"population": "1", "year": "2024", "tax_capacity": "12345678901234"},
        {"population": "1", "year": "99999", "reason": "x" * 3000},
        {"population": "abc", "year": "", "municipality": "x"},
    ],
)
def test_bad_correction_input_is_a_form_error(two, association, login, data):
    editor = login(factories.make_staff(association, "editor"))
    lulea = Municipality.objects.get(code="2580")
    response = editor.post(
        f"{A}siffror/korrigeringar/ny/",
        {"municipality": lulea.pk, "reason": "Avtal", **data},
    )
    assert response.status_code == 200
    assert "errorlist" in response.text
    with scopes_disabled():
        assert not FigureCorrection.objects.exists()


def test_bad_adoption_input_is_a_form_error(two, association, login):
    admin = login(factories.make_staff(association, "administrator"))
    for data in (
        {"decision_reference": "", "decided_on": "2023-11-20"},
        {"decision_reference": "x" * 300, "decided_on": "2023-11-20"},
        {"decision_reference": "FF § 7", "decided_on": "2023-13-45"},
        {**DECISION, "current": "abc"},
        {**DECISION, "current": "999999"},
    ):
        response = admin.post(f"{A}avgifter/2024/faststall/", data)
        assert response.status_code == 200, data
        assert "errorlist" in response.text, data
    with scopes_disabled():
        assert not AdoptedFeeSchedule.objects.exists()
