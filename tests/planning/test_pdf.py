"""The PDFs' storage: made by the task, served until the version they came from changes;
English as well as Swedish."""

import io

import pytest
from pypdf import PdfReader

from association.tenancy import scopes_disabled
from planning import pdfs, services
from planning.models import Plan
from planning.tasks import build_planning_pdf
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _fresh(plan):
    with scopes_disabled():
        return Plan.objects.select_related("association", "direction", "publication").get(
            pk=plan.pk
        )


def test_the_task_stores_the_pdf_until_the_plan_changes(association, plan):
    plan = _fresh(plan)
    with scopes_disabled():
        assert pdfs.status("plan", plan, "sv").state == pdfs.NONE
    result = build_planning_pdf.apply(args=[association.pk, "plan", plan.pk, "sv"]).get()
    assert result["status"] == "ready"
    with scopes_disabled():
        assert pdfs.status("plan", plan, "sv").state == pdfs.READY
        client = factories.make_staff(association, "viewer")
    from django.test import Client

    browser = Client()
    browser.force_login(client, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/{association.slug}/planering/alla/plan/{plan.pk}/pdf/hamta/"
    response = browser.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    with scopes_disabled():
        services.add_part(plan=plan, actor=None, kind="challenge", title="Ny utmaning")
        changed = _fresh(plan)
        assert pdfs.status("plan", changed, "sv").state == pdfs.NONE  # a new version
    assert browser.get(url).status_code == 404


def test_the_pdf_in_english(association, plan):
    with scopes_disabled():
        pdf = pdfs.render_document("plan", _fresh(plan), "en")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert "Contents" in text and "Page 1 of" in text and "Regional dialog" in text
    assert "Sustainable cities and communities" in text
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_publishing_makes_the_public_pdfs_ahead(
    association, plan, board_decision, eager_tasks, django_capture_on_commit_callbacks
):
    """The publish step sends the task on commit; it asks for the PDF in every language,
    so a visitor gets the file at once instead of a page that waits for it."""
    from django.test import Client

    from tests.planning.conftest import adopted

    plan = adopted(plan, board_decision)
    with scopes_disabled():
        assert pdfs.status("plan", _fresh(plan), "sv").state == pdfs.NONE
    with django_capture_on_commit_callbacks(execute=True) as sent, scopes_disabled():
        services.publish(plan=plan, actor=None)
    assert sent  # nothing is sent before the commit
    published = _fresh(plan)
    with scopes_disabled():
        for language in ("sv", "en"):
            assert pdfs.status("plan", published, language).state == pdfs.READY, language
    response = Client().get(f"/{association.slug}/planering/plan/{plan.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_publishing_a_report_makes_its_pdf_ahead(
    association, plan, board_decision, eager_tasks, django_capture_on_commit_callbacks
):
    """Saving a draft report makes nothing; publishing it (the step that locks it) makes
    its public PDFs once the transaction commits."""
    from tests.planning.conftest import adopted

    plan = adopted(plan, board_decision)
    with scopes_disabled():
        services.publish(plan=plan, actor=None)
        report = services.create_report(plan=plan, actor=None, period="t1")
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        report = services.update_report(report=report, actor=None,
                                        expected_version=report.version,
                                        data={"summary": "Utkast"})  # fmt: skip
        assert pdfs.status("report", report, "sv").state == pdfs.NONE
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        report = services.publish_report(report=report, actor=None)
    with scopes_disabled():
        for language in ("sv", "en"):
            assert pdfs.status("report", report, language).state == pdfs.READY, language
