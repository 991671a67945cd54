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


def _fail_login(client, email, **headers):
    return client.post("/accounts/login/", {"login": email, "password": "wrong"}, **headers)


def _log_in(client, email, **headers):
    client.post("/accounts/login/", {"login": email, "password": factories.PASSWORD}, **headers)
    logged_in = "_auth_user_id" in client.session
    client.logout()
    return logged_in


def test_failed_logins_for_one_account_do_not_lock_another_from_elsewhere(settings, db):
    """Behind a proxy that names the client: limits count per account and per real address."""
    from django.test import Client

    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    factories.make_user("a@example.org")
    factories.make_user("b@example.org")
    attacker, colleague = Client(), Client()
    for _ in range(25):  # more than both the per-account and the per-address limit
        _fail_login(attacker, "a@example.org", HTTP_X_REAL_IP="198.51.100.7")
    # Everyone reaches the portal through the same proxy (the test client's REMOTE_ADDR).
    assert _log_in(colleague, "b@example.org", HTTP_X_REAL_IP="203.0.113.20")
    assert not _log_in(colleague, "a@example.org", HTTP_X_REAL_IP="203.0.113.20")  # per account
    assert not _log_in(attacker, "b@example.org", HTTP_X_REAL_IP="198.51.100.7")  # per address


def test_a_spoofed_forwarded_for_is_ignored_without_configuration(settings, db):
    from django.test import Client

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    assert settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None
    factories.make_user("b@example.org")
    attacker = Client()
    # Different accounts each time, and a new "address" each time: only the real one counts.
    for number in range(25):
        _fail_login(
            attacker, f"guess{number}@example.org", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"
        )
    assert not _log_in(attacker, "b@example.org", HTTP_X_FORWARDED_FOR="192.0.2.200")


def test_trusted_proxy_settings_come_from_the_environment():
    import os
    import subprocess
    import sys

    from tests.association.test_checks import BASE_DIR

    code = (
        "from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    for env, expected in [
        ({"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "X-Real-IP 0"),
        ({"TRUSTED_PROXY_COUNT": "2"}, "None 2"),
        ({}, "None 0"),
    ]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("TRUSTED_")}
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR,
            env={**clean, **env}, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_too_many_requests_get_a_styled_swedish_page(settings, client, db):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _ in range(2):
        _fail_login(client, "x@example.org")
    response = _fail_login(client, "x@example.org")
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "css/samverka.css" in html  # the portal's own layout (base.html)
    assert "För många försök" in html
    assert "Too Many Requests" not in html
