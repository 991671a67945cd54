"""Projects: funding sums per year and source, the under-funded flag, the query the
planning work calls, and query counts that do not grow with the rows."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import queries, services
from agreements.models import OutsideOrganisation, Project
from association.documents import add_version
from association.tenancy import scopes_disabled
from tests import factories
from tests.agreements.conftest import make_agreement
from tests.meetings.conftest import upload

pytestmark = pytest.mark.django_db


def url(association, name, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"association": association.slug, **kwargs})


def make_project(association, name="Attrahera flera", budget=(), funding=(), **fields):
    with scopes_disabled():
        project = services.create_project(association=association, actor=None, name=name,
                                          **fields)  # fmt: skip
        for year, amount in budget:
            services.set_budget(project=project, actor=None, year=year, amount=amount)
        for source, year, amount in funding:
            services.add_funding(project=project, actor=None, source=source, year=year,
                                 amount=amount)  # fmt: skip
    return project


def test_funding_is_summed_per_year_and_source_and_a_shortfall_is_flagged(association):
    project = make_project(
        association, budget=[(2023, 2_000_000), (2024, 2_000_000)],
        funding=[("erdf", 2023, 1_000_000), ("region", 2023, 500_000), ("own", 2023, 300_000),
                 ("own", 2023, 200_000), ("erdf", 2024, 1_000_000)],
    )  # fmt: skip
    with scopes_disabled():
        loaded = queries.project(association, project.pk).get()
        years = queries.funding_by_year(loaded)
        assert [(s.year, s.budget, s.funded, s.shortfall) for s in years] == [
            (2023, 2_000_000, 2_000_000, 0), (2024, 2_000_000, 1_000_000, 1_000_000),
        ]  # fmt: skip
        assert years[0].by_source == {"erdf": 1_000_000, "region": 500_000, "own": 500_000}
        assert queries.is_underfunded(loaded)
        services.add_funding(project=project, actor=None, source="region", year=2024,
                             amount=1_000_000)  # fmt: skip
        assert not queries.is_underfunded(queries.project(association, project.pk).get())


def test_external_funding_sums_the_year_per_source_without_own_budget(
    association, other_association
):
    make_project(association, "A", funding=[("erdf", 2024, 700), ("region", 2024, 300),
                                             ("own", 2024, 5000), ("erdf", 2025, 1)])  # fmt: skip
    make_project(association, "B", funding=[("erdf", 2024, 300), ("state", 2024, 50)])
    make_project(association, "C", status="cancelled", funding=[("erdf", 2024, 999)])
    make_project(other_association, "A", funding=[("erdf", 2024, 10_000)])
    with scopes_disabled():
        assert queries.external_funding(association, 2024) == {
            "region": 300, "erdf": 1000, "state": 50, "other": 0,
        }  # fmt: skip
        assert queries.external_funding(association, 2030) == {
            "region": 0, "erdf": 0, "state": 0, "other": 0,
        }  # fmt: skip


def test_project_pages_show_the_sums_and_refuse_bad_input(client, login, association, editor):
    project = make_project(association, budget=[(2024, 1000)], funding=[("erdf", 2024, 400)])
    login(editor)
    page = client.get(url(association, "project_detail", pk=project.pk))
    assert "600" in page.text  # not covered
    listing = client.get(url(association, "projects"))
    assert "Attrahera flera" in listing.text
    assert client.post(url(association, "budget", pk=project.pk),
                       {"year": "1800", "amount": "5"}).status_code == 200  # fmt: skip
    negative = {"source": "erdf", "year": "2024", "amount": "-3"}
    assert client.post(url(association, "funding_add", pk=project.pk), negative).status_code == 200
    ok = client.post(url(association, "funding_add", pk=project.pk),
                     {"source": "region", "year": "2024", "amount": "600",
                      "report_due_on": "2025-02-28"})  # fmt: skip
    assert ok.status_code == 302
    assert client.post(url(association, "project_create"), {
        "name": "Nytt", "status": "ongoing", "starts_on": "2025-01-01", "ends_on": "2024-01-01",
    }).status_code == 200  # fmt: skip
    assert client.post(url(association, "project_create"), {
        "name": "Attrahera flera", "status": "ongoing",
    }).status_code == 200  # fmt: skip
    assert client.post(url(association, "project_create"), {
        "name": "Nytt", "status": "ongoing", "starts_on": "2025-01-01", "ends_on": "2026-01-01",
    }).status_code == 302  # fmt: skip
    with scopes_disabled():
        assert Project.objects.filter(association=association).count() == 2
        assert not queries.is_underfunded(queries.project(association, project.pk).get())


def _grow(association, members, ltu, count):
    with scopes_disabled():
        start = Project.objects.filter(association=association).count()
        for number in range(start, count):
            project = make_project(association, f"Projekt {number}",
                                   budget=[(2024, 100)], funding=[("erdf", 2024, 50)],
                                   municipalities=members, partners=[ltu])  # fmt: skip
            agreement = make_agreement(association, title=f"Avtal {number}", is_published=True,
                                       municipalities=members, organisations=[ltu])  # fmt: skip
            services.add_follow_up(agreement=agreement, actor=None, title="Dialog",
                                   due_on=date(2026, 3, 1), responsible="Gruppen")  # fmt: skip
            services.add_signatory(agreement=agreement, actor=None, name="A", party="B",
                                   signed_on=None)  # fmt: skip
            assert project.pk


def _grow_details(association, actor, agreement, project, body, count):
    """Grow the measured agreement and project to ``count`` of each related row (a few
    documents only: each is a stored file)."""
    from members.models import Municipality

    with scopes_disabled():
        start = agreement.follow_ups.count()
        municipalities = list(Municipality.objects.order_by("code")[:count])
        assert len(municipalities) == count
        organisations = [
            services.create_organisation(association=association, actor=actor,
                                         name=f"Organisation {n}", kind="company")
            for n in range(start, count)
        ]  # fmt: skip
        agreement.municipalities.add(*municipalities)
        agreement.organisations.add(*organisations)
        project.municipalities.add(*municipalities)
        project.partners.add(*organisations)
        funders = list(OutsideOrganisation.objects.filter(association=association))
        for n in range(start, count):
            services.add_follow_up(agreement=agreement, actor=actor, title=f"Dialog {n}",
                                   due_on=date(2026, 3, 1), body=body if n % 2 else None,
                                   responsible="Gruppen")  # fmt: skip
            services.add_signatory(agreement=agreement, actor=actor, name=f"Person {n}",
                                   party="Part", signed_on=date(2024, 1, 1))  # fmt: skip
            services.add_funding(project=project, actor=actor, source="region",
                                 year=2020 + n % 10, amount=10,
                                 funder=funders[n % len(funders)] if n % 2 else None)  # fmt: skip
            services.set_budget(project=project, actor=actor, year=2020 + n % 10, amount=n)
        for n in range(agreement.documents.count(), 2 if count < 50 else 6):
            link = services.attach_document(
                agreement=agreement, actor=actor, upload=upload(), title=f"Dokument {n}",
                is_public=n % 2 == 0,
            )  # fmt: skip
            add_version(document=link.document, actor=actor, upload=upload(), note="Ny")


def _counts(client, association, paths):
    # A write refreshes the person's cached facts on the next request: warm them first.
    client.get("/")
    counts = {}
    for name, path in paths:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[name] = len(captured)
    return counts


def test_lists_and_pages_make_the_same_number_of_queries_for_5_and_200_rows(
    client, login, association, editor, members, ltu
):
    """Every list and page grows: the lists by agreements, projects and organisations; the
    measured agreement and project by parties, municipalities, signatories, follow-up
    occasions (some with a body), documents (with versions), funding rows (some with a
    funder) and history rows."""
    login(editor)
    with scopes_disabled():
        agreement = make_agreement(association, title="Mätt", is_published=True,
                                   municipalities=members, organisations=[ltu])  # fmt: skip
        project = make_project(association, "Mätt projekt", municipalities=members,
                               partners=[ltu])  # fmt: skip
        body = factories.make_body(association, "arbetsgrupp", kind="steering_group")
    paths = [
        ("public_list", url(association, "public_list")),
        ("staff_list", url(association, "staff_list")),
        ("projects", url(association, "projects")),
        ("organisations", url(association, "organisations")),
        ("detail", url(association, "detail", pk=agreement.pk)),
        ("public_detail", url(association, "public_detail", pk=agreement.pk)),
        ("project_detail", url(association, "project_detail", pk=project.pk)),
    ]
    _grow(association, members, ltu, 5)
    _grow_details(association, editor, agreement, project, body, 5)
    before = _counts(client, association, paths)
    _grow(association, members, ltu, 200)
    _grow_details(association, editor, agreement, project, body, 200)
    with scopes_disabled():
        agreement.refresh_from_db()
        assert agreement.municipalities.count() >= 200
        assert agreement.follow_ups.count() == 200
        assert project.fundings.count() == 200
        assert queries.agreement_history(agreement).count() > 200
    after = _counts(client, association, paths)
    assert before == after
