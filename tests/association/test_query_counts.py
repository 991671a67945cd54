"""No page's query count grows with the data: every page, the demo data against the demo
data with many more staff, seats, history rows and members."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.tenancy import scopes_disabled
from tests import factories
from tests.association.test_permissions import values_for
from tests.urlwalk import project_pages


def count_queries(client, home, user) -> dict[str, int]:
    # Every URL first: filling a page's parameters may create rows, and a write refreshes the
    # person's cached facts (association/userfacts.py) on the next request, whichever page
    # that is. Both walks then start from the same state: facts warm, pages cold.
    urls = {
        page.name: page.url(**values_for(page, home, user)) if page.params else page.url()
        for page in project_pages()
        if not page.post_only
    }
    client.get("/")
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


def grow(home, extra: int) -> None:
    from django.utils import timezone

    from governance.models import Body, Term
    from members.models import Membership, Municipality

    with scopes_disabled():
        # The body whose page the walk visits (values_for takes the board).
        board = Body.objects.get(association=home, slug="styrelse")
        taken = set(
            Membership.objects.filter(association=home).values_list("municipality", flat=True)
        )
        free = Municipality.objects.exclude(pk__in=taken).order_by("code")[:extra]
        for municipality in free:
            Membership.objects.create(
                association=home, municipality=municipality, joined_on=date(2000, 1, 1)
            )
        # More bodies in the chart, some reporting to others.
        parent = board
        for number in range(extra):
            parent = factories.make_body(
                home, f"grupp-{number}", kind="steering_group", reports_to=parent
            )
    seat = factories.make_post(board, members=extra, substitutes=extra, label="Många")
    with scopes_disabled():  # the demo's own term of today, not the factories' one
        today = timezone.localdate()
        term = Term.objects.get(association=home, starts_on__lte=today, ends_on__gte=today)
    span = {"term": term, "starts_on": term.starts_on, "ends_on": term.ends_on}
    for _ in range(extra):
        member = factories.make_person(home, email="a@example.org", phone="070")
        factories.assign(board, member, seat=seat, **span)
        substitute = factories.make_person(home, party="S")
        factories.assign(
            board, substitute, role="substitute", seat=seat, substitute_for=member, **span
        )
        factories.make_staff(home, "viewer", totp=False)


@pytest.mark.django_db
def test_page_query_counts_do_not_grow_with_the_data(client):
    from association.models import Association

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    home = Association.objects.get(slug="norrbotten")
    # Norrbotten's sources name no host rotation; the rotation pages need one to show.
    with scopes_disabled():
        from governance.services import set_rotation
        from members.models import Membership

        set_rotation(
            association=home, actor=None, name="Ordförande", first_year=2023,
            municipalities=[m.municipality for m in Membership.objects.filter(association=home)],
        )  # fmt: skip
    admin = factories.make_platform_admin()
    client.force_login(admin)
    before = count_queries(client, home, admin)
    grow(home, extra=40)
    after = count_queries(client, home, admin)
    grown = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert not grown, f"query counts grew (before, after): {grown}"
