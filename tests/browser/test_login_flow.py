"""A staff member's real journey: password, TOTP, language switch, association switch."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import submit_password, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOG_OUT = {"sv": "Logga ut", "en": "Log out"}
START_PAGE = re.compile(r"^http://[^/]+/$")


def switch_language(page, language_name: str):
    form = page.locator("header form.language-form")
    form.get_by_role("combobox").select_option(label=language_name)
    form.get_by_role("button").click()


def test_staff_logs_in_with_totp_then_switches_language_and_association(site, page):
    # The browser asks for Swedish, the site's default language.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.locator("header").get_by_role("link", name="Logga in").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    main = page.locator("main")
    submit_password(page, site.staff.email, site.password)

    # The second factor is asked for before anything else.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(main.get_by_role("heading", level=1)).to_have_text("Tvåfaktorsautentisering")
    main.get_by_label("Kod").fill(totp_code(site.totp_secret))
    main.get_by_role("button", name="Logga in").click()

    # Logged in, on the start page.
    expect(page).to_have_url(START_PAGE)
    header = page.locator("header")
    expect(header.get_by_role("button", name=LOG_OUT["sv"])).to_be_visible()
    expect(header.get_by_role("link", name=site.staff.email)).to_be_visible()

    # Into the first association through the start page's list.
    main.get_by_role("link", name=site.first.name).click()
    expect(page).to_have_url(re.compile(rf"/{site.first.slug}/$"))
    expect(header.locator(".brand")).to_have_text(site.first.name)
    nav = page.get_by_role("navigation", name=re.compile("Main|Huvud"))
    settings_link = nav.locator(f'a[href="/{site.first.slug}/installningar/"]')
    # Administrator here: the management links are offered.
    expect(settings_link).to_be_visible()

    # Swedish -> English and back with the header's language form; we stay on the page.
    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(header.get_by_role("button", name=LOG_OUT["en"])).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/{site.first.slug}/$"))
    switch_language(page, "Svenska")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(header.get_by_role("button", name=LOG_OUT["sv"])).to_be_visible()

    # Back to the list of all associations through the footer, then into the second one.
    page.locator("footer").get_by_role(
        "link", name=re.compile("All associations|Alla förbund")
    ).click()
    expect(page).to_have_url(START_PAGE)
    main.get_by_role("link", name=site.second.name).click()
    expect(page).to_have_url(re.compile(rf"/{site.second.slug}/$"))
    expect(header.locator(".brand")).to_have_text(site.second.name)
    expect(header.locator(".brand")).not_to_contain_text(site.first.name)
    # No role in the second association: still logged in, but only the public links.
    expect(header.get_by_role("button", name=LOG_OUT["sv"])).to_be_visible()
    expect(nav.locator(f'a[href="/{site.second.slug}/installningar/"]')).to_have_count(0)
    expect(nav.get_by_role("link", name=re.compile("Organisation"))).to_have_attribute(
        "href", f"/{site.second.slug}/organ/"
    )
    assert not page.console_errors, page.console_errors


def test_wrong_totp_code_keeps_the_person_out(site, page):
    page.goto("/accounts/login/")
    main = page.locator("main")
    submit_password(page, site.staff.email, site.password)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    wrong = f"{(int(totp_code(site.totp_secret)) + 1) % 1_000_000:06d}"
    code = main.get_by_label("Kod")
    code.fill(wrong)
    main.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    # The error is tied to the field, so screen readers announce it with the field.
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("header").get_by_role("link", name="Logga in")).to_be_visible()


def test_staff_without_second_factor_sets_up_totp_before_working(site, page, check_accessibility):
    page.goto("/accounts/login/")
    submit_password(page, site.newcomer.email, site.password)
    mfa_index = re.compile(r"/accounts/2fa/$")
    expect(page).to_have_url(mfa_index)
    # The portal stays closed until a second factor exists.
    page.goto(f"/{site.second.slug}/")
    expect(page).to_have_url(mfa_index)

    main = page.locator("main")
    main.get_by_role("link", name="Aktivera").click()
    # allauth asks for the password again before changing the account's security.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    main.get_by_label("Lösenord").fill(site.password)
    main.get_by_role("button", name="Verifiera").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    # The QR image says what it is, not the raw secret (that is in the text field).
    expect(main.get_by_role("img", name=re.compile(r"^QR"))).to_be_visible()
    report = check_accessibility(page)
    assert report is None, report
    # What a person would type from the app, computed from the secret the page shows.
    secret = main.get_by_label("Autentiseringshemlighet").input_value()
    main.get_by_label("Autentiseringskod").fill(totp_code(secret))
    main.get_by_role("button", name="Aktivera").click()

    # Recovery codes may be offered next; either way the portal now opens.
    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    page.goto(f"/{site.second.slug}/")
    expect(page).to_have_url(re.compile(rf"/{site.second.slug}/$"))
    expect(page.locator("header .brand")).to_have_text(site.second.name)
