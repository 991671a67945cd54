"""REQUIRE_MFA_FOR_STAFF (on in the test settings): staff cannot work without a second factor."""

from django.urls import reverse

from tests import factories


def log_in(client, email):
    return client.post(
        reverse("account_login"), {"login": email, "password": factories.PASSWORD}, follow=True
    )


def test_setting_is_on_in_the_test_environment(settings):
    assert settings.REQUIRE_MFA_FOR_STAFF is True


def test_staff_without_second_factor_is_sent_to_set_one_up(client, association):
    factories.make_staff(association, "editor", "utan-tva@example.org", totp=False)
    response = log_in(client, "utan-tva@example.org")
    assert response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0] == reverse("mfa_index")
    assert response.status_code == 200
    # Every portal page sends them back there until a factor exists ...
    response = client.get(f"/{association.slug}/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")
    # ... while the set-up pages stay reachable (allauth first asks for the password again).
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": factories.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200


def test_platform_admin_without_second_factor_is_sent_to_set_one_up(client, db):
    factories.make_platform_admin("plattform@example.org", totp=False)
    response = log_in(client, "plattform@example.org")
    assert response.redirect_chain[-1][0] == reverse("mfa_index")


def test_staff_with_second_factor_is_asked_for_it_and_then_let_in(client, association):
    user = factories.make_staff(association, "editor", "med-tva@example.org", totp=False)
    secret = factories.give_totp(user)
    response = log_in(client, "med-tva@example.org")
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert not response.wsgi_request.user.is_authenticated
    code = factories.current_totp_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)
    assert response.wsgi_request.user.is_authenticated
    assert client.get(f"/{association.slug}/").status_code == 200


def test_people_without_a_staff_role_need_no_second_factor(client, association):
    factories.make_user("medlem@example.org")
    response = log_in(client, "medlem@example.org")
    assert response.wsgi_request.user.is_authenticated
    assert client.get(f"/{association.slug}/").status_code == 200


def test_the_requirement_can_be_turned_off(client, association, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    factories.make_staff(association, "editor", "demo@example.org", totp=False)
    log_in(client, "demo@example.org")
    assert client.get(f"/{association.slug}/").status_code == 200
