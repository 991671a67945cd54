"""The minutes in Chromium: staff (the secretary) record a meeting and draft the minutes;
two adjusters log in with their second factor and approve; the minutes are then public and
their notice is on the notice board and in its Atom feed."""

import datetime
import re

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in_with_totp, submit_password, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(site):
    """A board meeting (notice sent) with a chair and a member who have TOTP; written before
    the browser starts."""
    from association.tenancy import scopes_disabled
    from governance.meetings import services

    adjusters = []
    for first, role in (("Cecilia", "chair"), ("Jonas", "member")):
        user = factories.make_user(f"{first.lower()}@example.org", first_name=first,
                                   last_name="Justerare")  # fmt: skip
        factories.make_member(site.first_body, user, role=role)
        adjusters.append((user, factories.give_totp(user)))
    start = factories.days_from_today(-1)  # held yesterday
    with scopes_disabled():
        meeting = services.create_meeting(
            body=site.first_body, actor=None, starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )  # fmt: skip
        services.add_item(meeting=meeting, actor=None, title="Budget 2027",
                          proposed_decision="Styrelsen fastställer budgeten.")  # fmt: skip
        services.add_item(meeting=meeting, actor=None, title="Personalfrågor", is_public=False)
        services.send_notice(meeting=meeting, actor=None)
    return meeting, adjusters


def log_in(page, email, secret):
    page.goto("/accounts/login/")
    submit_password(page, email, factories.PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    main = page.locator("main")
    main.get_by_label("Kod").fill(totp_code(secret))
    main.get_by_role("button", name="Logga in").click()
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()


def test_secretary_records_two_adjusters_approve_and_the_public_reads(
    site, meeting, page, check_accessibility
):
    """axe-core (WCAG 2.1 A/AA) checks each page of the flow on the way."""
    meeting, adjusters = meeting
    problems = []

    def check():
        report = check_accessibility(page)
        if report:
            problems.append(report)

    base = f"/{site.first.slug}/moten/{meeting.pk}"
    log_in_with_totp(page, site)
    page.goto(f"{base}/")
    main = page.locator("main")
    main.get_by_role("link", name="För protokoll").click()
    check()
    main.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_text("Närvaron är sparad.")).to_be_visible()
    main.get_by_role("link", name=re.compile("Anteckna beslutet.*Budget 2027")).click()
    text = main.get_by_label(re.compile("^beslut:?$", re.IGNORECASE))
    expect(text).to_have_value("Styrelsen fastställer budgeten.")
    check()
    main.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_text("Beslutet är sparat.")).to_be_visible()
    main.get_by_role("link", name="Protokollet", exact=True).click()
    main.get_by_role("button", name="Upprätta protokollet").click()
    expect(page.get_by_text("Protokollet är upprättat")).to_be_visible()
    check()
    for label in main.locator("input[name=adjusters]").all():
        label.uncheck()
    main.get_by_label("Cecilia Justerare").check()
    main.get_by_label("Jonas Justerare").check()
    opening = main.get_by_label(re.compile("^inledande text", re.IGNORECASE))
    opening.fill("Ordföranden hälsade alla välkomna.")
    main.get_by_role("button", name="Spara protokollet").click()
    expect(page.get_by_text("Protokollet är sparat.")).to_be_visible()
    main.get_by_role("button", name="Skicka för justering").click()
    expect(page.get_by_text("Protokollet är skickat till justerarna.")).to_be_visible()

    for number, (user, secret) in enumerate(adjusters):
        page.context.clear_cookies()
        log_in(page, user.email, secret)
        page.locator("header").get_by_role("link", name="Mina sammanträden").click()
        held_on = meeting.starts_at.astimezone(factories.STOCKHOLM).date()
        mine = page.locator("main").get_by_role("link", name=f"Förbundsstyrelse {held_on}")
        mine.click()
        expect(page).to_have_url(re.compile(r"/protokoll/justera/"))
        check()
        page.locator("main").get_by_role("button", name="Justera protokollet").click()
        done = "protokollet är nu justerat" if number == 1 else "Du har justerat protokollet."
        expect(page.get_by_text(done)).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{base}/protokoll/")
    main = page.locator("main")
    heading = main.get_by_role("heading", name=re.compile("Protokoll: Förbundsstyrelse"))
    expect(heading).to_be_visible()
    expect(main.get_by_text("Styrelsen fastställer budgeten.")).to_be_visible()
    expect(main.get_by_text("Ordföranden hälsade alla välkomna.")).to_be_visible()
    expect(main.get_by_text("Personalfrågor")).to_have_count(0)
    expect(main.get_by_text(re.compile("Cecilia Justerare: justerade"))).to_be_visible()
    check()
    # The adjustment posted the notice: on the public notice board and in its Atom feed.
    page.goto(f"/{site.first.slug}/anslagstavla/")
    with translation.override("sv"):
        held = date_format(meeting.starts_at.astimezone(factories.STOCKHOLM).date(), "j F Y")
    notice = page.locator("main").get_by_role("link", name=f"Förbundsstyrelse, {held}", exact=True)
    expect(notice).to_be_visible()
    check()
    feed = page.request.get(f"/{site.first.slug}/anslagstavla/atom.xml")
    assert feed.ok and "Förbundsstyrelse" in feed.text() and held in feed.text()
    assert not page.console_errors
    assert not problems, "\n".join(problems)
