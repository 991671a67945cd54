"""Meetings in Chromium: a member logs in, opens "my meetings", the agenda, downloads a
document and the package (built by the worker, followed on the package page) and writes a
note; staff reorder items with the keyboard alone;
axe-core (WCAG 2.1 A/AA) on the public meeting page and the member's agenda at desktop and
phone width."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in_with_totp, submit_password
from tests.browser.test_accessibility import check_pages
from tests.meetings.conftest import pdf_text, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(site):
    """A board meeting with its notice sent, written before the browser starts."""
    from django.utils import timezone

    from association.tenancy import scopes_disabled
    from governance.meetings import services

    day = timezone.localdate() + datetime.timedelta(days=7)
    start = datetime.datetime.combine(day, datetime.time(10), tzinfo=ZoneInfo("Europe/Stockholm"))
    with scopes_disabled():
        meeting = services.create_meeting(
            body=site.first_body,
            actor=None,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="Storgatan 1, Luleå",
        )
        budget = services.add_item(
            meeting=meeting,
            actor=None,
            title="Budget 2027",
            proposed_decision="Styrelsen fastställer budgeten.",
        )
        services.add_item(meeting=meeting, actor=None, title="Inriktning")
        services.add_item(meeting=meeting, actor=None, title="Personalfrågor", is_public=False)
        services.attach_document(
            item=budget,
            actor=None,
            upload=upload("budget.pdf"),
            title="Budgetförslag",
            is_public=True,
        )
        services.send_notice(meeting=meeting, actor=None)
        member = site.first_body.assignments.get().person.user
    return meeting, member


def test_member_reads_the_agenda_and_writes_a_note(site, meeting, celery_worker, page):
    meeting, member = meeting
    page.goto("/accounts/login/")
    submit_password(page, member.email, factories.PASSWORD)
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()
    page.locator("header").get_by_role("link", name="Mina sammanträden").click()
    page.locator("main").get_by_role("link", name=re.compile("Förbundsstyrelse")).click()
    expect(page).to_have_url(re.compile(r"/moten/\d+/dagordning/"))
    main = page.locator("main")
    expect(main.get_by_role("heading", name=re.compile("Personalfrågor"))).to_be_visible()
    with page.expect_download() as document:
        main.get_by_role("link", name="Budgetförslag").click()
    assert document.value.suggested_filename == "budget.pdf"
    # The package: asked for on the agenda, built by the worker while the package page shows
    # its progress (htmx polls it), then downloaded from there.
    main.get_by_role("button", name="Ladda ned möteshandlingarna (PDF)").click()
    expect(page).to_have_url(re.compile(r"/moten/\d+/paket/$"))
    expect(main.locator("#package-status")).to_have_attribute("aria-live", "polite")
    ready = main.get_by_role("link", name="Ladda ned möteshandlingarna (PDF)")
    expect(ready).to_be_visible(timeout=60_000)  # a bound on the wait for the worker
    expect(main.get_by_text("Möteshandlingarna är klara.")).to_be_visible()
    with page.expect_download() as package:
        ready.click()
    assert package.value.suggested_filename.endswith(".pdf")
    assert "Budget 2027" in pdf_text(Path(package.value.path()).read_bytes())
    main.get_by_role("link", name="Tillbaka till dagordningen").click()
    main.get_by_label(re.compile("Min privata anteckning Budget 2027")).fill("Fråga om lokaler")
    main.get_by_role("button", name="Spara anteckningen Budget 2027").click()
    expect(page.get_by_text("Din anteckning är sparad")).to_be_visible()
    expect(main.get_by_label(re.compile("Min privata anteckning Budget 2027"))).to_have_value(
        "Fråga om lokaler"
    )
    assert not page.console_errors, page.console_errors


def titles(page) -> list[str]:
    return page.locator("#agenda-items li[data-item] .agenda__title a").all_inner_texts()


def test_staff_reorder_items_with_the_keyboard_alone(site, meeting, page):
    meeting, _member = meeting
    log_in_with_totp(page, site)
    page.goto(f"/{site.first.slug}/moten/{meeting.pk}/punkter/")
    assert titles(page) == ["Budget 2027", "Inriktning", "Personalfrågor"]
    # Tab to "Ned Budget 2027" and press Enter (htmx swaps the list and keeps the focus).
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Ned Budget 2027":
            break
    else:
        pytest.fail("the Down button was never reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#agenda-items li[data-item]").first).to_contain_text("Inriktning")
    assert titles(page) == ["Inriktning", "Budget 2027", "Personalfrågor"]
    # Focus stays with the moved item: Enter again moves it once more.
    expect(page.locator("#agenda-items button:focus")).to_have_text("Ned Budget 2027")
    page.keyboard.press("Enter")
    expect(page.locator("#agenda-items li[data-item]").last).to_contain_text("Budget 2027")
    # Alt+Arrow up on the focused row.
    page.locator("#agenda-items li[data-item]").last.focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#agenda-items li[data-item]").nth(1)).to_contain_text("Budget 2027")
    page.reload()
    assert titles(page) == ["Inriktning", "Budget 2027", "Personalfrågor"]
    assert not page.console_errors, page.console_errors


@pytest.mark.parametrize("width", [1280, 375])
def test_meeting_pages_have_no_wcag_violations(site, meeting, page, check_accessibility, width):
    meeting, member = meeting
    slug = site.first.slug
    problems = check_pages(page, check_accessibility, [f"/{slug}/moten/{meeting.pk}/"], width)
    page.goto("/accounts/login/")
    submit_password(page, member.email, factories.PASSWORD)
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()
    problems += check_pages(
        page,
        check_accessibility,
        [
            f"/{slug}/moten/{meeting.pk}/dagordning/",
            f"/{slug}/moten/{meeting.pk}/paket/",
            "/mina-moten/",
        ],
        width,
    )
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_the_package_page_follows_the_build_without_reloading(site, meeting, page):
    """htmx polls the package page and swaps in each new state (waiting, progress, ready)
    inside the live region; the page itself is never reloaded. The states are written to
    the real result backend and cache here (neither is the database, so the browser may
    run meanwhile), standing in for the worker at chosen moments."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from config.celery import app
    from governance.meetings import package

    meeting, member = meeting
    task = f"browser-{uuid.uuid4().hex}"
    ids = {"association_id": meeting.association_id, "meeting_id": meeting.pk,
           "user_id": member.pk}  # fmt: skip
    package.remember(**ids, task=task)
    key = uuid.uuid4().hex
    name = package.storage_name(meeting.association_id, meeting.pk, key)
    page.goto("/accounts/login/")
    submit_password(page, member.email, factories.PASSWORD)
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()
    page.goto(f"/{site.first.slug}/moten/{meeting.pk}/paket/")
    state = page.locator("#package-status #package-state")
    expect(state).to_have_attribute("data-state", "waiting")
    page.evaluate("window.samePage = true")
    app.backend.store_result(task, {"done": 1, "total": 3}, "PROGRESS")
    expect(page.locator("#package-progress")).to_have_attribute("value", "1")
    expect(page.get_by_text("Handlingarna läggs till: 0 av 2.")).to_be_visible()
    default_storage.save(name, ContentFile(b"%PDF-1.7\n"))
    try:
        app.backend.store_result(task, {"status": "ready", "key": key}, "SUCCESS")
        expect(state).to_have_attribute("data-state", "ready")
        expect(page.get_by_role("link", name="Ladda ned möteshandlingarna (PDF)")).to_be_visible()
        assert page.evaluate("window.samePage === true")
    finally:
        default_storage.delete(name)
    assert not page.console_errors, page.console_errors
