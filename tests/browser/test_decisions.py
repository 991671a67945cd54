"""The decision pages in Chromium: axe-core (WCAG 2.1 A/AA) on the public register, a
recommendation's status and the open recommendations at desktop and phone width; staff
record a municipality's decision with the page's form."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in_with_totp
from tests.browser.test_accessibility import check_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def recommendation(site):
    """A public, adjusted recommendation of the board with three members asked."""
    start = factories.days_from_today(-60)
    meeting = factories.make_meeting(site.first_body, start, notice=True)
    for code in ("2580", "2581", "2582"):
        factories.make_membership(site.first, code)
    factories.make_decision(factories.make_item(meeting, "Budget 2027"), is_locked=True)
    item = factories.make_item(meeting, "Rekommendation om gemensam upphandling")
    return factories.make_decision(
        item, "Styrelsen rekommenderar kommunerna att delta i upphandlingen.",
        is_recommendation=True, is_locked=True,
    )  # fmt: skip


def test_public_decision_pages_have_no_wcag_violations(site, recommendation, page,
                                                       check_accessibility):  # fmt: skip
    slug = site.first.slug
    paths = [
        f"/{slug}/beslut/",
        f"/{slug}/beslut/?q=upphandling&year={recommendation.item.meeting.starts_at.year}",
        f"/{slug}/beslut/?year=fel",
        f"/{slug}/beslut/rekommendationer/",
        f"/{slug}/beslut/{recommendation.pk}/rekommendation/",
    ]
    problems = []
    for width in (1280, 375):
        problems += check_pages(page, check_accessibility, paths, width)
    assert not problems, "\n\n".join(problems)
    page.goto(paths[1])
    expect(page.locator("main table")).to_contain_text("Rekommendation om gemensam upphandling")
    expect(page.locator("main table")).not_to_contain_text("Budget 2027")
    assert not page.console_errors, page.console_errors


def test_staff_record_a_municipality_decision(site, recommendation, page, check_accessibility):
    log_in_with_totp(page, site)
    path = f"/{site.first.slug}/beslut/{recommendation.pk}/rekommendation/svar/"
    problems = check_pages(page, check_accessibility, [path], 1280)
    assert not problems, "\n\n".join(problems)
    main = page.locator("main")
    main.get_by_label("utfall – Luleå").select_option("adopted")
    main.get_by_label("beslutsdatum – Luleå").fill(str(factories.days_from_today(-30).date()))
    main.get_by_role("button", name="Spara").click()
    expect(main).to_contain_text("Antagen enligt rekommendationen: 1")
