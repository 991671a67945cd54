"""axe-core (WCAG 2.1 A/AA) on the organisation chart and body pages with the demo data, at
desktop and phone width, as a visitor and as staff; the chart is nested lists, not an image."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from association.demo import DEMO_PASSWORD
from tests.browser.conftest import submit_password
from tests.browser.test_accessibility import check_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(transactional_db, settings):
    settings.REQUIRE_MFA_FOR_STAFF = False
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    from association.tenancy import scopes_disabled
    from governance.models import Assignment, Person

    with scopes_disabled():
        return {
            "person": Person.objects.filter(association__slug="norrbotten").first(),
            "assignment": Assignment.objects.filter(
                association__slug="umearegionen", body__slug="umearegionradet"
            ).first(),
        }


PUBLIC = [
    "/norrbotten/organ/",
    "/vasternorrland/organ/",
    "/umearegionen/organ/",
    "/norrbotten/organ/styrelse/",
    "/norrbotten/organ/regionalt-forum/",
    "/umearegionen/organ/umearegionradet/?datum=2023-05-01",
    "/umearegionen/organ/kommunchefsgruppen/?datum=2023-05-01",
    "/umearegionen/organ/it-namnden/",
    "/umearegionen/organ/vardkommuner/",
]


@pytest.mark.parametrize("width", [1280, 375])
def test_chart_and_body_pages_have_no_wcag_violations(site, page, check_accessibility, width):
    problems = check_pages(page, check_accessibility, PUBLIC, width)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors
    # The chart is a tree of lists: the board is a list item inside the assembly's item.
    page.goto("/norrbotten/organ/")
    nested = page.locator(".org-chart > li > ul > li").filter(has_text="Styrelse")
    expect(nested.first).to_be_visible()


def test_staff_governance_pages_have_no_wcag_violations(site, page, check_accessibility):
    page.goto("/accounts/login/")
    submit_password(page, "administrator.umearegionen@demo.samverka.se", DEMO_PASSWORD)
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()
    assignment = site["assignment"]
    paths = [
        "/umearegionen/organ/umearegionradet/?datum=2023-05-01",
        "/umearegionen/organ/personer/",
        f"/umearegionen/organ/personer/{assignment.person_id}/",
        "/umearegionen/organ/vakanser/",
        "/umearegionen/organ/vakanser/?period=next",
        "/umearegionen/organ/mandatperioder/",
        "/umearegionen/organ/ny/",
        "/umearegionen/organ/umearegionradet/uppdrag/ny/",
        f"/umearegionen/organ/umearegionradet/uppdrag/{assignment.pk}/",
        "/umearegionen/organ/umearegionradet/ordforande/",
        "/umearegionen/organ/umearegionradet/historik/",
        "/umearegionen/organ/vardkommuner/ny/",
    ]
    problems = []
    for width in (1280, 375):
        problems += check_pages(page, check_accessibility, paths, width)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors
