"""No page runs the same query twice in one request: every page, for a platform admin, a
staff member, a board member and an anonymous visitor, on the demo data."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.association.test_permissions import values_for
from tests.urlwalk import project_pages


def repeated_queries(client, home, user=None) -> dict[str, list[str]]:
    repeated = {}
    for page in project_pages():
        if page.post_only:
            continue
        url = page.url(**values_for(page, home, user)) if page.params else page.url()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # The SQL as executed, parameters included: the same statement for other rows is
        # not a repeat, the same statement for the same rows is.
        seen = Counter(query["sql"] for query in queries.captured_queries)
        twice = [sql for sql, times in seen.items() if times > 1]
        if twice:
            repeated[url] = twice
    return repeated


@pytest.mark.django_db
def test_no_page_runs_the_same_query_twice():
    from association.models import Association, User

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = Association.objects.get(slug="norrbotten")
    people = {
        "anonymous": None,
        "platform admin": factories.make_platform_admin(),
        "administrator": factories.make_staff(home, "administrator"),
        "read-only staff": factories.make_staff(home, "viewer"),
        "board member": User.objects.get(email="styrelseledamot@demo.samverka.se"),
    }
    found = {}
    for who, user in people.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for url, queries in repeated_queries(client, home, user).items():
            found[f"{who} {url}"] = queries
    assert not found, "queries run twice in one request:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(sql[:3000] for sql in queries)
        for where, queries in found.items()
    )
