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


def test_the_minutes_pdf_of_a_demo_meeting_holds_its_record_metadata_and_variant(client):
    """A demo board meeting's adjusted minutes as a PDF, read back with pypdf: the body,
    every § number, who attended, the adjusters' approvals; the title, language and
    author; PDF/A-2 level A with the PDF/UA-1 identification and the tagged structure."""
    import io

    from django.urls import reverse
    from django.utils import timezone
    from pypdf import PdfReader

    from governance.meetings.models import Minutes, MinutesStatus
    from tests import factories

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        adjusted = Minutes.objects.filter(
            status=MinutesStatus.ADJUSTED, meeting__association__slug="norrbotten",
            meeting__body__slug="styrelse", adjusters__isnull=False,
        )  # fmt: skip
        minutes = (
            adjusted.select_related("meeting__body", "meeting__association")
            .order_by("-meeting__starts_at")
            .first()
        )
        meeting = minutes.meeting
        association = meeting.association
        numbers = sorted(meeting.items.exclude(number=None).values_list("number", flat=True))
        attended = [str(row.person) for row in meeting.attendance.select_related("person")]
        approvals = [
            f"{adjuster.person}: justerade "
            f"{timezone.localtime(adjuster.approved_at):%Y-%m-%d %H:%M}"
            for adjuster in minutes.adjusters.select_related("person")
        ]
        staff = factories.make_staff(association, "viewer")
    assert numbers and attended and approvals
    client.force_login(staff)
    kwargs = {"association": association.slug, "pk": meeting.pk}
    response = client.get(reverse("meetings:minutes_pdf", kwargs=kwargs))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    held_on = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"
    title = f"Protokoll: {meeting.body.name} {held_on}"
    for expected in [title, association.name, "Närvarande", "Justering", *attended, *approvals]:
        assert expected in text, expected
    for number in numbers:
        assert f"§ {number} " in text, number
    assert f"Justerat {timezone.localtime(minutes.adjusted_at):%Y-%m-%d}." in text
    assert reader.metadata.title == title
    assert reader.metadata.author == association.name
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert "/OutputIntents" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp or 'pdfaid:part="2"' in xmp
    assert "<pdfaid:conformance>A</pdfaid:conformance>" in xmp or 'pdfaid:conformance="A"' in xmp
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
