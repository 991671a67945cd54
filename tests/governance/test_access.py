"""Access follows assignments by date, with no manual step: computed from the dates on each
request, so the first and the last day count and the day after does not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from association.permissions import Access, user_has_access
from association.tenancy import tenant_scope
from tests import factories

SECRET = "Handlingarna ligger i mappen."


@pytest.fixture
def body(association):
    factories.make_term(association)
    return factories.make_body(association, members_information=SECRET)


def can_see(client, user) -> bool:
    client.force_login(user)
    return SECRET in client.get("/norrbotten/organ/styrelse/").text


def member_from(body, starts_on, ends_on):
    return factories.make_member(body, starts_on=starts_on, ends_on=ends_on)


def test_access_from_the_first_day_to_the_last(client, body):
    today = timezone.localdate()
    day = timedelta(days=1)
    starts_today = member_from(body, today, today + 30 * day)
    starts_tomorrow = member_from(body, today + day, today + 30 * day)
    ends_today = member_from(body, today - 30 * day, today)
    ended_yesterday = member_from(body, today - 30 * day, today - day)
    assert can_see(client, starts_today)
    assert not can_see(client, starts_tomorrow)
    assert can_see(client, ends_today)
    assert not can_see(client, ended_yesterday)
    assert not can_see(client, factories.make_user())


def test_staff_see_members_material_without_an_assignment(client, body, association):
    assert can_see(client, factories.make_staff(association, "viewer"))


def test_body_member_and_board_levels(rf, association, other_association):
    """The predicates later pages will declare, answered by governance through the shared
    permission registry: BODY_MEMBER (sits in any body here today) and BOARD."""
    board = factories.make_body(association, "styrelse", kind="board")
    committee = factories.make_body(association, "socialberedning", kind="preparatory_committee")
    elsewhere = factories.make_body(other_association, "styrelse", kind="board")
    factories.make_term(association)
    factories.make_term(other_association)
    board_member = factories.make_member(board)
    committee_member = factories.make_member(committee)
    member_elsewhere = factories.make_member(elsewhere)
    viewer = factories.make_staff(association, "viewer")

    def access(user, level):
        request = rf.get("/")
        request.user = user
        request.association = association
        with tenant_scope(association):
            return user_has_access(request, level)

    assert access(board_member, Access.BOARD)
    assert access(board_member, Access.BODY_MEMBER)
    assert not access(committee_member, Access.BOARD)
    assert access(committee_member, Access.BODY_MEMBER)
    assert not access(member_elsewhere, Access.BODY_MEMBER)  # a seat in another association
    assert not access(member_elsewhere, Access.BOARD)
    assert access(viewer, Access.BODY_MEMBER)  # staff see what members see
    assert not access(viewer, Access.BOARD)  # but do not act as the board


def test_association_permissions_imports_no_governance():
    """The dependency points one way: governance registers its rules with association."""
    import ast
    from pathlib import Path

    import association

    root = Path(association.__file__).parent
    for name in ("permissions.py", "queries.py", "mixins.py", "views.py"):
        tree = ast.parse((root / name).read_text())
        imported = {
            node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}  # fmt: skip
        assert not any(module and module.startswith("governance") for module in imported), name


def test_my_bodies_and_the_switcher(client, association, other_association):
    board = factories.make_body(association, "styrelse", kind="board", name="Styrelsen")
    elsewhere = factories.make_body(other_association, "rad", kind="council", name="Rådet")
    factories.make_term(association)
    factories.make_term(other_association)
    user = factories.make_member(board)
    factories.make_member(elsewhere, user=user, role="chair")
    client.force_login(user)
    page = client.get("/norrbotten/organ/mina/").text
    assert "Styrelsen" in page and "Rådet" not in page
    # The account page lists both, and the switcher offers both associations.
    account = client.get("/konto/").text
    assert "Styrelsen" in account and "Rådet" in account
    assert "Annat förbund" in client.get("/norrbotten/").text
