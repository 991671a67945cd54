"""Planning in Chromium: a staff member asks for the plan's PDF, follows its progress made
by the worker and downloads it; axe-core (WCAG 2.1 A/AA) on the public planning pages."""

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in_with_totp
from tests.browser.test_accessibility import check_pages
from tests.meetings.conftest import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def planning(site):
    """An adopted, published plan with a published tertial report, written before the
    browser starts."""
    from association.tenancy import scopes_disabled
    from planning import services

    association = site.first
    item = factories.make_item(factories.make_meeting(site.first_body))
    decision = factories.make_decision(item, is_locked=True)
    with scopes_disabled():
        direction = services.create_direction(
            association=association, actor=None, title="Inriktning 2023–2026",
            first_year=2023, last_year=2030, is_published=True,
            mission="Vi samordnar kommunernas gemensamma frågor.",
        )  # fmt: skip
        area = services.add_goal_area(direction=direction, actor=None, title="Jämlik välfärd")
        goal = services.add_goal(
            direction=direction, actor=None, area=area,
            text="Vi stödjer innovativa lösningar kring välfärdens utmaningar.",
        )  # fmt: skip
        for number, primary in ((3, True), (4, True), (11, True), (5, False)):
            services.link_sdg(direction=direction, actor=None, number=number, is_primary=primary)
        plan = services.create_plan(direction=direction, actor=None, year=date.today().year)  # noqa: DTZ011
        services.add_part(plan=plan, actor=None, kind="activity", goal=goal,
                          title="Regional dialog om välfärdens kompetens")  # fmt: skip
        services.add_part(plan=plan, actor=None, kind="promise", title="Vi lyssnar")
        services.set_budget(plan=plan, actor=None, amounts={"staff": 900_000, "premises": 50_000})
        plan = services.propose(plan=plan, actor=None)
        plan = services.record_board_approval(plan=plan, actor=None, decision=decision)
        plan = services.adopt(plan=plan, actor=None, adopted_on=date(2025, 11, 20),
                              reference="Förbundsfullmäktige 2025-11-20 § 7")  # fmt: skip
        services.publish(plan=plan, actor=None)
        report = services.create_report(plan=plan, actor=None, period="t1")
        services.update_report(
            report=report, actor=None, expected_version=report.version,
            data={"is_published": True, "summary": "Arbetet går enligt plan."},
        )  # fmt: skip
    slug = association.slug
    return plan, [
        f"/{slug}/planering/",
        f"/{slug}/planering/plan/{plan.pk}/",
        f"/{slug}/planering/inriktning/{direction.pk}/",
        f"/{slug}/planering/uppfoljning/{report.pk}/",
    ]


def test_staff_make_the_plan_pdf_and_the_public_pages_pass_axe(
    site, planning, celery_worker, page, check_accessibility
):
    plan, public_paths = planning
    problems = check_pages(page, check_accessibility, public_paths, 1280)
    problems += check_pages(page, check_accessibility, public_paths, 375)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, "\n\n".join(problems)
    log_in_with_totp(page, site)
    page.goto(f"/{site.first.slug}/planering/alla/plan/{plan.pk}/")
    main = page.locator("main")
    main.get_by_role("link", name="Planen som PDF").click()
    expect(main.locator("#pdf-status")).to_have_attribute("aria-live", "polite")
    # Publishing sent the worker to make the PDF ahead; if it has not begun yet, staff ask.
    if main.locator("#pdf-state").get_attribute("data-state") == "none":
        main.get_by_role("button", name="Gör PDF:en").click()
    # The worker makes it while the page shows the progress (htmx polls the status).
    expect(main.locator("#pdf-state")).to_have_attribute(
        "data-state", re.compile("waiting|building|ready")
    )
    ready = main.get_by_role("link", name="Ladda ned PDF:en")
    expect(ready).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        ready.click()
    assert download.value.suggested_filename.endswith(".pdf")
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "Regional dialog om välfärdens kompetens" in text
    assert "Innehåll" in text and "Hälsa och välbefinnande" in text
    assert not page.console_errors, page.console_errors
