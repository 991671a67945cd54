"""Demo meetings: a year of meetings for each demo association's main bodies (in the first
quarter also last year's), with agendas drawn from the source documents' matters (plan and
budget, direction, recommendations to the municipalities, Umeåregionen's host hand-over in
December) and a few small PDFs.

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


def _seed_minutes(association, now: datetime.datetime) -> int:
    """Minutes for the association's past meetings (notice sent, ended): attendance as
    proposed from the roll, a decision on every item drawn from its proposal, adjusted a
    week after the meeting by the chair and vice chair. The board's latest past meeting
    of Norrbotten is left out for adjustment, with the demo board member as one adjuster,
    so the demo account has minutes to approve. Meetings that have minutes are skipped."""
    from association.models import User
    from governance.meetings import records
    from governance.meetings.models import Adjuster, Minutes, MinutesStatus
    from governance.models import Person

    past = list(
        Meeting.objects.filter(
            association=association, notice_sent_at__isnull=False, ends_at__lt=now
        )
        .exclude(status="cancelled")
        .select_related("body")
        .order_by("starts_at")
    )
    awaiting = None
    if association.slug == "norrbotten":
        boards = [m for m in past if m.body.slug == "styrelse"]
        awaiting = boards[-1] if boards else None
    count, voted = 0, False
    for meeting in past:
        if Minutes.objects.filter(meeting=meeting).exists():
            continue
        council = meeting.body.kind == "council"
        voted = record_meeting(meeting, vote=not voted, consensus=council) or voted
        minutes = records.draft_minutes(meeting=meeting, actor=None)
        if meeting == awaiting:
            demo = User.objects.filter(email="styrelseledamot@demo.samverka.se").first()
            people = list(Adjuster.objects.filter(minutes=minutes).values_list("person", flat=True))
            if demo is not None:
                person = Person.objects.filter(association=association, user=demo).first()
                if person is not None:
                    people = list(dict.fromkeys([*people[:1], person.pk]))
            adjusters = list(Person.objects.filter(pk__in=people)) if people else []
            minutes = records.update_minutes(
                minutes=minutes, actor=None, expected_version=minutes.version, data={},
                adjusters=adjusters,
            )  # fmt: skip
            if adjusters and all(p.user_id for p in adjusters):
                records.send_for_adjustment(minutes=minutes, actor=None)
            count += 1
            continue
        when = meeting.ends_at + datetime.timedelta(days=7)
        Minutes.objects.filter(pk=minutes.pk).update(
            status=MinutesStatus.OUT_FOR_ADJUSTMENT, sent_at=meeting.ends_at
        )
        Adjuster.objects.filter(minutes=minutes).update(approved_at=when, is_locked=True)
        minutes.refresh_from_db()
        records.complete_adjustment(minutes=minutes, actor=None, when=when)
        count += 1
    return count


def record_meeting(meeting, *, vote: bool = False, consensus: bool = False) -> bool:
    """Attendance as proposed; every item decided as proposed (by acclamation, or by
    consensus in Umeåregionen's council), the first decision item of the first meeting by
    a vote if ``vote`` (with three voters or more, one votes no and enters a
    reservation). Items already decided (another app's demo matter) keep their decision.
    Returns whether a vote was recorded."""
    from governance.meetings import quorum, records
    from governance.meetings.models import Decision

    rows = [
        {"person": row["person"].pk, "status": row["status"], "serves_for": row["serves_for"]}
        for row in records.proposed_attendance(meeting)
    ]
    meeting.refresh_from_db()
    records.save_attendance(
        meeting=meeting, actor=None, expected_version=meeting.version, rows=rows
    )
    roll = records.presences(meeting)
    voted = False
    decided = set(Decision.objects.filter(item__meeting=meeting).values_list("item", flat=True))
    for item in (
        AgendaItem.objects.filter(meeting=meeting).exclude(pk__in=decided).order_by("position")
    ):
        data = {"text": item.proposed_decision or "Informationen noteras till protokollet.",
                "is_public": item.is_public,
                # The matters that recommend the member municipalities to decide.
                "is_recommendation": item.title.startswith("Rekommendation")}  # fmt: skip
        votes, statements = {}, []
        voters = sorted(quorum.voters_at(roll, item.position))
        if item.kind == "decision" and consensus:
            data.update(method="consensus", consensus_reached=True)
        elif item.kind == "decision" and vote and not voted and voters:
            voted = True
            votes = dict.fromkeys(voters, "yes")
            data["method"] = "vote"
            if len(voters) >= 3:
                votes[voters[-1]] = "no"
                reason = "Jag reserverar mig till förmån för återremiss."
                statements = [{"person": voters[-1], "kind": "reservation", "text": reason}]
        records.save_decision(item=item, actor=None, expected_version=None, data=data,
                              votes=votes, statements=statements)  # fmt: skip
    return voted


def seed(out) -> dict[str, str]:
    """Returns no demo accounts (the command lists accounts from each app's seed)."""
    today = timezone.localdate()
    # Early in the year few meetings have been held: the demo then also has last year's,
    # so it always shows adjusted minutes, notices and decisions beside planned meetings.
    years = (today.year - 1, today.year) if today.month <= 3 else (today.year,)
    for slug, bodies in PLAN.items():
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            continue
        with tenant_scope(association):
            count = 0
            for body_slug, plan in bodies.items():
                body = Body.objects.filter(association=association, slug=body_slug).first()
                for year in years if body is not None else ():
                    count += _seed_body(association, body, plan, year, today)
            minutes = _seed_minutes(association, timezone.now())
        out.write(f"  {slug}: {count} meetings, {minutes} minutes\n")
    return {}
