"""The meetings' notifications, declared as kinds of the shared mechanism
(``association/notifications``): the notice and its changes (required by the body's rules:
a move, a cancellation, a changed agenda, documents added after the notice), a substitute's
call-up, the staff's word of an absence, and the adjusters asked to adjust the minutes. Each
renders in the recipient's language; the notice carries the iCalendar invitation (REQUEST,
or CANCEL). The reminders about minutes left unadjusted and notices to post live with the
notice board's watch lists (``governance/noticeboard/notification_kinds.py``)."""

from datetime import date, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.calendar import calendar_bytes
from association.notifications import services as notification_services
from association.notifications.kinds import (
    Kind,
    Occasion,
    Recipient,
    absolute,
    local_moment,
    register,
)
from governance.meetings import queries
from governance.meetings.calendars import meeting_event
from governance.meetings.models import Absence, Adjuster, Meeting, MeetingStatus, Minutes

SUBJECTS = {"notice", "moved", "changed", "documents", "cancelled", "called_up"}


def recipient_of(person) -> Recipient | None:
    user = person.user
    email = (user.email if user else "") or person.email
    if not email:
        return None
    language = (user.preferred_language if user else "") or settings.LANGUAGE_CODE
    return Recipient(email=email, user_id=user.pk if user else None, language=language)


def _meeting(data: dict) -> Meeting:
    return Meeting.objects.select_related("body", "association").get(pk=data["meeting"])


def _url(meeting: Meeting) -> str:
    return reverse(
        "meetings:agenda", kwargs={"association": meeting.association.slug, "pk": meeting.pk}
    )


def _notice_context(association, data: dict) -> dict:
    meeting = _meeting(data)
    context = {
        "meeting": meeting,
        "items": queries.agenda(meeting),
        "occasion": data.get("occasion", "notice"),
        "url": absolute(_url(meeting)),
    }
    if data.get("absence"):
        context["absence"] = Absence.objects.select_related("person").get(pk=data["absence"])
    return context


def _members(association, data: dict) -> list[Recipient]:
    from governance.meetings import services

    found = (recipient_of(person) for person in services.recipients(_meeting(data)))
    return [recipient for recipient in found if recipient]


def _substitute(association, data: dict) -> list[Recipient]:
    absence = Absence.objects.select_related("substitute__user").get(pk=data["absence"])
    found = recipient_of(absence.substitute) if absence.substitute else None
    return [found] if found else []


def _staff(association, data: dict) -> list[Recipient]:
    from association.models import RoleAssignment

    roles = RoleAssignment.objects.filter(association=association).select_related("user")
    return [Recipient.of_user(role.user) for role in roles if role.user.is_active]


def _invitation(association, data: dict) -> list[tuple[str, bytes, str]]:
    meeting = _meeting(data)
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    invitation = calendar_bytes(
        [meeting_event(meeting, url=absolute(_url(meeting)), organizer=True)],
        name=str(meeting),
        method=method,
    )
    return [("invite.ics", invitation, f"text/calendar; method={method}; charset=utf-8")]


def _link(association, data: dict) -> str:
    return _url(_meeting(data))


def _absence_context(association, data: dict) -> dict:
    absence = Absence.objects.select_related("meeting__body", "person", "substitute").get(
        pk=data["absence"]
    )
    return {"absence": absence, "meeting": absence.meeting}


NOTICE = register(
    Kind(
        key="meetings.notice",
        label=_("Meeting notices"),
        required=True,
        subject="meetings/email/subject.txt",
        body="meetings/email/body.txt",
        context=_notice_context,
        recipients=_members,
        attachments=_invitation,
        link=_link,
    )
)
CHANGED = register(
    Kind(
        key="meetings.changed",
        label=_("Meetings moved, cancelled, with a changed agenda or new documents"),
        required=True,
        subject="meetings/email/subject.txt",
        body="meetings/email/body.txt",
        context=_notice_context,
        recipients=_members,
        attachments=_invitation,
        link=_link,
    )
)
CALLED_UP = register(
    Kind(
        key="meetings.called_up",
        label=_("Called up as a substitute"),
        required=True,
        subject="meetings/email/subject.txt",
        body="meetings/email/body.txt",
        context=_notice_context,
        recipients=_substitute,
        attachments=_invitation,
        link=_link,
    )
)
ABSENCE = register(
    Kind(
        key="meetings.absence",
        label=_("Absence reported (staff)"),
        subject="meetings/email/absence_subject.txt",
        body="meetings/email/absence_body.txt",
        context=_absence_context,
        recipients=_staff,
        link=_link,
    )
)


def approve_path(meeting: Meeting) -> str:
    return reverse(
        "meetings:approve", kwargs={"association": meeting.association.slug, "pk": meeting.pk}
    )


def adjusters_waiting(minutes: Minutes) -> list[Recipient]:
    """The named adjusters of ``minutes`` who have not approved yet."""
    rows = Adjuster.objects.filter(minutes=minutes, approved_at__isnull=True).select_related(
        "person__user"
    )
    found = (recipient_of(row.person) for row in rows)
    return [recipient for recipient in found if recipient]


