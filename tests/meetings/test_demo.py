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
