import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.models import AuditEntry
from association.tenancy import scopes_disabled
from governance.decisions.models import MemberResponse
from tests import factories
from tests.decisions.conftest import members_of

pytestmark = pytest.mark.django_db


def status_url(decision, suffix=""):
    return f"/{decision.association.slug}/beslut/{decision.pk}/rekommendation/{suffix}"


def form_data(client, decision) -> dict:
    """The staff form as the browser would send it unchanged."""
    response = client.get(status_url(decision, "svar/"))
    assert response.status_code == 200
    return the_form(response.content.decode())


def the_form(html: str) -> dict:
    from tests.test_form_fuzz import forms_on

    (form,) = [f for f in forms_on("/x/svar/", html) if f.action.endswith("/svar/")]
    return {name: field.value for name, field in form.fields.items()}


def row_prefix(data: dict, code: str) -> str:
    from members.models import Municipality

    pk = str(Municipality.objects.get(code=code).pk)
    key = next(k for k, v in data.items() if k.endswith("-municipality") and v == pk)
    return key.removesuffix("-municipality")


def test_status_page_counts_and_lists_every_member(client, association, members, recommendation):
    factories.make_membership(association, "2584", joined_on=datetime.date(2026, 6, 1))  # later
    with scopes_disabled():
        MemberResponse.objects.create(
            association=association, decision=recommendation, municipality=members[0].municipality,
            outcome="adopted", decided_on=datetime.date(2026, 6, 2), version=1,
            decision_url="https://kommun.example.org/beslut/1",
        )  # fmt: skip
        MemberResponse.objects.create(
            association=association, decision=recommendation, municipality=members[1].municipality,
            outcome="rejected", decided_on=datetime.date(2026, 6, 3), version=1,
        )  # fmt: skip
    response = client.get(status_url(recommendation))
    assert response.status_code == 200
    status = response.context["status"]
    assert status.members == 5  # Kiruna joined after the meeting: not asked
    assert (status.settled, status.pending) == (2, 3)
    assert dict(status.counts)["Antagen enligt rekommendationen"] == 1
    html = response.content.decode()
    assert "https://kommun.example.org/beslut/1" in html
    assert "Kiruna" not in html


def test_public_sees_only_a_public_locked_recommendation(client, association, board, members,
                                                          recommendation):  # fmt: skip
    with scopes_disabled():
        draft = factories.make_decision(
            factories.make_item(recommendation.item.meeting, "Utkast"), is_recommendation=True
        )
        hidden = factories.make_decision(
            factories.make_item(recommendation.item.meeting, "Sluten"),
            is_recommendation=True, is_locked=True, is_public=False,
        )  # fmt: skip
    assert client.get(status_url(recommendation)).status_code == 200
    assert client.get(status_url(draft)).status_code == 404
    assert client.get(status_url(hidden)).status_code == 404
    client.force_login(factories.make_member(board))
    assert client.get(status_url(draft)).status_code == 200
    assert client.get(status_url(hidden)).status_code == 200


def test_staff_record_several_municipalities_on_one_page(client, association, members,
                                                         recommendation):  # fmt: skip
    editor = factories.make_staff(association, "editor")
    client.force_login(editor)
    data = form_data(client, recommendation)
    first, second = (
        row_prefix(data, members[0].municipality.code),
        row_prefix(data, members[1].municipality.code),
    )
    data.update({
        f"{first}-outcome": "adopted", f"{first}-decided_on": "2026-06-10",
        f"{first}-decision_url": "https://kommun.example.org/protokoll",
        f"{second}-outcome": "not_to_be_decided",
    })  # fmt: skip
    response = client.post(status_url(recommendation, "svar/"), data)
    assert response.status_code == 302
    with scopes_disabled():
        rows = {r.municipality_id: r for r in MemberResponse.objects.all()}
        assert len(rows) == 2  # unchanged rows are not stored
        saved = rows[members[0].municipality_id]
        assert (saved.outcome, saved.decided_on, saved.version) == (
            "adopted", datetime.date(2026, 6, 10), 1,
        )  # fmt: skip
        assert rows[members[1].municipality_id].decided_on is None
        assert AuditEntry.objects.filter(object_type="decisions.memberresponse").count() == 2


