"""The Content Security Policy is on, and our pages need no inline script or style."""

import re

import pytest
from django.core.management import call_command

from tests.urlwalk import project_pages

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.I)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_csp_header_forbids_inline_script(client, demo):
    response = client.get("/norrbotten/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_public_pages_have_no_inline_script_or_style(client, demo):
    checked = 0
    for page in project_pages():
        if page.access != "public" or page.object_params or page.name in {"healthz"}:
            continue
        for slug in ["norrbotten", "umearegionen"] if page.is_tenant else [None]:
            values = {"association": slug} if slug else {}
            for extra in set(page.params) - set(values):
                values[extra] = 2025
            response = client.get(page.url(**values))
            assert response.status_code == 200, page.name
            if not response["Content-Type"].startswith("text/html"):
                continue  # the theme CSS, the logo, the health check
            html = response.text
            assert not INLINE_SCRIPT.search(html), f"inline script on {page.name}"
            assert not INLINE_STYLE_ATTRIBUTE.search(html), f"inline style on {page.name}"
            checked += 1
    for url in ["/accounts/login/", "/accounts/password/reset/"]:
        html = client.get(url).text
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE_ATTRIBUTE.search(html), url
    assert checked >= 5
