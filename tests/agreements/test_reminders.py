"""Reminders of agreements and projects through the shared notifications mechanism: who
gets each, when it falls due, and that a second scan makes nothing new."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements import services
from agreements.validity import add_months
from association.notifications import services as notifications
from association.notifications.kinds import local_moment
from association.notifications.models import Notification
from association.tenancy import scopes_disabled, tenant_scope
from tests import factories
from tests.agreements.conftest import make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(association):
    return {
        "editor": factories.make_staff(association, "editor", "redaktor@example.org"),
        "administrator": factories.make_staff(association, "administrator", "admin@example.org"),
        "viewer": factories.make_staff(association, "viewer", "lasare@example.org"),
    }


def scan(association, day):
    with tenant_scope(association):
        notifications.scan(association, local_moment(day))
    with scopes_disabled():
        return {
            (n.kind, n.email)
            for n in Notification.objects.filter(
                association=association, kind__startswith="agreements."
            )
        }


def test_last_day_to_give_notice_reaches_editors_and_the_responsible_once(association, staff):
    today = timezone.localdate()
    responsible = factories.make_staff(association, "viewer", "ansvarig@example.org")
    # Yearly periods with three months' notice: the deadline is three months before a
    # period's end; the reminder falls due 60 days before that.
    start = add_months(today, -11)
    agreement = make_agreement(
        association, validity_kind="renewing", period_months=12, notice_months=3,
        signed_on=start, responsible=responsible,
    )  # fmt: skip
    deadline = agreement.dates(today).last_notice_day
    assert scan(association, deadline - timedelta(days=61)) == set()
    made = scan(association, deadline - timedelta(days=60))
    kind = "agreements.notice_deadline"
    assert made == {(kind, "redaktor@example.org"), (kind, "admin@example.org"),
                    (kind, "ansvarig@example.org")}  # fmt: skip
    with scopes_disabled():
        count = Notification.objects.count()
    assert scan(association, deadline - timedelta(days=59)) == made
    with scopes_disabled():
        assert Notification.objects.count() == count


def test_follow_up_due_and_agreement_ending(association, staff):
    today = timezone.localdate()
    agreement = make_agreement(association, validity_kind="fixed",
                               ends_on=today + timedelta(days=100))  # fmt: skip
    with scopes_disabled():
        soon = today + timedelta(days=20)
        services.add_follow_up(agreement=agreement, actor=None, title="Ledningsdialog",
                               due_on=soon, responsible="Gruppen")  # fmt: skip
        done = services.add_follow_up(agreement=agreement, actor=None, title="Klar",
                                      due_on=today + timedelta(days=20))  # fmt: skip
        services.record_outcome(follow_up=done, actor=None, expected_version=1,
                                data={"done_on": today, "outcome": "Hållen"})  # fmt: skip
    made = scan(association, today + timedelta(days=6))  # 14 days before
    assert {kind for kind, _email in made} == {"agreements.follow_up_due"}
    assert {email for _kind, email in made} == {"redaktor@example.org", "admin@example.org"}
    with scopes_disabled():
        assert Notification.objects.filter(kind="agreements.follow_up_due").count() == 2
    made = scan(association, today + timedelta(days=40))  # 60 days before the end
    assert ("agreements.agreement_ending", "redaktor@example.org") in made
    with scopes_disabled():
        count = Notification.objects.count()
    scan(association, today + timedelta(days=41))
    with scopes_disabled():
        assert Notification.objects.count() == count


def test_project_ending_and_a_funders_report_due(association, staff):
    today = timezone.localdate()
    with scopes_disabled():
        project = services.create_project(
            association=association, actor=None, name="Attrahera flera",
            starts_on=today - timedelta(days=400), ends_on=today + timedelta(days=90),
        )  # fmt: skip
        services.add_funding(project=project, actor=None, source="erdf", year=today.year,
                             amount=1000, report_due_on=today + timedelta(days=45))  # fmt: skip
        cancelled = services.create_project(
            association=association, actor=None, name="Inställt", status="cancelled",
            ends_on=today + timedelta(days=90),
        )  # fmt: skip
        assert cancelled.pk
    made = scan(association, today + timedelta(days=15))  # 30 days before the report
    assert made == {("agreements.report_due", "redaktor@example.org"),
                    ("agreements.report_due", "admin@example.org")}  # fmt: skip
    made = scan(association, today + timedelta(days=30))  # 60 days before the end
    with scopes_disabled():
        ending = Notification.objects.filter(kind="agreements.project_ending")
        assert ending.count() == 2  # the ongoing project only, to the two editors
        assert all("Attrahera flera" in n.subject for n in ending)
        count = Notification.objects.count()
    scan(association, today + timedelta(days=31))
    with scopes_disabled():
        assert Notification.objects.count() == count


def test_the_lead_time_is_editable(association, staff):
    with tenant_scope(association):
        notifications.set_lead_time(association=association, actor=staff["editor"],
                                    kind_key="agreements.notice_deadline", days=90)  # fmt: skip
        from association.notifications.kinds import get

        assert notifications.lead_days(association, get("agreements.notice_deadline")) == 90
