"""Accounts: e-mail login, rate limits on the real cache, one person in several associations."""

from association.tenancy import scopes_disabled
from tests import factories


def test_login_by_email(client, db):
    factories.make_user("anna@example.org")
    response = client.post(
        "/accounts/login/", {"login": "anna@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_failed_logins_are_rate_limited_per_account(client, db):
    factories.make_user("target@example.org")
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": "target@example.org", "password": "wrong"}
        )
        assert response.status_code == 200
    # Even the right password is refused while the limit holds: the counter lives in Redis.
    response = client.post(
        "/accounts/login/", {"login": "target@example.org", "password": factories.PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_one_account_can_hold_roles_in_two_associations(client, db):
    first = factories.make_association("forsta")
    second = factories.make_association("andra")
    person = factories.make_staff(first, "editor")
    with scopes_disabled():
        from association.services import assign_role

        assign_role(association=second, user=person, role="viewer", actor=None)
    client.force_login(person)
    page = client.get("/konto/")
    assert "Förbund forsta" in page.text and "Förbund andra" in page.text
    assert client.get("/andra/historik/").status_code == 403  # viewer, not administrator


def test_signup_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert response.status_code in (200, 403)
    assert "password1" not in response.text


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_header_offers_a_switch_between_my_associations(client, db):
    first = factories.make_association("forsta")
    second = factories.make_association("andra")
    factories.make_association("tredje")
    person = factories.make_staff(first, "editor")
    with scopes_disabled():
        from association.services import assign_role

        assign_role(association=second, user=person, role="viewer", actor=None)
    client.force_login(person)
    page = client.get("/forsta/").text
    assert 'href="/andra/"' in page
    assert 'href="/tredje/"' not in page  # only associations the person belongs to


def test_a_recovery_code_stands_in_for_a_lost_authenticator(client, db):
    """Staff who lose their phone log in with one of their recovery codes, once."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    person = factories.make_user("tappad@example.org")
    factories.give_totp(person)
    codes = RecoveryCodes.activate(person).generate_codes()
    credentials = {"login": "tappad@example.org", "password": factories.PASSWORD}

    response = client.post("/accounts/login/", credentials)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)

    client.logout()
    client.post("/accounts/login/", credentials)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert "_auth_user_id" not in client.session  # a used code does not work twice


def _login_links(html: str) -> list[str]:
    import re

    return re.findall(r'href="(/accounts/login/[^"]*)"', html)


def test_the_login_link_does_not_nest_next_into_itself(client, db):
    factories.make_association("forsta")
    assert _login_links(client.get("/forsta/").text) == ["/accounts/login/?next=/forsta/"]
    page = client.get("/accounts/login/?next=/forsta/")
    assert _login_links(page.text) == ["/accounts/login/?next=/forsta/"]
    page = client.get("/accounts/password/reset/")
    assert _login_links(page.text)[0] == "/accounts/login/"
    assert not [link for link in _login_links(page.text) if "next=/accounts" in link]
