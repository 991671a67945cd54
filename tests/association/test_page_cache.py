"""The anonymous page cache: what it stores, whom it answers, and when it forgets."""

from datetime import date

import pytest
from django.test import Client

from association.models import Association
from association.tenancy import tenant_scope
from tests import factories

pytestmark = pytest.mark.django_db


def visit(client, url, **headers):
    """Three visits: the first learns which association the slug names, the second stores
    the page, the third is answered from the cache."""
    for _ in range(2):
        client.get(url, **headers)
    return client.get(url, **headers)


def test_an_anonymous_page_is_cached_without_cookies_and_with_validators(client, association):
    response = visit(client, "/norrbotten/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert "Norrbottens Kommuner" in response.text
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text
    assert "public" in response["Cache-Control"]
    assert response["Content-Security-Policy"]
    assert "Cookie" in response["Vary"]
    unchanged = client.get("/norrbotten/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert unchanged.status_code == 304


def test_pages_that_are_not_200_or_set_cookies_are_not_cached(client, association):
    assert "X-Page-Cache" not in visit(client, "/norrbotten/finns-inte/")
    login_page = visit(client, "/accounts/login/")
    assert "X-Page-Cache" not in login_page
    assert "csrftoken" in login_page.cookies


def test_one_associations_page_is_never_served_under_anothers_address(client, association):
    other = factories.make_association("annat", name="Annat förbund")
    assert "Norrbottens Kommuner" in visit(client, "/norrbotten/").text
    page = visit(client, "/annat/")
    assert page["X-Page-Cache"] == "hit"
    assert "Annat förbund" in page.text
    assert "Norrbottens Kommuner" not in page.text
    # The slug moves to the other association: its address now shows that one.
    association.slug = "norrbotten-gammal"
    association.save()
    other.slug = "norrbotten"
    other.save()
    page = client.get("/norrbotten/")
    assert "Annat förbund" in page.text
    assert "Norrbottens Kommuner" not in visit(client, "/norrbotten/").text


def test_a_logged_in_person_never_gets_the_anonymous_page(client, association):
    assert visit(client, "/norrbotten/")["X-Page-Cache"] == "hit"
    person = factories.make_user("inloggad@example.org")
    client.force_login(person)
    page = client.get("/norrbotten/")
    assert "X-Page-Cache" not in page
    assert "inloggad@example.org" in page.text or "Log" in page.text
    assert "private" in page["Cache-Control"]


def test_a_page_rendered_for_a_logged_in_person_is_never_stored(association):
    person = factories.make_staff(association, "administrator", "personal@example.org")
    staff = Client()
    staff.force_login(person)
    for _ in range(3):
        assert "X-Page-Cache" not in staff.get("/norrbotten/")
    anonymous = Client()
    first = anonymous.get("/norrbotten/")
    assert "X-Page-Cache" not in first
    assert "personal@example.org" not in first.text


def test_a_change_to_the_association_invalidates_its_pages(client, association):
    assert visit(client, "/norrbotten/")["X-Page-Cache"] == "hit"
    Association.objects.filter(pk=association.pk).update(name="Nytt namn")  # no signal
    page = client.get("/norrbotten/")
    assert "X-Page-Cache" not in page
    assert "Nytt namn" in page.text


def test_a_new_tenant_row_invalidates_only_that_associations_pages(client, association):
    from members.models import Membership, Municipality

    other = factories.make_association("annat", name="Annat förbund")
    visit(client, "/norrbotten/medlemmar/")
    assert visit(client, "/annat/medlemmar/")["X-Page-Cache"] == "hit"
    lulea = Municipality.objects.get(code="2580")
    # As a request or task does it: inside the association's scope. (A write outside any
    # scope cannot be attributed by the write watcher and invalidates every association.)
    with tenant_scope(association):
        Membership.objects.create(
            association=association, municipality=lulea, joined_on=date(2000, 1, 1)
        )
    page = client.get("/norrbotten/medlemmar/")
    assert "X-Page-Cache" not in page
    assert "Luleå" in page.text
    assert client.get("/annat/medlemmar/")["X-Page-Cache"] == "hit"
    assert other.pk != association.pk


def test_bulk_writes_to_reference_data_invalidate_every_page(client, association):
    from members.models import Municipality

    assert visit(client, "/norrbotten/")["X-Page-Cache"] == "hit"
    Municipality.objects.filter(code="2580").update(name="Luleå kommun")  # no signal
    assert "X-Page-Cache" not in client.get("/norrbotten/")


def test_languages_are_cached_apart(client, association):
    assert '<html lang="sv">' in visit(client, "/norrbotten/").text
    client.cookies["django_language"] = "en"
    english = visit(client, "/norrbotten/")
    assert english["X-Page-Cache"] == "hit"
    assert '<html lang="en">' in english.text


def test_anonymous_visitors_switch_language_without_a_csrf_token(db):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_a_logged_in_persons_language_switch_stays_csrf_protected(db):
    person = factories.make_user("skyddad@example.org")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    response = browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.preferred_language != "en"


def test_html_is_compressed_but_account_pages_are_not(client, association):
    page = client.get("/norrbotten/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    login_page = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in login_page


def test_compressed_and_plain_copies_are_kept_apart(client, association):
    compressed = visit(client, "/norrbotten/", HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["X-Page-Cache"] == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    plain = visit(client, "/norrbotten/")
    assert plain["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in plain
    assert "Norrbottens Kommuner" in plain.text


def test_cached_charts_and_fee_schedules_follow_a_change(client, association):
    import re

    from members.models import Membership, Municipality

    client.force_login(factories.make_staff(association, "viewer"))
    assert "Luleå" not in client.get("/norrbotten/medlemmar/avgifter/").text
    assert "Luleå" not in client.get("/norrbotten/medlemmar/").text
    lulea = Municipality.objects.get(code="2580")
    with tenant_scope(association):
        Membership.objects.create(
            association=association, municipality=lulea, joined_on=date(2000, 1, 1)
        )
    schedule = client.get("/norrbotten/medlemmar/avgifter/").text
    assert 'Luleå <span class="muted">2580</span>' in schedule
    members = client.get("/norrbotten/medlemmar/").text
    assert "Luleå" in re.findall(r'class="chart__label"[^>]*>([^<]+)</text>', members)


def test_healthz_reuses_its_broker_connection(client):
    from association.pagecache import redis_client

    def connections_opened() -> int:
        return redis_client().info("stats")["total_connections_received"]

    assert client.get("/healthz").status_code == 200
    before = connections_opened()
    for _ in range(10):
        assert client.get("/healthz").status_code == 200
    assert connections_opened() == before


def test_without_the_server_cache_pages_still_carry_validators(client, association, settings):
    settings.PAGE_CACHE_SECONDS = 0
    page = client.get("/norrbotten/")
    assert "X-Page-Cache" not in visit(client, "/norrbotten/")
    assert "public" in page["Cache-Control"]
    assert client.get("/norrbotten/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304


def test_a_workers_own_copy_is_used_only_briefly(client, association, settings):
    import time

    from association import pagecache

    pagecache._LOCAL.clear()
    settings.PAGE_CACHE_LOCAL_SECONDS = 1.0
    assert visit(client, "/norrbotten/")["X-Page-Cache"] == "hit"
    Association.objects.filter(pk=association.pk).update(name="Nytt namn")
    # Within the window the worker answers from its own copy, without asking Redis ...
    assert "Norrbottens Kommuner" in client.get("/norrbotten/").text
    time.sleep(1.1)
    # ... and after it, the change is seen.
    assert "Nytt namn" in client.get("/norrbotten/").text


def test_versions_from_a_fresh_redis_are_never_taken_for_old_ones(association):
    from association.pagecache import _key, association_token, redis_client

    before = association_token(association)
    versions = [_key("v:global"), _key(f"v:a:{association.pk}")]
    numbers = redis_client().mget(versions)
    # Redis lost its data, and the versions counted up to the same numbers again.
    redis_client().delete(_key("epoch"), *versions)
    for key, number in zip(versions, numbers, strict=True):
        redis_client().set(key, number or 0)
    assert association_token(association) != before


def test_an_unknown_host_is_refused_as_before(client, association, caplog):
    response = client.get("/norrbotten/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert not [r for r in caplog.records if r.name == "association.pagecache"]
    caplog.clear()  # Django logs the refused host itself


def test_the_wsgi_entry_answers_from_the_workers_copy_only_for_anonymous_visitors(
    client, association, settings
):
    import io

    from association import pagecache
    from config.wsgi import application

    pagecache._LOCAL.clear()
    settings.PAGE_CACHE_LOCAL_SECONDS = 30.0
    assert visit(client, "/norrbotten/")["X-Page-Cache"] == "hit"

    def call(**extra):
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": "/norrbotten/", "QUERY_STRING": "",
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(), **extra,
        }  # fmt: skip
        started = {}
        body = b"".join(application(environ, lambda status, headers: started.update(
            status=status, headers=dict(headers))))  # fmt: skip
        return started["status"], started["headers"], body

    status, headers, body = call()
    assert status == "200 OK"
    assert headers["X-Page-Cache"] == "hit"
    assert "Norrbottens Kommuner" in body.decode()
    assert call(HTTP_IF_NONE_MATCH=headers["ETag"])[0] == "304 Not Modified"
    # Someone with a session is never answered from the copy.
    _, headers, _ = call(HTTP_COOKIE="sessionid=abc")
    assert "X-Page-Cache" not in headers
    # Nor is another host, even one the page was never stored for.
    assert call(HTTP_HOST="evil.example")[0].startswith("400")
