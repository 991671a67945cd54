"""Calendar files (iCalendar, RFC 5545) for every app, built with the ``icalendar`` library.

An app describes its events as ``CalendarEvent``s and gets bytes or a response:

- ``method="PUBLISH"`` for a subscription or a download, ``"REQUEST"`` for an invitation,
  ``"CANCEL"`` for a cancellation (RFC 5546). A calendar program matches a later file to
  an earlier one by ``uid``, and takes it as newer when ``sequence`` is higher: keep the
  UID stable for the life of the event and raise the sequence on every change that
  matters to attendees (time, place, cancellation).
- Times are written in Europe/Stockholm with its VTIMEZONE, so programs show the local
  time across summer and winter time; aware datetimes are required (a naive one is a bug).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from association.documents import content_disposition

__all__ = ["STOCKHOLM", "CalendarEvent", "calendar_bytes", "calendar_response"]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PRODID = "-//Samverka//Samverka//SV"
METHODS = frozenset({"PUBLISH", "REQUEST", "CANCEL"})


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    last_modified: datetime.datetime | None = None
    # Invitations (REQUEST/CANCEL) need an organiser for most calendar programs to offer
    # "accept"; a published calendar may leave it out.
    organizer_email: str = ""
    organizer_name: str = ""

    def __post_init__(self):
        for name in ("start", "end", "last_modified"):
            value = getattr(self, name)
            if value is not None and timezone.is_naive(value):
                raise ValueError(f"CalendarEvent.{name} must be an aware datetime")
        if self.end < self.start:
            raise ValueError("CalendarEvent.end is before its start")
        if not self.uid:
            raise ValueError("CalendarEvent.uid is required")


def _event(event: CalendarEvent, *, stamp: datetime.datetime, method: str) -> Event:
    component = Event()
    component.add("uid", event.uid)
    component.add("sequence", event.sequence)
    component.add("dtstamp", stamp)
    component.add("dtstart", event.start.astimezone(STOCKHOLM))
    component.add("dtend", event.end.astimezone(STOCKHOLM))
    component.add("summary", event.summary)
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    if event.url:
        component.add("url", event.url)
    if event.last_modified is not None:
        component.add("last-modified", event.last_modified.astimezone(datetime.UTC))
    if event.organizer_email:
        organizer = vCalAddress(f"mailto:{event.organizer_email}")
        if event.organizer_name:
            organizer.params["CN"] = vText(event.organizer_name)
        component.add("organizer", organizer)
    cancelled = event.cancelled or method == "CANCEL"
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return component


def calendar_bytes(events: Iterable[CalendarEvent], *, name: str, method: str = "PUBLISH") -> bytes:
    """An iCalendar file with ``events``; ``name`` is the calendar's display name."""
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"Unsupported calendar method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    calendar.calendar_name = name
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    events = list(events)
    for event in events:
        calendar.add_component(_event(event, stamp=stamp, method=method))
    # The time zone's rules for the years the events span (not every year since 1970).
    years = [e.start.astimezone(STOCKHOLM).year for e in events] + [
        e.end.astimezone(STOCKHOLM).year for e in events
    ]
    first, last = (min(years), max(years)) if years else (stamp.year, stamp.year)
    calendar.add_missing_timezones(
        first_date=datetime.date(first - 1, 1, 1), last_date=datetime.date(last + 2, 1, 1)
    )
    return calendar.to_ical()


def calendar_response(
    events: Iterable[CalendarEvent], *, name: str, filename: str, method: str = "PUBLISH"
) -> HttpResponse:
    """A download of ``calendar_bytes(events)`` as ``filename`` (``.ics`` is added if
    missing)."""
    if not filename.lower().endswith(".ics"):
        filename = f"{filename}.ics"
    response = HttpResponse(
        calendar_bytes(events, name=name, method=method),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
