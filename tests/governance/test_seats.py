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
