from datetime import date

from association.tenancy import scopes_disabled, tenant_scope
from governance.services import grant_seat, revoke_lapsed_seat_rights
from tests import factories


def test_a_seat_gives_the_body_page_its_members_section(client, association):
    body = factories.make_body(association, members_information="Mötet hålls i Luleå.")
    member = factories.make_seat(body)
    outsider = factories.make_user()
    client.force_login(outsider)
    assert "Mötet hålls i Luleå." not in client.get("/norrbotten/organ/styrelse/").text
    client.force_login(member)
    assert "Mötet hålls i Luleå." in client.get("/norrbotten/organ/styrelse/").text


def test_the_right_lapses_when_every_seat_has_ended(client, association):
    body = factories.make_body(association, members_information="Endast för ledamöter.")
    former = factories.make_user()
    current = factories.make_user()
    with scopes_disabled():
        grant_seat(body=body, user=former, role="member", starts_on=date(2019, 1, 1),
                   ends_on=date(2022, 12, 31), actor=None)  # fmt: skip
        grant_seat(body=body, user=current, role="member", starts_on=date(2023, 1, 1),
                   ends_on=None, actor=None)  # fmt: skip
    with tenant_scope(association):
        assert revoke_lapsed_seat_rights(association=association, today=date(2024, 6, 1)) == 1
    client.force_login(former)
    assert "Endast för ledamöter." not in client.get("/norrbotten/organ/styrelse/").text
    client.force_login(current)
    assert "Endast för ledamöter." in client.get("/norrbotten/organ/styrelse/").text


def test_body_member_and_board_levels(rf, association, other_association):
    """The predicates later pages will declare: BODY_MEMBER (any seat here) and BOARD."""
    from association.permissions import Access, user_has_access

    board = factories.make_body(association, "styrelse", kind="board")
    committee = factories.make_body(association, "socialberedning", kind="preparatory_committee")
    elsewhere = factories.make_body(other_association, "styrelse", kind="board")
    board_member = factories.make_seat(board)
    committee_member = factories.make_seat(committee)
    member_elsewhere = factories.make_seat(elsewhere)
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


def test_the_periodic_task_sweeps_every_association(association, other_association):
    from governance.tasks import revoke_lapsed_seat_rights as task

    for owner in (association, other_association):
        body = factories.make_body(owner)
        with scopes_disabled():
            grant_seat(
                body=body, user=factories.make_user(), role="member",
                starts_on=date(2015, 1, 1), ends_on=date(2018, 12, 31), actor=None,
            )  # fmt: skip
    assert task() == {"norrbotten": 1, "annat": 1}
    assert task() == {"norrbotten": 0, "annat": 0}
