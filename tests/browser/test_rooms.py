"""Rooms and desks in Chromium: axe-core (WCAG 2.1 A/AA) on the week view, the booking form
(also with errors) and my bookings, at desktop and phone width; booking from the week view
with the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in_with_totp
from tests.browser.test_accessibility import check_pages
from tests.rooms.conftest import at, next_weekday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rooms(site):
    """The rooms and a booking, written before the browser starts (see conftest)."""
    from association.tenancy import scopes_disabled
    from governance.rooms import services

    day = next_weekday(1)
    with scopes_disabled():
        room = services.create_resource(
            association=site.first, actor=None, name="Mötesrum Storgatan", kind="meeting_room",
            capacity=12, location="Storgatan 1, Luleå",
        )  # fmt: skip
        services.create_resource(association=site.first, actor=None, name="Skrivbord 1")
        services.book(resource=room, actor=site.staff, starts_at=at(day, 10),
                      ends_at=at(day, 11, 30), title="Styrelsens arbetsutskott")  # fmt: skip
    return day


@pytest.mark.parametrize("width", [1280, 375])
def test_rooms_pages_have_no_wcag_violations(site, rooms, page, check_accessibility, width):
    log_in_with_totp(page, site)
    slug = site.first.slug
    paths = [
        f"/{slug}/lokaler/?vecka={rooms:%G-W%V}",
        f"/{slug}/lokaler/boka/",
        f"/{slug}/lokaler/mina/",
        f"/{slug}/lokaler/resurser/",
        f"/{slug}/lokaler/resurser/ny/",
    ]
    problems = check_pages(page, check_accessibility, paths, width)
    # The form as it comes back with errors and a collision message.
    page.goto(f"/{slug}/lokaler/boka/")
    main = page.locator("main")
    main.get_by_label("Resurs").select_option(label="Mötesrum Storgatan")
    main.get_by_label("Datum").fill(rooms.isoformat())
    main.get_by_label("Från").fill("11:00")
    main.get_by_label("Till").fill("12:00")
    main.get_by_label("Syfte").fill("Krock")
    main.get_by_role("button", name="Boka").click()
    expect(main.get_by_text("redan bokat")).to_be_visible()
    report = check_accessibility(page)
    if report:
        problems.append(report)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_booking_with_the_keyboard_alone(site, rooms, page):
    log_in_with_totp(page, site)
    page.goto(f"/{site.first.slug}/lokaler/?vecka={rooms:%G-W%V}")
    # Tab to the week view's first "Book" link for the desk on the booked day, press Enter.
    target = re.compile(rf"Boka Skrivbord 1 \w+ {rooms.day} ")
    for _ in range(120):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.textContent.trim()")
        if target.match(name + " "):
            break
    else:
        pytest.fail("the booking link was never reached with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/lokaler/boka/\?resurs=\d+&datum="))
    main = page.locator("main")
    expect(main.get_by_label("Resurs")).to_have_value(re.compile(r"\d+"))
    # Chromium's time inputs take typing segment by segment; fill() sets them as a whole.
    main.get_by_label("Från").fill("09:00")
    main.get_by_label("Till").fill("10:00")
    main.get_by_label("Syfte").focus()
    page.keyboard.type("Skrivdag")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Bokat: Skrivbord 1")
    expect(page.locator("main table")).to_contain_text("09:00–10:00")
