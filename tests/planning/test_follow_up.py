"""Follow-up: tertial reports and the annual report compiled from them; many statuses at
once; outcome figures imported from CSV or XLSX, all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from association.tenancy import scopes_disabled
from planning import services
from planning.models import BudgetOutcome, IndicatorValue, StatusEntry
from tests.planning.conftest import adopted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def adopted_plan(plan, board_decision):
    with scopes_disabled():
        services.add_part(plan=plan, actor=None, kind="indicator", name="Antal deltagare",
                          baseline=Decimal(10), target=Decimal(50))  # fmt: skip
    return adopted(plan, board_decision)


def test_only_an_adopted_plan_is_followed_up(plan):
    with scopes_disabled(), pytest.raises(ValidationError):
        services.create_report(plan=plan, actor=None, period="t1")


def test_the_annual_report_is_compiled_from_the_tertials(adopted_plan):
    with scopes_disabled():
        t1 = services.create_report(plan=adopted_plan, actor=None, period="t1")
        rows = {
            ("goal" if e.goal_id else "activity"): e for e in StatusEntry.objects.filter(report=t1)
        }
        assert len(StatusEntry.objects.filter(report=t1)) == 2  # one goal, one activity
        services.save_statuses(report=t1, actor=None, entries={
            rows["goal"].pk: ("on_track", "Bra start"),
            rows["activity"].pk: ("at_risk", "Försenad"),
        })  # fmt: skip
        t1.summary = "Första tertialen."
        t1.save()
        t2 = services.create_report(plan=adopted_plan, actor=None, period="t2")
        activity = StatusEntry.objects.get(report=t2, activity__isnull=False)
        services.save_statuses(report=t2, actor=None, entries={activity.pk: ("done", "Klar")})
        services.import_outcomes(
            report=t2, actor=None, content=b"Staff;450 000\nAntal deltagare;42\n",
            file_name="utfall.csv",
        )  # fmt: skip
        annual = services.create_report(plan=adopted_plan, actor=None, period="annual")
        entries = {
            ("goal" if e.goal_id else "activity"): e
            for e in StatusEntry.objects.filter(report=annual)
        }
        assert (entries["goal"].status, entries["goal"].comment) == (
            "on_track", "Tertial 1 (January–April): Bra start"
        )  # fmt: skip
        assert entries["activity"].status == "done"
        assert "Försenad" in entries["activity"].comment and "Klar" in entries["activity"].comment
        assert "Första tertialen." in annual.summary
        assert BudgetOutcome.objects.get(report=annual, category="staff").amount == 450_000
        assert IndicatorValue.objects.get(report=annual).value == Decimal(42)
        with pytest.raises(ValidationError):
            services.create_report(plan=adopted_plan, actor=None, period="t1")  # exists


def test_the_import_is_all_or_nothing_and_lists_every_bad_row(adopted_plan):
    content = "\n".join([
        "Post;Utfall",
        "Staff;450 000",
        "Premises;abc",
        "Okänd rad;5",
        "staff;3",
        "Antal deltagare;12,5",
    ]).encode()  # fmt: skip
    with scopes_disabled():
        report = services.create_report(plan=adopted_plan, actor=None, period="t1")
        with pytest.raises(ValidationError) as raised:
            services.import_outcomes(report=report, actor=None, content=content, file_name="u.csv")
        assert BudgetOutcome.objects.filter(report=report).count() == 0
        assert IndicatorValue.objects.filter(report=report).count() == 0
    messages = raised.value.messages
    assert any(m.startswith("Row 3:") for m in messages)
    assert any(m.startswith("Row 4:") for m in messages)
    assert any(m.startswith("Row 5:") for m in messages)  # twice
    assert not any(m.startswith(("Row 2:", "Row 6:")) for m in messages)


def test_an_xlsx_file_imports(adopted_plan):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Post", "Utfall"])
    sheet.append(["staff", 1200])
    sheet.append(["Premises", 300])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with scopes_disabled():
        report = services.create_report(plan=adopted_plan, actor=None, period="t1")
        services.import_outcomes(report=report, actor=None, content=buffer.getvalue(),
                                 file_name="utfall.xlsx")  # fmt: skip
        outcomes = dict(
            BudgetOutcome.objects.filter(report=report).values_list("category", "amount")
        )
    assert outcomes == {"staff": 1200, "premises": 300}


def test_staff_update_many_statuses_on_one_page_and_import_from_it(association, adopted_plan):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from tests import factories

    client = Client()
    client.force_login(factories.make_staff(association, "editor"),
                       backend="django.contrib.auth.backends.ModelBackend")  # fmt: skip
    with scopes_disabled():
        report = services.create_report(plan=adopted_plan, actor=None, period="t1")
        entries = list(StatusEntry.objects.filter(report=report))
    base = f"/{association.slug}/planering/alla/uppfoljning/{report.pk}"
    page = client.get(f"{base}/status/").content.decode()
    assert all(f'name="status-{e.pk}"' in page for e in entries)
    data = {}
    for entry in entries:
        data[f"status-{entry.pk}"] = "behind"
        data[f"comment-{entry.pk}"] = "Sent"
    assert client.post(f"{base}/status/", data).status_code == 302
    with scopes_disabled():
        assert set(StatusEntry.objects.filter(report=report).values_list("status", flat=True)) == {
            "behind"
        }
    bad = SimpleUploadedFile("u.csv", b"Staff;1\nNope;2\n", content_type="text/csv")
    response = client.post(f"{base}/import/", {"file": bad})
    assert response.status_code == 200
    assert "Row 2:" in response.content.decode()
    with scopes_disabled():
        assert not BudgetOutcome.objects.filter(report=report).exists()
    good = SimpleUploadedFile("u.csv", b"Staff;1\nPremises;2\n", content_type="text/csv")
    assert client.post(f"{base}/import/", {"file": good}).status_code == 302
    page = client.get(f"{base}/").content.decode()
    assert "Behind" in page and "Sent" in page


def test_a_published_report_is_locked_and_corrected_in_a_new_version(adopted_plan):
    """Publishing locks the report and its rows (application and database); a correction
    is a new version with a reason that takes the public page once published."""
    from django.db import IntegrityError, transaction

    from association.locking import RecordLocked
    from planning import queries
    from planning.models import FollowUpReport

    with scopes_disabled():
        report = services.create_report(plan=adopted_plan, actor=None, period="t1")
        entry = StatusEntry.objects.filter(report=report).first()
        services.save_statuses(report=report, actor=None, entries={entry.pk: ("on_track", "")})
        report = services.publish_report(report=report, actor=None)
        assert report.is_locked and report.is_published
        with pytest.raises(RecordLocked):
            services.save_statuses(report=report, actor=None, entries={entry.pk: ("done", "")})
        with pytest.raises(RecordLocked):
            services.update_report(report=report, actor=None, expected_version=report.version,
                                   data={"summary": "Ändrad"})  # fmt: skip
        with pytest.raises(RecordLocked):
            services.import_outcomes(report=report, actor=None, content=b"Staff;1\n",
                                     file_name="utfall.csv")  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            FollowUpReport.objects.filter(pk=report.pk).update(summary="x")
        with pytest.raises(IntegrityError), transaction.atomic():
            StatusEntry.objects.filter(report=report).update(comment="x")
        with pytest.raises(IntegrityError), transaction.atomic():
            IndicatorValue.objects.create(
                association=report.association, report=report,
                indicator=adopted_plan.indicators.get(), value=1,
            )  # fmt: skip
        with pytest.raises(ValidationError):
            services.correct_report(report=report, actor=None, reason=" ")
        correction = services.correct_report(report=report, actor=None, reason="Fel status")
        assert (correction.number, correction.supersedes, correction.is_locked) == (
            2, report, False)  # fmt: skip
        copied = StatusEntry.objects.get(report=correction, goal=entry.goal,
                                         activity=entry.activity)  # fmt: skip
        assert copied.status == "on_track"
        services.save_statuses(
            report=correction, actor=None,
            entries={copied.pk: ("done", "")},
        )  # fmt: skip
        assert StatusEntry.objects.get(pk=entry.pk).status == "on_track"  # as published
        services.publish_report(report=correction, actor=None)
        with pytest.raises(ValidationError) as raised:
            services.correct_report(report=report, actor=None, reason="Igen")
        assert raised.value.code == "corrected"
        services.publish(plan=adopted_plan, actor=None)
        public = list(queries.published_reports(adopted_plan.association))
    assert public == [correction]


def test_staff_publish_and_correct_on_the_report_page(client, association, adopted_plan):
    from django.test import Client

    from planning.models import FollowUpReport
    from tests import factories

    with scopes_disabled():
        report = services.create_report(plan=adopted_plan, actor=None, period="t1")
    editor = Client()
    editor.force_login(factories.make_staff(association, "editor"),
                       backend="django.contrib.auth.backends.ModelBackend")  # fmt: skip
    url = f"/{association.slug}/planering/alla/uppfoljning/{report.pk}/steg/"
    assert editor.post(url, {"step": "publish"}).status_code == 302
    page = editor.get(f"/{association.slug}/planering/alla/uppfoljning/{report.pk}/").text
    assert "published and locked" in page and "Change the summary" not in page
    response = editor.post(url, {"step": "correct", "reason": "Fel utfall"})
    with scopes_disabled():
        correction = FollowUpReport.objects.get(supersedes=report)
    assert response["Location"].endswith(f"/uppfoljning/{correction.pk}/")
    page = editor.get(response["Location"]).text
    assert "Fel utfall" in page and "Change the summary" in page


def test_the_outcome_import_is_previewed_then_confirmed_from_the_server(association, adopted_plan):
    """The upload only stages the figures; the preview shows them beside today's; the
    confirmation applies the stored ones (all or nothing, once); a bad file lists every
    bad row and stages nothing."""
    from django.test import Client

    from planning.models import OutcomeImport
    from tests import factories

    with scopes_disabled():
        report = services.create_report(plan=adopted_plan, actor=None, period="t1")
    editor = Client()
    editor.force_login(factories.make_staff(association, "editor"),
                       backend="django.contrib.auth.backends.ModelBackend")  # fmt: skip
    url = f"/{association.slug}/planering/alla/uppfoljning/{report.pk}/import/"
    upload = io.BytesIO(b"Staff;450 000\nAntal deltagare;42\n")
    upload.name = "utfall.csv"
    response = editor.post(url, {"file": upload})
    with scopes_disabled():
        staged = OutcomeImport.objects.get(report=report)
        assert not BudgetOutcome.objects.filter(report=report).exists()  # nothing yet
    assert response["Location"].endswith(f"/import/{staged.pk}/")
    page = editor.get(response["Location"]).text
    assert "450000" in page and "42" in page and "Import these figures" in page
    # The confirmation posts no figures: the stored ones are applied.
    assert editor.post(response["Location"], {"action": "confirm", "staff": 1}).status_code == 302
    with scopes_disabled():
        assert BudgetOutcome.objects.get(report=report, category="staff").amount == 450000
        assert IndicatorValue.objects.get(report=report).value == 42
    editor.post(response["Location"], {"action": "confirm"})
    with scopes_disabled():
        assert BudgetOutcome.objects.filter(report=report).count() == 1
        with pytest.raises(ValidationError):
            services.apply_outcome_import(outcome_import=staged, actor=None)
    bad = io.BytesIO(b"".join(b"Ingen rad %d;1\n" % n for n in range(60)))
    bad.name = "fel.csv"
    page = editor.post(url, {"file": bad}).text
    assert "Row 60:" in page and "Row 1:" in page
    with scopes_disabled():
        assert OutcomeImport.objects.filter(report=report).count() == 1
    wrong = f"/{association.slug}/planering/alla/uppfoljning/{report.pk}/import/{staged.pk + 9}/"
    assert editor.get(wrong).status_code == 404


def test_a_discarded_import_writes_nothing(association, adopted_plan):
    with scopes_disabled():
        report = services.create_report(plan=adopted_plan, actor=None, period="t1")
        staged = services.stage_outcome_import(report=report, actor=None,
                                               content=b"Staff;5\n", file_name="u.csv")  # fmt: skip
        services.discard_outcome_import(outcome_import=staged, actor=None)
        with pytest.raises(ValidationError):
            services.apply_outcome_import(outcome_import=staged, actor=None)
        assert not BudgetOutcome.objects.filter(report=report).exists()


def test_outcome_files_left_at_the_preview_are_discarded_after_two_days(association, adopted_plan):
    """The daily sweep runs in every association's scope; a fresh preview stays."""
    from datetime import timedelta

    from django.utils import timezone

    from planning.models import OutcomeImport
    from planning.tasks import discard_stale_outcome_imports

    with scopes_disabled():
        report = services.create_report(plan=adopted_plan, actor=None, period="t1")
        old, fresh = (
            services.stage_outcome_import(
                report=report, actor=None, content=b"Staff;5\n", file_name=name
            )
            for name in ("old.csv", "fresh.csv")
        )
        OutcomeImport.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - timedelta(days=2, minutes=1)
        )
    assert discard_stale_outcome_imports()[association.slug] == 1
    with scopes_disabled():
        old.refresh_from_db()
        fresh.refresh_from_db()
        assert (old.status, old.lines) == ("discarded", {})
        assert fresh.status == "pending" and fresh.lines
        with pytest.raises(ValidationError):
            services.apply_outcome_import(outcome_import=old, actor=None)
        assert not BudgetOutcome.objects.filter(report=report).exists()
