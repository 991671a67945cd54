"""A logged-in person's facts (switcher, second factor, rights) come from the cache, and
every change to their rows is seen on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.models import RoleAssignment
from association.services import assign_role, revoke_role
from association.tenancy import scopes_disabled, tenant_scope
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_new_role_shows_in_the_switcher_at_once(client, association, other_association):
    person = factories.make_staff(association, "viewer")
    client.force_login(person)
    assert "Annat förbund" not in client.get("/norrbotten/").text
    with scopes_disabled():
        assign_role(association=other_association, user=person, role="viewer", actor=None)
    page = client.get("/norrbotten/").text
    assert 'class="switcher"' in page
    assert "Annat förbund" in page


def test_a_new_assignment_in_a_body_shows_in_the_switcher_at_once(
    client, association, other_association
):
    """An assignment has no user column of its own: it reaches the login through the person."""
    person = factories.make_staff(association, "viewer")
    body = factories.make_body(other_association, "styrelse", kind="board")
    member = factories.make_person(other_association, user=person)
    # Fixtures first: a write outside any scope bumps every version, which would hide the case.
    term = factories.make_term(other_association)
    client.force_login(person)
    assert "Annat förbund" not in client.get("/norrbotten/").text
    from governance.services import create_assignment

    with tenant_scope(other_association):  # as a staff page of that association would
        create_assignment(
            body=body, actor=None, person=member, seat=None, term=term, role="member",
            starts_on=term.starts_on, ends_on=term.ends_on,
        )  # fmt: skip
    page = client.get("/norrbotten/").text
    assert 'class="switcher"' in page
    assert "Annat förbund" in page


def test_a_revoked_role_closes_the_staff_pages_at_once(client, association):
    admin = factories.make_staff(association, "administrator")
    person = factories.make_staff(association, "viewer")
    client.force_login(person)
    assert client.get("/norrbotten/medlemmar/avgifter/").status_code == 200
    with tenant_scope(association):
        revoke_role(assignment=RoleAssignment.objects.get(user=person), actor=admin)
    assert client.get("/norrbotten/medlemmar/avgifter/").status_code == 403


def test_a_new_second_factor_is_seen_at_once(client, association):
    person = factories.make_staff(association, "viewer", totp=False)
    client.force_login(person)
    assert client.get("/norrbotten/medlemmar/avgifter/").status_code == 302
    factories.give_totp(person)
    assert client.get("/norrbotten/medlemmar/avgifter/").status_code == 200


def test_a_logged_in_page_asks_the_database_only_for_the_person(client, association):
    client.force_login(factories.make_staff(association, "administrator"))
    client.get("/norrbotten/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/norrbotten/").status_code == 200
    tables = [query["sql"].split('FROM "', 1)[1].split('"', 1)[0] for query in queries]
    assert tables == ["association_user"], tables
