"""Demo meetings: a year of meetings for each demo association's main bodies, with agendas
drawn from the source documents' matters (plan and budget, direction, recommendations to
the municipalities, Umeåregionen's host hand-over in December) and a few small PDFs.

Creates what is missing and never overwrites: a body that already has meetings in the
year is left alone.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from association.models import Association
from association.pdf import render_pdf
from association.tenancy import tenant_scope
from governance.meetings import services
from governance.meetings.models import AgendaItem, BodyMeetingSettings, Meeting
from governance.models import Body

STOCKHOLM = ZoneInfo("Europe/Stockholm")
STANDING = "Mötets öppnande\nVal av justerare\nGodkännande av dagordningen"

# association slug -> body slug -> (months, hour, place, preparatory body, [(month, items)])
PLAN = {
    "norrbotten": {
        "kommundirektorsberedning": ([1, 3, 5, 8, 10, 11], 9, "Digitalt (Teams)", None),
        "styrelse": (
            [2, 4, 6, 9, 11, 12],
            10,
            "Kommunförbundet Norrbotten, Luleå",
            "kommundirektorsberedning",
        ),
        "forbundsfullmaktige": ([5], 10, "Kulturens hus, Luleå", None),
    },
    "vasternorrland": {
        "styrelse": ([2, 4, 6, 9, 11, 12], 13, "Kommunförbundet Västernorrland, Härnösand", None),
        "forbundsmote": ([5], 10, "Sundsvall", None),
    },
    "umearegionen": {
        "kommunchefsgruppen": ([1, 3, 5, 9, 11], 9, "Renmarkstorget, Umeå", None),
        "umearegionradet": ([2, 4, 6, 10, 12], 13, "Renmarkstorget, Umeå", "kommunchefsgruppen"),
    },
}

# Matters by body slug: (title, kind, description, proposed decision, public, document title)
MATTERS = {
    "kommundirektorsberedning": [
        (
            "Verksamhetsplan och budget 2027",
            "discussion",
            "Beredning av förslaget till verksamhetsplan och budget inför styrelsen.",
            "Kommundirektörsberedningen föreslår styrelsen att godkänna förslaget.",
            True,
            "Förslag verksamhetsplan och budget 2027",
        ),
        (
            "Rekommendation till kommunerna om gemensam upphandling",
            "decision",
            "Förslag till rekommendation om samordnad upphandling av e-tjänsteplattform.",
            "Beredningen ställer sig bakom förslaget.",
            True,
            None,
        ),
    ],
    "styrelse": [
        (
            "Verksamhetsplan och budget 2027",
            "decision",
            "Styrelsen föreslår förbundsfullmäktige att fastställa verksamhetsplan och budget.",
            "Styrelsen föreslår fullmäktige att fastställa verksamhetsplan och budget för 2027.",
            True,
            "Verksamhetsplan och budget 2027",
        ),
        (
            "Rekommendation till kommunerna om gemensam upphandling",
            "decision",
            "Rekommendation till medlemskommunerna efter beredning.",
            "Styrelsen rekommenderar medlemskommunerna att delta i den gemensamma upphandlingen.",
            True,
            None,
        ),
        (
            "Inriktningsdokument för mandatperioden",
            "discussion",
            "Arbetet med nästa mandatperiods inriktning.",
            "",
            True,
            None,
        ),
        (
            "Personalfrågor",
            "information",
            "Rapport från kansliet.",
            "",
            False,
            "Promemoria personalfrågor",
        ),
    ],
    "forbundsfullmaktige": [
        (
            "Verksamhetsplan och budget 2027",
            "decision",
            "Styrelsens förslag.",
            "Förbundsfullmäktige fastställer verksamhetsplan och budget för 2027.",
            True,
            None,
        ),
        (
            "Inriktningsdokument",
            "decision",
            "Inriktning för kommande mandatperiod.",
            "Förbundsfullmäktige antar inriktningsdokumentet.",
            True,
            None,
        ),
    ],
    "forbundsmote": [
        (
            "Verksamhetsplan och budget 2027",
            "decision",
            "Styrelsens förslag.",
            "Förbundsmötet fastställer verksamhetsplan och budget.",
            True,
            None,
        ),
    ],
    "kommunchefsgruppen": [
        ("Verksamhetsplan och budget 2027", "discussion", "Beredning inför rådet.", "", True, None),
        (
            "Överlämning av värdkommunskapet",
            "information",
            "Förberedelse av överlämningen till nästa års värdkommun.",
            "",
            True,
            None,
        ),
    ],
    "umearegionradet": [
        (
            "Verksamhetsplan och budget 2027",
            "decision",
            "Kommunchefsgruppens förslag.",
            "Umeåregionrådet fastställer verksamhetsplan och budget för 2027.",
            True,
            "Verksamhetsplan Umeåregionen 2027",
        ),
        (
            "Rekommendation till kommunerna om gemensam översiktsplanering",
            "decision",
            "Rekommendation till de sju kommunerna.",
            "Rådet rekommenderar kommunerna att anta den gemensamma strategin.",
            True,
            None,
        ),
    ],
}
HANDOVER = ("Överlämning av värdkommunskapet", "decision",
            "I december lämnar årets värdkommun över ordförandeskapet och kansliet till "
            "nästa års värdkommun enligt rotationsschemat.",
            "Umeåregionrådet tackar årets värdkommun och välkomnar nästa.", True,
            "Överlämning av värdkommunskapet")  # fmt: skip


def _document(association, title: str) -> ContentFile:
    content = render_pdf(
        association=association,
        template_name="meetings/pdf/demo_document.html",
        context={"text": title},
        title=title,
        language="sv",
    )
    upload = ContentFile(content, name=f"{title[:60]}.pdf")
    return upload


def _seed_body(association, body: Body, plan, year: int, today: datetime.date) -> int:
    months, hour, place, preparatory = plan
    if Meeting.objects.filter(body=body, starts_at__year=year).exists():
        return 0
    if not BodyMeetingSettings.objects.filter(body=body).exists():
        data = {"standing_items": STANDING if body.kind in ("board", "council") else ""}
        if preparatory:
            data["preparatory_body"] = Body.objects.filter(
                association=association, slug=preparatory
            ).first()
            data["preparatory_days_before"] = 14
        services.save_settings(body=body, actor=None, data=data)
    created = 0
    for month in months:
        starts = datetime.datetime(year, month, 12 + (month % 3), hour, tzinfo=STOCKHOLM)
        meeting = services.create_meeting(
            body=body,
            actor=None,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            place=place,
            video_url="https://meet.example.org/" + body.slug if month % 2 else "",
        )
        matters = list(MATTERS.get(body.slug, []))
        if body.slug == "umearegionradet" and month == 12:
            matters.append(HANDOVER)
        for title, kind, description, proposal, public, document in matters:
            earlier = (
                AgendaItem.objects.filter(
                    association=association, title=title, meeting__starts_at__lt=starts
                )
                .exclude(body=body)
                .order_by("-meeting__starts_at")
                .first()
            )
            item = services.add_item(
                meeting=meeting,
                actor=None,
                title=title,
                kind=kind,
                description=description,
                proposed_decision=proposal,
                is_public=public,
                presenter="Förbundsdirektören",
                case_number=f"{year}/{month:02d}-{len(title) % 90:02d}",
                continues=earlier,
            )
            if document and month == months[-1]:
                services.attach_document(
                    item=item,
                    actor=None,
                    upload=_document(association, document),
                    title=document,
                    is_public=public,
                )
        if starts.date() <= today + datetime.timedelta(days=21):
            services.send_notice(meeting=meeting, actor=None)
        created += 1
    return created


def seed(out) -> dict[str, str]:
    """Returns no demo accounts (the command lists accounts from each app's seed)."""
    today = timezone.localdate()
    for slug, bodies in PLAN.items():
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            continue
        with tenant_scope(association):
            count = 0
            for body_slug, plan in bodies.items():
                body = Body.objects.filter(association=association, slug=body_slug).first()
                if body is not None:
                    count += _seed_body(association, body, plan, today.year, today)
        out.write(f"  {slug}: {count} meetings\n")
    return {}
