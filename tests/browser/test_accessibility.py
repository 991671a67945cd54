"""axe-core (WCAG 2.1 A/AA) on the public pages, keyboard access and small screens."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_paths(site) -> list[str]:
    paths = ["/", "/accounts/login/"]
    for association, body in ((site.first, site.first_body), (site.second, site.second_body)):
        slug = association.slug
        paths += [
            f"/{slug}/",
            f"/{slug}/organ/",
            f"/{slug}/organ/{body.slug}/",
            f"/{slug}/medlemmar/",
            f"/{slug}/tillganglighet/",
            f"/{slug}/anslagstavla/",
            f"/{slug}/avtal/",
        ]
    return paths


@pytest.fixture
def agreement_paths(site) -> list[str]:
    """A published agreement with its parties, validity and a public signed document (made
    before the browser starts: Playwright's loop makes the test body an async context)."""
    return _published_agreement(site.first)


def _published_agreement(association) -> list[str]:
    """A published agreement with its parties, validity and a public signed document."""
    from agreements.models import Agreement
    from agreements.services import attach_document, create_agreement, create_organisation
    from association.tenancy import scopes_disabled
    from tests.meetings.conftest import upload

    with scopes_disabled():
        agreement = Agreement.objects.filter(association=association, is_published=True).first()
        if agreement is None:
            ltu = create_organisation(
                association=association, actor=None, name="Luleå tekniska universitet",
                organisation_number="202100-2841", kind="university",
            )  # fmt: skip
            agreement = create_agreement(
                association=association, actor=None, kind="letter_of_intent",
                title="Avsiktsförklaring om strategisk samverkan",
                purpose="Kommunal utveckling.", organisations=[ltu], signed_on=date(2021, 6, 1),
                validity_kind="until_terminated", notice_months=3, is_published=True,
            )  # fmt: skip
            attach_document(agreement=agreement, actor=None, upload=upload(),
                            title="Undertecknad", is_public=True)  # fmt: skip
    return [f"/{association.slug}/avtal/", f"/{association.slug}/avtal/{agreement.pk}/"]


@pytest.fixture
def network_paths(site) -> dict[str, list[str]]:
    """A network with a public member list, an operational group under it and a feedback
    round with answers (made before the browser starts)."""
    from django.utils import timezone

    from association.tenancy import scopes_disabled
    from networks import services
    from networks.models import FeedbackAnswer
    from tests import factories

    association = site.first
    with scopes_disabled():
        network = services.create_network(
            association=association, actor=None, name="Strategiskt nätverk utbildning",
            slug="natverk-utbildning", kind="strategic", purpose="Dialog och kunskapsutbyte.",
            reports_to=site.first_body, member_list_public=True,
        )  # fmt: skip
        services.create_network(
            association=association, actor=None, name="Operativ grupp", slug="operativ",
            kind="operational", parent=network,
        )  # fmt: skip
        factories.make_term(association)
        person = factories.make_person(association, first_name="Nils", last_name="Nätverk")
        from members.models import Municipality

        services.add_member(network=network, actor=None, person=person,
                            municipality=Municipality.objects.get(code="2580"),
                            starts_on=factories.TERM_START)  # fmt: skip
        # The staff member also sits in the network, so the answer page shows its form.
        services.add_member(network=network, actor=None, starts_on=factories.TERM_START,
                            person=factories.make_person(association, user=site.staff))  # fmt: skip
        feedback_round = services.open_feedback_round(
            association=association, actor=None, title="Röster från kommunerna", year=2025,
            closes_at=timezone.now() + timezone.timedelta(days=5),
            promises=["Stöd för likställd kvalitet.", "Stärkt kompetens."], networks=[network],
        )  # fmt: skip
        for number, score in enumerate([3, 4, 5]):
            promise = feedback_round.promises.order_by("position").first()
            FeedbackAnswer.objects.create(
                association=association, promise=promise, score=score, comment="Bra",
                respondent=factories.make_user(f"svar{number}@example.org"),
            )  # fmt: skip
    slug = association.slug
    return {
        "public": [f"/{slug}/natverk/", f"/{slug}/natverk/natverk-utbildning/"],
        "staff": [
            f"/{slug}/natverk/alla/",
            f"/{slug}/natverk/natverk-utbildning/medlemmar/",
            f"/{slug}/natverk/uppdrag/",
            f"/{slug}/natverk/arsrapporter/",
            f"/{slug}/natverk/aterkoppling/{feedback_round.pk}/",
            f"/{slug}/natverk/aterkoppling/{feedback_round.pk}/svara/",
            f"/{slug}/natverk/aterkoppling/ny/",
        ],
    }


def staff_paths(site) -> list[str]:
    slug = site.first.slug
    return [
        "/konto/",
        f"/{slug}/installningar/",
        f"/{slug}/roller/",
        f"/{slug}/historik/",
        "/konto/aviseringar/",
        "/konto/aviseringar/val/",
        f"/{slug}/aviseringar/",
        f"/{slug}/aviseringar/ledtider/",
        f"/{slug}/avtal/alla/",
        f"/{slug}/avtal/alla/ny/",
        f"/{slug}/avtal/projekt/",
        f"/{slug}/avtal/projekt/ny/",
        f"/{slug}/avtal/organisationer/",
        f"/{slug}/avtal/organisationer/ny/",
        "/accounts/2fa/",
        "/accounts/email/",
        "/accounts/password/change/",
    ]


def check_pages(page, check_accessibility, paths, width, status=200) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == status, path
        expect(page.locator("main h1")).to_be_visible()
        report = check_accessibility(page)
        if report:
            problems.append(report)
        # Nothing may spill sideways on a phone (WCAG 1.4.10 Reflow).
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path}: scrolls sideways by {overflow}px at {width}px wide")
    return problems


@pytest.mark.parametrize("width", [1280, 375])
def test_public_pages_have_no_wcag_violations(
    site, agreement_paths, network_paths, page, check_accessibility, width
):
    paths = public_paths(site) + agreement_paths + network_paths["public"]
    problems = check_pages(page, check_accessibility, paths, width)
    problems += check_pages(page, check_accessibility, ["/finns-inte/"], width, status=404)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors


def test_staff_pages_have_no_wcag_violations(site, network_paths, page, check_accessibility):
    log_in_with_totp(page, site)
    problems = []
    for width in (1280, 375):
        paths = staff_paths(site) + network_paths["staff"]
        problems += check_pages(page, check_accessibility, paths, width)
        # No role in the second association: the 403 page must be as usable as the rest.
        forbidden = [f"/{site.second.slug}/installningar/"]
        problems += check_pages(page, check_accessibility, forbidden, width, status=403)
    assert not problems, "\n\n".join(problems)
    assert not page.console_errors, page.console_errors
