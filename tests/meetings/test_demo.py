import pytest
from django.core.management import call_command

from association.tenancy import scopes_disabled
from governance.meetings.models import AgendaItem, ItemDocument, Meeting

pytestmark = pytest.mark.django_db


def test_demo_meetings_are_made_once_and_never_overwritten():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        assert (
            Meeting.objects.filter(association__slug="norrbotten", body__slug="styrelse").count()
            == 6
        )
        handover = AgendaItem.objects.get(
            meeting__body__slug="umearegionradet", title="Överlämning av värdkommunskapet"
        )
        assert handover.meeting.starts_at.month == 12
        # The board's budget item continues the chief executives' item.
        budget = AgendaItem.objects.filter(
            body__slug="styrelse", association__slug="norrbotten",
            title="Verksamhetsplan och budget 2027", continues__isnull=False,
        ).first()  # fmt: skip
        assert budget.continues.body.slug == "kommundirektorsberedning"
        assert ItemDocument.objects.exists()
        meeting = Meeting.objects.filter(association__slug="norrbotten").first()
        meeting.place = "Ändrad plats"
        meeting.save()
        count = Meeting.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        assert Meeting.objects.count() == count
        meeting.refresh_from_db()
        assert meeting.place == "Ändrad plats"


def test_demo_minutes_adjusted_for_past_meetings_and_one_set_awaiting():
    from django.utils import timezone

    from governance.meetings.models import Adjuster, Decision, Minutes, MinutesStatus

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        past = Meeting.objects.filter(notice_sent_at__isnull=False, ends_at__lt=timezone.now())
        assert past.exists()
        for meeting in past:
            minutes = Minutes.objects.get(meeting=meeting)
            assert minutes.is_adjusted or minutes.status == MinutesStatus.OUT_FOR_ADJUSTMENT
            if meeting.body.slug == "styrelse" and meeting.association.slug == "norrbotten":
                assert meeting.attendance.exists()  # the board has people in the demo
                assert minutes.adjusters.exists()
            assert Decision.objects.filter(item__meeting=meeting).count() == meeting.items.count()
        awaiting = Minutes.objects.filter(status=MinutesStatus.OUT_FOR_ADJUSTMENT)
        assert awaiting.count() == 1
        assert Adjuster.objects.filter(
            minutes=awaiting.get(), person__user__email="styrelseledamot@demo.samverka.se"
        ).exists()
        assert Decision.objects.filter(method="vote", votes__choice="yes").exists()
        assert Decision.objects.filter(method="consensus", consensus_reached=True).exists()
        count = Minutes.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        assert Minutes.objects.count() == count
