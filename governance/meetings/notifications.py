"""The e-mails of meetings, one small function per occasion (the reminders work will take
them over). Each renders in the recipient's language and is called after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from association.calendar import calendar_bytes
from association.tenancy import scopes_disabled, tenant_scope
from governance.meetings import queries
from governance.meetings.calendars import meeting_event
from governance.meetings.models import Absence, Meeting

SUBJECTS = {"notice", "moved", "changed", "cancelled"}


def _address(person) -> tuple[str, str]:
    user = person.user
    email = (user.email if user else "") or person.email
    language = (user.preferred_language if user else "") or settings.LANGUAGE_CODE
    return email, language


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if getattr(settings, "SITE_URL", "") else path


def send_to_person(meeting: Meeting, person, occasion: str) -> bool:
    """One member's or substitute's e-mail about the meeting: the notice, a move, a change
    of the agenda or a cancellation, with the calendar invitation (REQUEST, or CANCEL)."""
    email, language = _address(person)
    if not email:
        return False
    items = queries.agenda(meeting)
    url = _absolute(
        reverse(
            "meetings:agenda", kwargs={"association": meeting.association.slug, "pk": meeting.pk}
        )
    )
    with translation.override(language):
        context = {
            "meeting": meeting,
            "items": items,
            "occasion": occasion,
            "url": url,
            "person": person,
            "association": meeting.association,
        }
        subject = " ".join(render_to_string("meetings/email/subject.txt", context).split())
        body = render_to_string("meetings/email/body.txt", context)
        method = "CANCEL" if meeting.is_cancelled else "REQUEST"
        invitation = calendar_bytes(
            [meeting_event(meeting, url=url, organizer=True)], name=str(meeting), method=method
        )
    message = EmailMessage(subject, body, None, [email])
    message.attach("invite.ics", invitation, f"text/calendar; method={method}; charset=utf-8")
    message.send()
    return True


def absence_reported(absence_id: int) -> int:
    """Tell the association's staff who reported absence and which substitute is called up;
    the substitute gets the notice too."""
    from association.models import RoleAssignment

    with scopes_disabled():
        absence = Absence.objects.select_related(
            "meeting__body", "meeting__association", "person", "substitute__user"
        ).get(pk=absence_id)
    meeting = absence.meeting
    sent = 0
    with tenant_scope(meeting.association):
        staff = RoleAssignment.objects.filter(association=meeting.association).select_related(
            "user"
        )
        for role in staff:
            with translation.override(role.user.preferred_language or settings.LANGUAGE_CODE):
                context = {"absence": absence, "meeting": meeting}
                subject = " ".join(
                    render_to_string("meetings/email/absence_subject.txt", context).split()
                )
                body = render_to_string("meetings/email/absence_body.txt", context)
            EmailMessage(subject, body, None, [role.user.email]).send()
            sent += 1
        if absence.substitute is not None and meeting.notice_sent:
            sent += send_to_person(meeting, absence.substitute, "notice")
    return sent
