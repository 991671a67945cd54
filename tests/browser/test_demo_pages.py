"""axe-core on the three demo associations with all their data: full member tables, fee
breakdowns and charts, bodies and seats, as a visitor and as staff."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from association.demo import DEMO_PASSWORD
from tests.browser.conftest import submit_password
from tests.browser.test_accessibility import check_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_SLUGS = ["norrbotten", "vasternorrland", "umearegionen"]


@pytest.fixture
def site(transactional_db, settings):
    """Replaces the synthetic site: the demo data, written before the browser starts."""
    # The demo switches the second factor off; this test is about the pages, not the login.
    settings.REQUIRE_MFA_FOR_STAFF = False
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    from agreements.models import Agreement
    from association.tenancy import scopes_disabled
    from members.models import AdoptedFeeSchedule, Membership

    with scopes_disabled():
        return {
            "agreements": {
                a.association.slug: a.pk
                for a in Agreement.objects.filter(is_published=True).select_related("association")
            },
            "membership": Membership.objects.filter(association__slug="norrbotten").first(),
            "adoption": AdoptedFeeSchedule.objects.filter(association__slug="norrbotten").first(),
        }


@pytest.mark.parametrize("width", [1280, 375])
def test_demo_public_pages_have_no_wcag_violations(site, page, check_accessibility, width):
    paths = []
    for slug in DEMO_SLUGS:
        paths += [f"/{slug}/", f"/{slug}/medlemmar/", f"/{slug}/medlemmar/?year=2024",
                  f"/{slug}/organ/", f"/{slug}/medlemmar/kommuner/"]  # fmt: skip
    paths += ["/umearegionen/organ/overformyndarnamnd/", "/norrbotten/organ/styrelse/"]
    paths += [f"/{slug}/avtal/{pk}/" for slug, pk in site["agreements"].items()]
    paths += [f"/{slug}/natverk/" for slug in DEMO_SLUGS]
    paths += ["/vasternorrland/natverk/politiknatverk/", "/umearegionen/natverk/urax-gruppen/"]
    problems = check_pages(page, check_accessibility, paths, width)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_demo_staff_pages_have_no_wcag_violations(site, page, check_accessibility):
    page.goto("/accounts/login/")
    submit_password(page, "administrator.norrbotten@demo.samverka.se", DEMO_PASSWORD)
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()
    membership = site["membership"]
    paths = [
        "/norrbotten/medlemmar/avgifter/",
        "/norrbotten/medlemmar/avgiftsregler/",
        "/norrbotten/medlemmar/avgifter/?year=2026",
        "/norrbotten/medlemmar/avgifter/2026/faststall/",
        "/norrbotten/medlemmar/siffror/",
        "/norrbotten/medlemmar/siffror/korrigeringar/ny/",
        f"/norrbotten/medlemmar/avgifter/faststallda/{site['adoption'].pk}/",
        "/norrbotten/medlemmar/ny/",
        f"/norrbotten/medlemmar/{membership.pk}/",
        f"/norrbotten/medlemmar/{membership.pk}/andra/",
        "/norrbotten/historik/",
        f"/norrbotten/avtal/alla/{site['agreements']['norrbotten']}/",
        f"/norrbotten/avtal/alla/{site['agreements']['norrbotten']}/andra/",
        f"/norrbotten/avtal/alla/{site['agreements']['norrbotten']}/uppsagning/",
        f"/norrbotten/avtal/alla/{site['agreements']['norrbotten']}/uppfoljning/plan/",
        "/norrbotten/natverk/alla/",
        "/norrbotten/natverk/natverk-socialtjanst/medlemmar/",
        "/norrbotten/natverk/arsrapporter/",
    ]
    problems = []
    for width in (1280, 375):
        problems += check_pages(page, check_accessibility, paths, width)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_platform_figure_pages_have_no_wcag_violations(site, page, check_accessibility):
    page.goto("/accounts/login/")
    submit_password(page, "admin@demo.samverka.se", DEMO_PASSWORD)
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()
    problems = check_pages(page, check_accessibility, ["/", "/plattform/siffror/"], 1280)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors
