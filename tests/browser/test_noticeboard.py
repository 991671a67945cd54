"""The notice board in Chromium: axe-core (WCAG 2.1 A/AA) on the public board with current
and earlier notices and on a notice, and on the staff's follow-up, posting and settings
pages, at desktop and phone width."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in_with_totp
from tests.browser.test_accessibility import check_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def notices(site):
    """Notices up and down, and adjusted minutes still to post, written before the browser
    starts (see conftest)."""
    from tests.noticeboard.conftest import at, days_ago, meeting_on, posted_notice

    up = posted_notice(site.first_body, posted_days_ago=2)
    for number in range(25):  # more than a page of earlier notices
        posted_notice(site.first_body, posted_days_ago=30 + number, meeting_days_before=3)
    waiting = factories.make_adjusted_minutes(
        meeting_on(site.first_body, days_ago(9)), at(days_ago(4)), kept_at="Kansliet, Luleå"
    )
    return up, waiting


@pytest.mark.parametrize("width", [1280, 375])
def test_the_public_board_has_no_wcag_violations(site, notices, page, check_accessibility, width):
    up, _ = notices
    slug = site.first.slug
    paths = [
        f"/{slug}/anslagstavla/",
        f"/{slug}/anslagstavla/?sida=2",
        f"/{slug}/anslagstavla/{up.pk}/",
    ]
    problems = check_pages(page, check_accessibility, paths, width)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_the_staff_pages_have_no_wcag_violations(site, notices, page, check_accessibility):
    _, waiting = notices
    log_in_with_totp(page, site)
    slug = site.first.slug
    paths = [
        f"/{slug}/anslagstavla/bevakning/",
        f"/{slug}/anslagstavla/installningar/",
        f"/{slug}/anslagstavla/anslag/ny/{waiting.pk}/",
    ]
    problems = []
    for width in (1280, 375):
        problems += check_pages(page, check_accessibility, paths, width)
    assert not problems, "\n\n".join(problems)
    # Posting by hand: the notice appears on the public board.
    page.goto(paths[2])
    page.locator("main").get_by_role("button", name="Sätt upp anslaget").click()
    page.goto(f"/{slug}/anslagstavla/")
    current = page.locator('section[aria-labelledby="current-heading"]')
    expect(current).to_contain_text("Kansliet, Luleå")
    assert not page.console_errors, page.console_errors
