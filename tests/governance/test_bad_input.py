"""No input to a governance form gives a 500 or saves half; another association's objects
are not valid choices."""

import pytest

from association.models import AuditEntry
from association.tenancy import scopes_disabled
from tests import factories
from tests.factories import in_term
from tests.urlwalk import project_pages

JUNK = {
    "name": "x" * 5000, "slug": "Ogiltig adress!", "kind": "spaceship", "quorum_rule": "1/3",
    "chair_rule": "lottery", "ordering": "-1", "meetings_per_year": "9999",
    "first_name": "", "last_name": "y" * 500, "email": "inte-en-adress", "phone": "1" * 100,
    "municipality": "999999", "members": "-3", "substitutes": "abc", "person": "0",
    "seat": "nope", "role": "emperor", "term": "", "starts_on": "2024-02-30",
    "ends_on": "igår", "substitute_for": "1e9", "substitute_order": "0", "version": "x",
    "first_year": "1066", "municipalities": "Atlantis", "reports_to": "-5", "year": "abc",
    "fixed_host": "'; DROP TABLE governance_body; --", "host_rotation": "[]",
}  # fmt: skip


@pytest.fixture
def world(association, other_association):
    factories.make_term(association)
    body = factories.make_body(association)
    seat = factories.make_post(body, "2580")
    person = factories.make_person(association)
    assignment = factories.assign(body, person, seat=seat)
    foreign_person = factories.make_person(other_association)
    return body, seat, person, assignment, foreign_person


def test_junk_posted_to_every_governance_page_is_refused_cleanly(client, association, world):
    body, seat, person, assignment, _ = world
    client.force_login(factories.make_staff(association, "administrator"))
    with scopes_disabled():
        history_before = AuditEntry.objects.count()
    values = {"association": "norrbotten", "body": body.slug}
    checked = refused = 0
    for page in project_pages():
        if not page.name.startswith("governance:") or page.name.endswith(("_csv", "_xlsx")):
            continue
        if page.name == "governance:person_invite" or page.name.endswith("_delete"):
            continue
        pk = {"governance:seat_update": seat.pk, "governance:assignment_update": assignment.pk,
              "governance:person_update": person.pk, "governance:person_detail": person.pk,
              "governance:rotation_update": 10**9}.get(page.name, 1)  # fmt: skip
        url = page.url(**{**values, "pk": pk}) if page.params else page.url()
        response = client.post(url, JUNK)
        assert response.status_code in (200, 302, 404, 405), f"{url} {response.status_code}"
        if response.status_code == 200 and "form" in (response.context or {}):
            assert response.context["form"].errors, url
            refused += 1
        checked += 1
    assert checked >= 10
    # Body, seat, assignment (new and edit), person (new and edit), term, rotation forms.
    assert refused >= 8
    with scopes_disabled():
        # Nothing was saved: no new history rows (each save writes one).
        assert AuditEntry.objects.count() == history_before


def test_another_associations_person_is_not_a_valid_choice(client, association, world):
    body, seat, _person, _assignment, foreign_person = world
    client.force_login(factories.make_staff(association, "editor"))
    with scopes_disabled():
        term = factories.make_term(association)
    response = client.post(f"/norrbotten/organ/{body.slug}/uppdrag/ny/", {
        "person": foreign_person.pk, "seat": seat.pk, "role": "member", "term": term.pk,
        "starts_on": in_term(1, 1, 1).isoformat(), "ends_on": in_term(4, 12, 31).isoformat(),
    })  # fmt: skip
    assert response.status_code == 200
    assert "person" in response.context["form"].errors


def test_a_stale_form_shows_the_current_values(client, association, world):
    _body, _seat, person, _assignment, _ = world
    client.force_login(factories.make_staff(association, "editor"))
    url = f"/norrbotten/organ/personer/{person.pk}/andra/"
    data = {"first_name": "Ny", "last_name": "Person", "version": 1}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "first_name": "Annan"})
    assert response.status_code == 200 and response.context["conflict"]