def _minutes(data: dict) -> Minutes:
    return Minutes.objects.select_related("meeting__body", "meeting__association").get(
        pk=data["minutes"]
    )


def _adjust_context(association, data: dict) -> dict:
    minutes = _minutes(data)
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "url": absolute(approve_path(minutes.meeting)),
    }


def _adjusters(association, data: dict) -> list[Recipient]:
    return adjusters_waiting(_minutes(data))


def _adjust_link(association, data: dict) -> str:
    return approve_path(_minutes(data).meeting)


ADJUST = register(
    Kind(
        key="meetings.adjust",
        label=_("Minutes to adjust (for the adjusters)"),
        subject="meetings/email/adjust_subject.txt",
        body="meetings/email/adjust_body.txt",
        context=_adjust_context,
        recipients=_adjusters,
        link=_adjust_link,
    )
)


def sent_for_adjustment(minutes: Minutes) -> None:
    """Inside ``records.send_for_adjustment``'s transaction: each adjuster is asked, after
    commit, to read and approve (once per minutes version)."""
    notification_services.notify(
        ADJUST.key, association=minutes.association,
        occasion_key=f"minutes:{minutes.pk}:adjust", data={"minutes": minutes.pk},
    )  # fmt: skip


def announce(association, meeting_id: int, occasion: str, delivery: str = "") -> list[int]:
    """Make the notifications of a notice (once per meeting) or of a move, change or
    cancellation (once per ``delivery``, a key made when the change was saved) and return
    the e-mail deliveries still to send."""
    from association.notifications.kinds import Occasion

    kind = NOTICE if occasion == "notice" else CHANGED
    key = f"meeting:{meeting_id}:notice" if occasion == "notice" else (
        f"meeting:{meeting_id}:{occasion}:{delivery}"
    )  # fmt: skip
    occasion_ = Occasion(key=key, data={"meeting": meeting_id, "occasion": occasion})
    ids = notification_services.make_notifications(association, kind, occasion_)
    notification_services.queue_deliveries(association, ids)
    return ids


def absence_reported(absence: Absence) -> None:
    """Inside the absence's transaction: staff are told, and the substitute called up gets
    the notice (once the notice is out), both after commit."""
    meeting = absence.meeting
    data = {"absence": absence.pk, "meeting": meeting.pk, "occasion": "called_up"}
    notification_services.notify(
        "meetings.absence", association=meeting.association,
        occasion_key=f"absence:{absence.pk}", data=data,
    )  # fmt: skip
    if absence.substitute_id is not None and meeting.notice_sent:
        notification_services.notify(
            "meetings.called_up", association=meeting.association,
            occasion_key=f"absence:{absence.pk}:called_up", data=data,
        )  # fmt: skip


# --- the host municipality's hand-over meeting in December ---------------------------------


def _handovers_to_plan(association, now, lead_days: int | None):
    """Bodies whose host municipality changes at the turn of the year and that have no
    meeting planned in December for the hand-over: made ``lead_days`` before 1 December
    and found until the year ends, so a meeting planned meanwhile ends the reminding."""
    from governance.models import Body

    today = timezone.localdate(now)
    first_december = date(today.year, 12, 1)
    due_day = first_december - timedelta(days=lead_days or 0)
    if today < due_day:
        return
    year = today.year
    bodies = Body.objects.filter(association=association, host_rotation__isnull=False)
    planned = set(
        Meeting.objects.filter(
            association=association,
            body__in=bodies,
            starts_at__gte=local_moment(first_december, time(0)),
            starts_at__lt=local_moment(date(year + 1, 1, 1), time(0)),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("body_id", flat=True)
    )
    for body in bodies.select_related("host_rotation"):
        outgoing, incoming = body.host(year), body.host(year + 1)
        if body.pk in planned or outgoing is None or incoming is None or outgoing == incoming:
            continue
        yield Occasion(
            key=f"handover:{body.pk}:{year}",
            data={"body": body.pk, "year": year},
            due=local_moment(due_day),
            link=_plan_path(association, body, year),
        )


def _plan_path(association, body, year: int) -> str:
    return reverse(
        "meetings:planning",
        kwargs={"association": association.slug, "body": body.slug, "year": year},
    )


def _handover_context(association, data: dict) -> dict:
    from governance.models import Body

    body = Body.objects.select_related("host_rotation").get(pk=data["body"])
    year = data["year"]
    return {
        "body": body,
        "year": year,
        "outgoing": body.host(year),
        "incoming": body.host(year + 1),
        "path": absolute(_plan_path(association, body, year)),
    }


def _editors(association, data: dict) -> list[Recipient]:
    from governance.notification_kinds import editors

    return editors(association, data)


HANDOVER_MEETING = register(
    Kind(
        key="meetings.handover_meeting",
        label=_("The host municipality's hand-over meeting in December to plan"),
        subject="meetings/email/handover_subject.txt",
        body="meetings/email/handover_body.txt",
        context=_handover_context,
        recipients=_editors,
        find=_handovers_to_plan,
        lead_days=30,
        lead_editable=True,
    )
)
