"""Keyboard use: the skip link comes first and works, and focus is always visible."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_tab_reaches_skip_link_which_moves_focus_to_main(site, page):
    page.goto(f"/{site.first.slug}/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expect(skip).to_have_attribute("href", "#main")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside main, not back at the top of the page.
    page.keyboard.press("Tab")
    focused_in_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused_in_main


def test_every_focus_stop_on_the_page_has_a_visible_indicator(site, page):
    page.goto(f"/{site.first.slug}/organ/")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const style = getComputedStyle(el);
                return {
                    tag: el.tagName + ' ' + (el.textContent || '').trim().slice(0, 30),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                    shadow: style.boxShadow !== 'none',
                };
            }"""
        )
        if state is None:
            break
        seen.append(state)
    assert len(seen) > 5, seen
    invisible = [s["tag"] for s in seen if not (s["outline"] or s["shadow"])]
    assert not invisible, f"No visible focus indicator on: {invisible}"
