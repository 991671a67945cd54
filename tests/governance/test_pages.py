"""The body page, the organisation chart, vacancies, people, forms and exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from association.models import AuditEntry
from association.tenancy import scopes_disabled
from governance.models import Assignment, Body, Person
from tests import factories
from tests.factories import NEXT_TERM_END, NEXT_TERM_NAME, NEXT_TERM_START, in_term

ON_A_DAY = f"/norrbotten/organ/styrelse/?datum={in_term(2, 3, 1)}"


@pytest.fixture
def board(association):
    """A board with a Luleå seat (1 member, 1 substitute) and a party seat."""
    factories.make_term(association)
    body = factories.make_body(
        association, "styrelse", kind="board", name="Styrelse", mandate="Leder förbundet.",
        seat_rule="Kommunstyrelsernas ordförande samt riksdagspartier utan sådan post.",
    )  # fmt: skip
    lulea = factories.make_post(body, "2580", members=1, substitutes=1)
    party = factories.make_post(body, members=1, label="Riksdagsparti")
    chair = factories.make_person(
        association, first_name="Carina", last_name="Ordförande", party="S",
        email="carina@example.org", phone="0920-111 11",
    )  # fmt: skip
    with scopes_disabled():
        from members.models import Municipality

        chair.municipality = Municipality.objects.get(code="2580")
        chair.save()
    factories.assign(body, chair, role="chair", seat=lulea, ends_on=in_term(2, 12, 31))
    substitute = factories.make_person(association, first_name="Sara", last_name="Ersättare",
                                       email="sara@example.org")  # fmt: skip
    factories.assign(body, substitute, role="substitute", seat=lulea, substitute_for=chair,
                     ends_on=in_term(2, 12, 31))  # fmt: skip
    return body, lulea, party, chair


def test_the_public_body_page_shows_no_contact_details(client, board):
    page = client.get(ON_A_DAY).text
    assert "Carina Ordförande" in page and "Luleå" in page and ">S<" in page
    assert "Sara Ersättare" in page and "Carina Ordförande" in page
    assert "Leder förbundet." in page and "riksdagspartier" in page
    assert "carina@example.org" not in page and "0920-111 11" not in page
    assert "sara@example.org" not in page
    # A logged-in person without any part in the association sees no more.
    client.force_login(factories.make_user())
    assert "carina@example.org" not in client.get(ON_A_DAY).text


def test_members_and_staff_see_contact_details(client, board, association):
    body, _lulea, party, _chair = board
    client.force_login(factories.make_staff(association, "viewer"))
    assert "carina@example.org" in client.get(ON_A_DAY).text
    client.force_login(factories.make_member(body, seat=party))
    assert "carina@example.org" in client.get(ON_A_DAY).text


def test_composition_on_a_past_date(client, board, association):
    body, lulea, _party, _chair = board
    successor = factories.make_person(association, first_name="Nils", last_name="Efterträdare")
    factories.assign(body, successor, role="chair", seat=lulea, starts_on=in_term(3, 1, 1))
    before = client.get(ON_A_DAY).text
    after = client.get(f"/norrbotten/organ/styrelse/?datum={in_term(3, 3, 1)}").text
    assert "Carina Ordförande" in before and "Nils Efterträdare" not in before
    assert "Nils Efterträdare" in after and "Carina Ordförande" not in after
    assert in_term(2, 3, 1).isoformat() in before


@pytest.mark.parametrize("value", ["igår", "2024-13-45", "0001-01-01", "9999-12-31", "' OR 1=1"])
def test_a_bad_date_falls_back_to_today(client, board, value):
    response = client.get("/norrbotten/organ/styrelse/", {"datum": value})
    assert response.status_code == 200


def test_vacancies_on_the_body_page_and_for_the_association(client, board, association):
    page = client.get(ON_A_DAY).text
    assert "Riksdagsparti" in page  # the party seat is empty
    client.force_login(factories.make_staff(association, "viewer"))
    # After the term's second year every Luleå place is empty too.
    page = client.get("/norrbotten/organ/vakanser/").text
    assert "Luleå" in page and "Riksdagsparti" in page
    assert "2 ledamotsplatser och 1 ersättarplatser" in page


def test_vacancies_for_the_next_term(client, board, association):
    with scopes_disabled():
        from governance.services import create_term

        create_term(association=association, actor=None, name=NEXT_TERM_NAME,
                    starts_on=NEXT_TERM_START, ends_on=NEXT_TERM_END)  # fmt: skip
    client.force_login(factories.make_staff(association, "viewer"))
    page = client.get("/norrbotten/organ/vakanser/?period=next").text
    assert NEXT_TERM_NAME in page and NEXT_TERM_START.isoformat() in page
    assert "Luleå" in page


def test_the_org_chart_nests_bodies_by_their_reporting_lines(client, association):
    assembly = factories.make_body(association, "fullmaktige", kind="assembly",
                                   name="Förbundsfullmäktige")  # fmt: skip
    board = factories.make_body(association, "styrelse", name="Styrelse", reports_to=assembly)
    factories.make_body(
        association, "forum", kind="informal_forum", name="Regionalt forum", reports_to=board,
        is_formal=False, outside_parties="Region Norrbotten",
    )  # fmt: skip
    page = client.get("/norrbotten/organ/").text
    outer = page.index("Förbundsfullmäktige")
    inner = page.index("Styrelse", outer)
    innermost = page.index("Regionalt forum", inner)
    # Each level opens a nested list inside the one above.
    assert page.count("<ul>", outer, innermost) >= 2
    assert "med Region Norrbotten" in page and "Informellt forum" in page


def test_a_loop_in_the_reporting_lines_still_shows_every_body(client, association):
    first = factories.make_body(association, "a", name="Organ A")
    second = factories.make_body(association, "b", name="Organ B", reports_to=first)
    with scopes_disabled():
        Body.objects.filter(pk=first.pk).update(reports_to=second)
    page = client.get("/norrbotten/organ/").text
    assert "Organ A" in page and "Organ B" in page


def test_staff_create_a_body_a_seat_a_person_and_an_assignment(client, association):
    factories.make_term(association)
    client.force_login(factories.make_staff(association, "editor"))
    response = client.post("/norrbotten/organ/ny/", {
        "name": "Socialberedning", "slug": "socialberedning", "kind": "preparatory_committee",
        "quorum_rule": "more_than_half", "chair_rule": "none", "ordering": 10, "is_formal": "on",
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        from members.models import Municipality

        kiruna = Municipality.objects.get(code="2584")
    response = client.post("/norrbotten/organ/socialberedning/platser/ny/", {
        "municipality": kiruna.pk, "members": 1, "substitutes": 1, "ordering": 1})  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        "/norrbotten/organ/personer/ny/",
        {"first_name": "Kim", "last_name": "Kiruna", "municipality": kiruna.pk, "party": "C"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        kim = Person.objects.get(last_name="Kiruna")
        seat = kim.association and Body.objects.get(slug="socialberedning").seats.get()
        term = factories.make_term(association)
    data = {"person": kim.pk, "seat": seat.pk, "role": "member", "term": term.pk,
            "starts_on": str(in_term(1, 1, 1)), "ends_on": str(in_term(4, 12, 31))}  # fmt: skip
    assert client.post("/norrbotten/organ/socialberedning/uppdrag/ny/", data).status_code == 302
    # The same again is refused on the form, with what was typed kept.
    other = factories.make_person(association)
    response = client.post("/norrbotten/organ/socialberedning/uppdrag/ny/",
                           {**data, "person": other.pk})  # fmt: skip
    assert response.status_code == 200
    assert "Kiruna" in response.text and f'value="{in_term(1, 1, 1)}"' in response.text
    assert "errorlist" in response.text
    with scopes_disabled():
        assert Assignment.objects.filter(person=kim).count() == 1
        actions = set(AuditEntry.objects.filter(association=association).values_list(
            "object_type", "action"))  # fmt: skip
    expected = {("governance.body", "created"), ("governance.seat", "created"),
                ("governance.person", "created"), ("governance.assignment", "created")}  # fmt: skip
    assert expected <= actions


def test_a_reserved_word_cannot_be_a_body_address(client, association):
    client.force_login(factories.make_staff(association, "editor"))
    response = client.post("/norrbotten/organ/ny/", {
        "name": "Personer", "slug": "personer", "kind": "other", "quorum_rule": "none",
        "chair_rule": "none", "ordering": 1})  # fmt: skip
    assert response.status_code == 200
    assert "errorlist" in response.text


def test_a_reporting_line_may_not_go_in_a_circle(client, association):
    first = factories.make_body(association, "a", name="Organ A")
    factories.make_body(association, "b", name="Organ B", reports_to=first)
    client.force_login(factories.make_staff(association, "editor"))
    with scopes_disabled():
        second = Body.objects.get(slug="b")
    response = client.post("/norrbotten/organ/a/andra/", {
        "name": "Organ A", "slug": "a", "kind": "board", "quorum_rule": "more_than_half",
        "chair_rule": "none", "ordering": 1, "reports_to": second.pk, "version": 1})  # fmt: skip
    assert response.status_code == 200
    assert "circle" in response.text or "cirkel" in response.text


def test_body_history_lists_every_change(client, board, association):
    client.force_login(factories.make_staff(association, "viewer"))
    page = client.get("/norrbotten/organ/styrelse/historik/").text
    assert "Carina Ordförande" in page and "Sara Ersättare" in page


def test_exports_of_a_body_and_of_all_assignments(client, board, association):
    client.force_login(factories.make_staff(association, "viewer"))
    response = client.get(f"/norrbotten/organ/styrelse/ledamoter.csv?datum={in_term(2, 3, 1)}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = {tuple(row[2:4]) for row in rows}
    assert ("Carina", "Ordförande") in names and ("Sara", "Ersättare") in names
    assert any("carina@example.org" in row for row in rows)
    response = client.get("/norrbotten/organ/uppdrag.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Carina" in values and "Sara" in values


def test_an_export_neutralises_formulas(client, association):
    factories.make_term(association)
    body = factories.make_body(association)
    evil = factories.make_person(association, first_name="=HYPERLINK(1)", last_name="X")
    factories.assign(body, evil)
    client.force_login(factories.make_staff(association, "viewer"))
    text = client.get("/norrbotten/organ/uppdrag.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_invite_a_person_to_log_in(client, association, smtp_server,
                                   django_capture_on_commit_callbacks):  # fmt: skip
    person = factories.make_person(association, first_name="Ida", last_name="Inbjuden",
                                   email="Ida@Example.org")  # fmt: skip
    client.force_login(factories.make_staff(association, "editor"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/norrbotten/organ/personer/{person.pk}/bjud-in/")
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"] == "ida@example.org"
    with scopes_disabled():
        person.refresh_from_db()
        assert person.user is not None and person.user.email == "ida@example.org"
        assert AuditEntry.objects.filter(action="account_linked").exists()


def test_a_person_without_email_cannot_be_invited(client, association):
    person = factories.make_person(association)
    client.force_login(factories.make_staff(association, "editor"))
    response = client.post(f"/norrbotten/organ/personer/{person.pk}/bjud-in/", follow=True)
    assert response.status_code == 200
    with scopes_disabled():
        person.refresh_from_db()
    assert person.user is None


def test_no_personal_identity_number_is_stored():
    names = {field.name for field in Person._meta.get_fields()}
    assert not {"personal_number", "personnummer", "ssn", "identity_number"} & names


def test_staff_see_every_seat_with_its_filled_places(client, board, association):
    _body, lulea, party, _chair = board
    client.force_login(factories.make_staff(association, "editor"))
    page = client.get(ON_A_DAY).text
    assert f"/norrbotten/organ/styrelse/platser/{lulea.pk}/" in page  # filled, still editable
    assert f"/norrbotten/organ/styrelse/platser/{party.pk}/" in page
    assert "1 / 1" in page and "0 / 1" in page
    client.logout()
    assert f"platser/{lulea.pk}/" not in client.get("/norrbotten/organ/styrelse/").text
