"""Meetings as calendar events: one UID per meeting for its whole life, SEQUENCE raised on
each move, cancelled when cancelled (the shared ``association.calendar`` writes them)."""

from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext as _

from association.calendar import CalendarEvent
from governance.meetings.models import Meeting


def meeting_event(meeting: Meeting, *, url: str = "", organizer: bool = False) -> CalendarEvent:
    location = ", ".join(p for p in (meeting.place, meeting.video_url) if p)
    description = meeting.cancel_reason if meeting.is_cancelled else ""
    return CalendarEvent(
        uid=meeting.calendar_uid,
        sequence=meeting.sequence,
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=f"{meeting.body.name}: {meeting.title or _('meeting')}",
        location=location,
        description=description,
        url=url,
        cancelled=meeting.is_cancelled,
        last_modified=meeting.updated_at,
        organizer_email=parseaddr(settings.DEFAULT_FROM_EMAIL)[1] if organizer else "",
        organizer_name=meeting.association.name if organizer else "",
    )


def booking_event(booking) -> CalendarEvent:
    return CalendarEvent(
        uid=f"booking-{booking.pk}@samverka",
        sequence=1 if booking.cancelled_at else 0,
        start=booking.starts_at,
        end=booking.ends_at,
        summary=f"{booking.resource.name}: {booking.title}",
        location=booking.resource.location,
        cancelled=booking.cancelled_at is not None,
    )
