"""Response headers every page carries, and how expected refusals are logged."""

import logging

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/norrbotten/", "/norrbotten/tema.css", "/finns-inte/", "/healthz",
             "/static/css/samverka.css", "/accounts/login/"],
)  # fmt: skip
def test_every_response_has_a_permissions_policy(client, association, path):
    policy = client.get(path)["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]:
        assert features[feature] == "()"
    # WebAuthn keys (a second factor) must keep working on our own pages.
    assert features["publickey-credentials-get"] == "(self)"


def test_a_403_is_logged_as_one_line_without_traceback(client, association, caplog):
    viewer = factories.make_staff(association, "viewer")
    client.force_login(viewer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/norrbotten/installningar/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    line = logging.Formatter().format(record)
    assert line == "Forbidden (Permission denied): /norrbotten/installningar/"
    assert "Traceback" not in caplog.text