@pytest.mark.parametrize(
    ("outcome", "day", "error"),
    [
        ("adopted", "", "Ange datumet"),
        ("", "2026-06-10", "Välj utfallet"),
        ("rejected", "2026-05-01", "före rekommendationen"),
        ("rejected", "2030-01-01", "framtiden"),
    ],
)
def test_wrong_answers_are_refused_on_their_row(client, association, members, recommendation,
                                                outcome, day, error):  # fmt: skip
    client.force_login(factories.make_staff(association, "editor"))
    data = form_data(client, recommendation)
    row = row_prefix(data, members[2].municipality.code)
    data.update({f"{row}-outcome": outcome, f"{row}-decided_on": day})
    response = client.post(status_url(recommendation, "svar/"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    with scopes_disabled():
        assert not MemberResponse.objects.exists()


def test_concurrent_edits_of_one_municipality_are_detected(client, association, members,
                                                           recommendation):  # fmt: skip
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(factories.make_staff(association, "editor"))
    second.force_login(factories.make_staff(association, "editor"))
    seen_by_first = form_data(first, recommendation)
    seen_by_second = form_data(second, recommendation)
    lulea = row_prefix(seen_by_first, members[0].municipality.code)
    other = row_prefix(seen_by_first, members[1].municipality.code)
    seen_by_first.update({f"{lulea}-outcome": "adopted", f"{lulea}-decided_on": "2026-06-10"})
    assert first.post(status_url(recommendation, "svar/"), seen_by_first).status_code == 302
    # The second editor changed another row only: no conflict, the first one's save stays.
    only_other = dict(seen_by_second, **{f"{other}-outcome": "not_to_be_decided"})
    assert second.post(status_url(recommendation, "svar/"), only_other).status_code == 302
    # The same row from the old page: refused, current values shown, nothing overwritten.
    seen_by_second.update({f"{lulea}-outcome": "rejected", f"{lulea}-decided_on": "2026-06-11"})
    response = second.post(status_url(recommendation, "svar/"), seen_by_second)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Någon annan har sparat" in html and "Antagen enligt rekommendationen" in html
    with scopes_disabled():
        saved = MemberResponse.objects.get(municipality=members[0].municipality)
        assert (saved.outcome, saved.version) == ("adopted", 1)
    # Saving again after seeing the current values is a deliberate overwrite.
    again = the_form(html)
    assert second.post(status_url(recommendation, "svar/"), again).status_code == 302
    with scopes_disabled():
        saved.refresh_from_db()
        assert (saved.outcome, saved.version) == ("rejected", 2)


def test_open_recommendations_list(client, association, members, recommendation):
    url = f"/{association.slug}/beslut/rekommendationer/"
    assert recommendation.item.title in client.get(url).content.decode()
    with scopes_disabled():
        for membership in members:
            MemberResponse.objects.create(
                association=association, decision=recommendation, outcome="adopted",
                municipality=membership.municipality, decided_on=datetime.date(2026, 6, 1),
            )  # fmt: skip
    assert recommendation.item.title not in client.get(url).content.decode()
    assert recommendation.item.title in client.get(url + "?alla=1").content.decode()


def test_a_plain_decision_has_no_recommendation_page(client, association, past_meeting):
    decision = factories.make_decision(factories.make_item(past_meeting), is_locked=True)
    assert client.get(status_url(decision)).status_code == 404


def _count(client, url) -> int:
    client.get(url)  # warm the person's cached facts (a logged-in visitor: no page cache)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_make_as_many_queries_for_80_members_as_for_5(client, association,
                                                             recommendation):  # fmt: skip
    client.force_login(factories.make_staff(association, "editor"))
    urls = [status_url(recommendation), status_url(recommendation, "svar/"),
            f"/{association.slug}/beslut/rekommendationer/"]  # fmt: skip
    members = members_of(association, 5)
    with scopes_disabled():
        MemberResponse.objects.create(
            association=association, decision=recommendation, outcome="adopted",
            municipality=members[0].municipality, decided_on=datetime.date(2026, 6, 1),
        )  # fmt: skip
    few = [_count(client, url) for url in urls]
    more = members_of(association, 80)[5:]
    with scopes_disabled():
        for membership in more[:40]:
            MemberResponse.objects.create(
                association=association, decision=recommendation, outcome="rejected",
                municipality=membership.municipality, decided_on=datetime.date(2026, 6, 1),
            )  # fmt: skip
    many = [_count(client, url) for url in urls]
    assert few == many


def test_a_damaged_form_is_refused_with_a_message(client, association, members, recommendation):
    client.force_login(factories.make_staff(association, "editor"))
    data = form_data(client, recommendation)
    row = row_prefix(data, members[0].municipality.code)
    data.update({f"{row}-outcome": "not_to_be_decided", f"{row}-version": "x"})
    response = client.post(status_url(recommendation, "svar/"), data)
    assert response.status_code == 200
    assert "Formuläret var inaktuellt eller skadat" in response.content.decode()
    with scopes_disabled():
        assert not MemberResponse.objects.exists()


def test_one_municipality_twice_in_a_tampered_form_is_refused(client, association, members,
                                                              recommendation):  # fmt: skip
    client.force_login(factories.make_staff(association, "editor"))
    data = form_data(client, recommendation)
    first = row_prefix(data, members[0].municipality.code)
    second = "svar-0" if first != "svar-0" else "svar-1"
    data[f"{second}-municipality"] = data[f"{first}-municipality"]
    data.update({f"{first}-outcome": "not_to_be_decided", f"{second}-outcome": "rejected",
                 f"{second}-decided_on": "2026-06-01"})  # fmt: skip
    response = client.post(status_url(recommendation, "svar/"), data)
    assert response.status_code == 200
    with scopes_disabled():
        assert not MemberResponse.objects.exists()
