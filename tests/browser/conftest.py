"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against live_server.

Playwright's sync API runs an asyncio loop in the test's own thread for as long as it is
started, and Django refuses ORM calls from a thread with a running loop
(SynchronousOnlyOperation). So the order is fixed: every row a test needs is created first
(``site``), then the browser starts (``page``), and the browser stops again before
``transactional_db`` flushes the database. Browser tests therefore create nothing in the
database while the browser runs; ``page`` depends on ``site`` so that pytest cannot order it
the other way. DJANGO_ALLOW_ASYNC_UNSAFE is not needed and not set.
"""

import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import factories

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous enough for a loaded CI machine, short enough that a real hang fails quickly.
TIMEOUT_MS = 15_000
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Site:
    first: object
    second: object
    first_body: object
    second_body: object
    staff: object
    totp_secret: str
    password: str
    newcomer: object


@pytest.fixture
def site(transactional_db):
    """Two associations with content, bodies and seats, and a staff user with TOTP."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    first = factories.make_association(
        "norrbotten",
        name="Norrbottens Kommuner",
        short_name="NK",
        vision="Starka kommuner i samverkan.",
        mission="Vi samordnar kommunernas gemensamma frågor.",
        street_address="Storgatan 1",
        postal_code="972 31",
        city="Luleå",
        phone="0920-12 34 56",
        email="info@norrbotten.example",
        website="https://norrbotten.example",
    )
    second = factories.make_association(
        "vastra",
        name="Västra Götalands Kommunförbund",
        vision="Hållbar utveckling i hela regionen.",
        city="Göteborg",
        primary_colour="#2d5016",
        accent_colour="#6b2c91",
    )
    first_body = factories.make_body(
        first, "styrelse", name="Förbundsstyrelse", mandate="Leder förbundets arbete."
    )
    second_body = factories.make_body(second, "fullmaktige", kind="assembly", name="Fullmäktige")
    factories.make_member(first_body, factories.make_user(first_name="Anna", last_name="Berg"))
    factories.make_member(second_body, role="chair")
    staff = factories.make_staff(first, "administrator", "handlaggare@example.org", totp=False)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    # Staff without a second factor yet: REQUIRE_MFA_FOR_STAFF sends them to set one up.
    newcomer = factories.make_staff(second, "editor", "ny@example.org", totp=False)
    return Site(first, second, first_body, second_body, staff, secret, factories.PASSWORD, newcomer)


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now, computed with allauth's own helpers.

    allauth accepts only the current period (MFA_TOTP_TOLERANCE is 0), so a code taken in
    the last seconds of a period could expire between typing and submitting. Then we wait
    for the next period to begin: a bounded wait on the clock, not on the page.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 5:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def submit_password(page, email: str, password: str) -> None:
    """Fill in and send the real login form (the page must be on /accounts/login/)."""
    main = page.locator("main")
    main.get_by_label("E-post").fill(email)
    main.get_by_label("Lösenord").fill(password)
    main.get_by_role("button", name="Logga in").click()


def log_in_with_totp(page, site) -> None:
    """The staff member's whole login: password, then the authenticator code."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    submit_password(page, site.staff.email, site.password)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    main = page.locator("main")
    main.get_by_label("Kod").fill(totp_code(site.totp_secret))
    main.get_by_role("button", name="Logga in").click()
    expect(page.locator("header").get_by_role("button", name="Logga ut")).to_be_visible()


@pytest.fixture
def browser_args():
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def page(site, live_server, browser_args):
    """A fresh page in a fresh browser; started only after ``site`` has written its rows."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}; .ci/run installs it")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**browser_args)
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        # Console errors include CSP refusals (inline styles or scripts); failed loads are
        # tracked per resource instead, since a page that is meant to be a 404 or 403 also
        # logs "Failed to load resource" for itself.
        console_errors = []
        page.on("console", lambda msg: _record_console_error(console_errors, msg))
        page.on("response", lambda response: _record_broken_resource(console_errors, response))
        page.console_errors = console_errors
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _record_console_error(errors: list, msg) -> None:
    if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
        errors.append(msg.text)


def _record_broken_resource(errors: list, response) -> None:
    if response.status >= 400 and response.request.resource_type != "document":
        errors.append(f"{response.status} for {response.request.resource_type} {response.url}")


def format_violations(url: str, violations: list[dict]) -> str:
    """One readable block per violated rule, with the offending elements."""
    lines = [f"{url}: {len(violations)} WCAG 2.1 A/AA violation(s)"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"      at {', '.join(map(str, node['target']))}")
            lines.append(f"         {node['html'][:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"         {line}" for line in summary.splitlines())
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """Run axe-core on the page as it is now, limited to WCAG 2.1 A and AA; return problems."""

    def _check(page) -> str | None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS}})
        violations = results.response["violations"]
        if violations:
            return format_violations(page.url, violations)
        return None

    return _check
