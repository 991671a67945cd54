"""Agreements: outside organisations, the staff pages, amendments with history, termination,
follow-up, signed documents and the public pages."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.forms import OrganisationForm
from agreements.models import Agreement, FollowUp, OutsideOrganisation
from agreements.validity import add_months
from association.models import AuditEntry
from association.tenancy import scopes_disabled, tenant_scope
from tests import factories
from tests.agreements.conftest import make_agreement
from tests.meetings.conftest import upload

pytestmark = pytest.mark.django_db


def url(association, name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"association": association.slug, **kwargs})


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("202100-2841", "202100-2841"), ("2021002841", "202100-2841"),
     ("222000-0653", "222000-0653")],
)  # fmt: skip
def test_organisation_numbers_with_a_good_check_digit_are_accepted(association, typed, stored):
    with tenant_scope(association):
        form = OrganisationForm(data={"name": "LTU", "organisation_number": typed,
                                      "kind": "university", "address": ""})  # fmt: skip
        assert form.is_valid(), form.errors
        assert form.cleaned_data["organisation_number"] == stored


@pytest.mark.parametrize("typed", ["202100-2842", "222000-0654", "19121212-1212", "12345", "abc"])
def test_organisation_numbers_that_fail_the_check_are_refused(association, typed):
    with tenant_scope(association):
        form = OrganisationForm(data={"name": "X", "organisation_number": typed, "kind": "other"})
        assert not form.is_valid()
        assert "organisation_number" in form.errors


def test_editor_registers_an_organisation_and_a_duplicate_name_is_refused(
    client, login, association, editor
):
    login(editor)
    data = {"name": "LTU", "organisation_number": "202100-2841", "kind": "university"}
    assert client.post(url(association, "organisation_create"), data).status_code == 302
    again = client.post(url(association, "organisation_create"), data)
    assert again.status_code == 200
    assert "redan registrerad" in again.text or "already registered" in again.text
    with scopes_disabled():
        assert OutsideOrganisation.objects.filter(association=association).count() == 1


def test_editor_creates_an_agreement_with_some_members_and_dates_in_order(
    client, login, association, editor, members, ltu
):
    login(editor)
    base = {
        "kind": "service", "title": "Turismavtal", "purpose": "Besöksnäring",
        "includes_association": "on", "municipalities": [m.pk for m in members[:2]],
        "organisations": [ltu.pk], "signed_on": "2024-01-10", "validity_kind": "fixed",
        "starts_on": "2024-02-01", "ends_on": "2024-01-31", "notice_months": "0",
        "period_months": "0", "responsible": editor.pk,
    }  # fmt: skip
    refused = client.post(url(association, "create"), base)
    assert refused.status_code == 200
    assert "slutdatum" in refused.text.lower() or "end date" in refused.text
    assert client.post(url(association, "create"), {**base, "ends_on": ""}).status_code == 200
    made = client.post(url(association, "create"), {**base, "ends_on": "2026-12-31"})
    assert made.status_code == 302
    with scopes_disabled():
        agreement = Agreement.objects.get(title="Turismavtal")
        assert set(agreement.municipalities.all()) == set(members[:2])
        assert list(agreement.organisations.all()) == [ltu]
        assert agreement.responsible == editor


def test_an_amendment_is_a_new_version_with_its_history_and_a_stale_edit_is_refused(
    client, login, association, editor, members
):
    agreement = make_agreement(association, municipalities=members)
    login(editor)
    form = {
        "kind": "letter_of_intent", "title": "Avsiktsförklaring (reviderad)",
        "signed_on": agreement.signed_on.isoformat(), "validity_kind": "until_terminated",
        "notice_months": "6", "period_months": "0", "municipalities": [members[0].pk],
        "version": agreement.version, "includes_association": "on",
    }  # fmt: skip
    assert client.post(url(association, "update", pk=agreement.pk), form).status_code == 302
    stale = client.post(url(association, "update", pk=agreement.pk), {**form, "title": "Annan"})
    assert stale.status_code == 200
    with scopes_disabled():
        agreement.refresh_from_db()
        assert (agreement.title, agreement.notice_months, agreement.version) == (
            "Avsiktsförklaring (reviderad)", 6, 2,
        )  # fmt: skip
        assert list(agreement.municipalities.all()) == [members[0]]
    page = client.get(url(association, "detail", pk=agreement.pk))
    assert "Avsiktsförklaring (reviderad)" in page.text
    assert "6" in page.text and "Luleå" in page.text  # the municipalities before and after
    with scopes_disabled():
        changes = {}
        for entry in AuditEntry.objects.filter(
            object_type="agreements.agreement", object_id=str(agreement.pk), action="updated"
        ):
            changes.update(entry.changes)
    assert changes["notice_months"] == [3, 6]
    assert changes["municipalities"][1] == str(members[0])
    assert changes["municipalities"][0].count(",") == 2  # the three before


def test_termination_asks_who_and_when_and_computes_the_end(client, login, association, editor):
    agreement = make_agreement(association)
    login(editor)
    target = url(association, "terminate", pk=agreement.pk)
    early = agreement.signed_on - timedelta(days=1)
    refused = client.post(target, {"given_by": "LTU", "given_on": early.isoformat()})
    assert refused.status_code == 200
    assert client.post(target, {"given_by": "", "given_on": "2026-01-01"}).status_code == 200
    assert client.post(target, {"given_by": "LTU", "given_on": "31/2 2026"}).status_code == 200
    today = timezone.localdate()
    given = {"given_by": "LTU", "given_on": today.isoformat()}
    assert client.post(target, given).status_code == 302
    with scopes_disabled():
        agreement.refresh_from_db()
        assert agreement.notice_given_by == "LTU"
        dates = agreement.dates(today)
    assert dates.status == "notice_given"
    assert dates.end == add_months(today, 3)
    again = client.post(target, {"given_by": "NoK", "given_on": today.isoformat()})
    assert again.status_code == 200  # notice already given: refused with a message
    page = client.get(url(association, "detail", pk=agreement.pk))
    assert add_months(today, 3).isoformat() in page.text


def test_follow_up_plan_makes_dated_occasions_once_and_staff_record_the_outcome(
    client, login, association, editor
):
    agreement = make_agreement(association)
    board = factories.make_body(association, "styrelse")
    login(editor)
    year = timezone.localdate().year
    plan = {"title": "Ledningsdialog", "rule": "twice_a_year", "first_on": f"{year}-03-31",
            "until": f"{year + 1}-12-31", "body": board.pk}  # fmt: skip
    target = url(association, "follow_up_plan", pk=agreement.pk)
    assert client.post(target, plan).status_code == 302
    assert client.post(target, plan).status_code == 302  # nothing new the second time
    refused = client.post(target, {**plan, "until": f"{year - 1}-01-01"})
    assert refused.status_code == 200
    with scopes_disabled():
        days = list(FollowUp.objects.filter(agreement=agreement).values_list("due_on", flat=True))
    assert days == [date(year, 3, 31), date(year, 9, 30), date(year + 1, 3, 31),
                    date(year + 1, 9, 30)]  # fmt: skip
    page = client.get(url(association, "detail", pk=agreement.pk))
    planning = reverse("meetings:planning", kwargs={"association": association.slug,
                                                    "body": "styrelse", "year": year})  # fmt: skip
    assert planning in page.text
    with scopes_disabled():
        first = FollowUp.objects.filter(agreement=agreement).first()
    outcome = {"done_on": f"{year}-03-31", "outcome": "Inriktningen står fast.", "version": 1}
    assert client.post(url(association, "outcome", pk=first.pk), outcome).status_code == 302
    assert "Inriktningen står fast." in client.get(url(association, "detail", pk=agreement.pk)).text


def test_public_pages_show_published_agreements_and_public_documents_only(
    client, login, association, editor, ltu
):
    from agreements.services import attach_document

    shown = make_agreement(association, title="Publicerat avtal", is_published=True,
                           organisations=[ltu], purpose="Samverkan om kompetens")  # fmt: skip
    hidden = make_agreement(association, title="Internt avtal")
    with scopes_disabled():
        public = attach_document(agreement=shown, actor=None, upload=upload(), title="Signerat",
                                 is_public=True)  # fmt: skip
        private = attach_document(agreement=shown, actor=None, upload=upload(), title="Utkast")
    listing = client.get(url(association, "public_list"))
    assert "Publicerat avtal" in listing.text and "Internt avtal" not in listing.text
    detail = client.get(url(association, "public_detail", pk=shown.pk))
    assert "Luleå tekniska universitet" in detail.text and "Samverkan om kompetens" in detail.text
    assert "Signerat" in detail.text and "Utkast" not in detail.text
    assert client.get(url(association, "public_detail", pk=hidden.pk)).status_code == 404
    doc = url(association, "public_document", pk=shown.pk, document=public.document_id)
    assert client.get(doc).status_code == 200
    secret = url(association, "public_document", pk=shown.pk, document=private.document_id)
    assert client.get(secret).status_code == 404
    # Staff download any of them, with versions.
    login(editor)
    staff = url(association, "document", pk=shown.pk, document=private.document_id)
    assert client.get(staff).status_code == 200
    new_version = url(association, "document_add_version", pk=shown.pk,
                      document=private.document_id)  # fmt: skip
    assert client.post(new_version, {"file": upload(), "note": "Signerad"}).status_code == 302
    first = url(association, "document_version", pk=shown.pk, document=private.document_id,
                number=1)  # fmt: skip
    assert client.get(first).status_code == 200
    refused = client.post(
        url(association, "document_add", pk=shown.pk),
        {"file": upload("x.html", b"<html><script>alert(1)</script></html>")},
    )
    assert refused.status_code == 200


def test_another_associations_agreement_is_not_found(client, login, association, other_association):
    agreement = make_agreement(other_association, is_published=True)
    login(factories.make_staff(association, "editor"))
    assert client.get(url(association, "detail", pk=agreement.pk)).status_code == 404
    assert client.get(url(association, "public_detail", pk=agreement.pk)).status_code == 404
    assert client.get(url(association, "terminate", pk=agreement.pk)).status_code == 404


def test_renaming_an_organisation_to_a_taken_name_is_refused_on_the_field(
    client, login, association, editor, ltu
):
    from agreements.services import create_organisation

    with scopes_disabled():
        rise = create_organisation(association=association, actor=None, name="RISE")
    login(editor)
    data = {"name": ltu.name, "kind": "agency", "version": rise.version}
    response = client.post(url(association, "organisation_update", pk=rise.pk), data)
    assert response.status_code == 200
    assert "redan registrerad" in response.text or "already registered" in response.text
    with scopes_disabled():
        rise.refresh_from_db()
    assert rise.name == "RISE"


def test_a_person_of_the_people_register_represents_an_organisation_of_the_register(
    client, login, association, editor, ltu
):
    login(editor)
    data = {"first_name": "Lena", "last_name": "Forskare", "outside_organisation": ltu.pk,
            "organisation": ""}  # fmt: skip
    response = client.post(reverse("governance:person_create",
                                   kwargs={"association": association.slug}), data)  # fmt: skip
    assert response.status_code == 302
    from governance.models import Person

    with scopes_disabled():
        person = Person.objects.get(last_name="Forskare")
        assert person.outside_organisation == ltu
        assert person.represents == "Luleå tekniska universitet"
