"""Querysets for the meeting pages: a fixed number of queries whatever the agenda's size."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from association.tenancy import scopes_disabled
from governance.meetings.models import (
    Absence,
    AgendaItem,
    ConflictOfInterest,
    ItemDocument,
    ItemNote,
    Meeting,
    MeetingStatus,
)
from governance.models import Assignment


def meetings(association) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(association=association)
        .select_related("body", "association", "booking__resource")
        .order_by("starts_at", "id")
    )


def meeting(association, pk: int) -> QuerySet[Meeting]:
    return meetings(association).filter(pk=pk).select_related("prepares__body")


def public_meetings(association) -> QuerySet[Meeting]:
    return meetings(association).filter(notice_sent_at__isnull=False)


def body_year(body, year: int) -> QuerySet[Meeting]:
    """The body's meetings of the year, each knowing whether a preparatory meeting (not
    cancelled) is already planned for it (``has_preparatory``)."""
    from django.db.models import Exists, OuterRef

    from governance.meetings.models import MeetingStatus

    planned = Meeting.objects.filter(prepares=OuterRef("pk")).exclude(
        status=MeetingStatus.CANCELLED
    )
    return (
        meetings(body.association)
        .filter(body=body, starts_at__year=year)
        .annotate(has_preparatory=Exists(planned))
    )


def upcoming_for_body(body, limit: int = 5) -> list[Meeting]:
    since = timezone.now() - datetime.timedelta(hours=12)
    return list(
        meetings(body.association).filter(
            body=body, starts_at__gte=since, notice_sent_at__isnull=False
        )[:limit]
    )


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The items with their documents and the trail of items they continue (three steps
    back, prefetched), in order."""
    documents = ItemDocument.objects.select_related("document__current_version").order_by("id")
    trail = "continues__meeting__body"
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related(
            trail,
            "continues__continues__meeting__body",
            "continues__continues__continues__meeting__body",
        )
        .prefetch_related(Prefetch("attachments", queryset=documents))
        .order_by("position", "id")
    )
    # Every item's meeting is the one in hand: asking item.meeting must not load it again.
    for item in items:
        item.meeting = meeting
        for link in item.attachments.all():
            link.item = item
    return items


def notes_of(meeting: Meeting, user) -> dict[int, ItemNote]:
    """The user's own notes on the meeting's items: always filtered by the author."""
    if not user.is_authenticated:
        return {}
    return {
        note.item_id: note for note in ItemNote.objects.filter(item__meeting=meeting, author=user)
    }


def conflicts(meeting: Meeting) -> dict[int, list[ConflictOfInterest]]:
    result: dict[int, list[ConflictOfInterest]] = {}
    for row in ConflictOfInterest.objects.filter(item__meeting=meeting).select_related("person"):
        result.setdefault(row.item_id, []).append(row)
    return result


def absences(meeting: Meeting) -> list[Absence]:
    return list(
        Absence.objects.filter(meeting=meeting)
        .select_related("person", "substitute")
        .order_by("reported_at")
    )


def item(meeting: Meeting, pk: int) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting=meeting, pk=pk).select_related(
        "meeting__body", "continues__meeting__body"
    )


def continuable_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    """Items of other bodies' meetings of the last year that an item may continue."""
    since = meeting.starts_at - datetime.timedelta(days=400)
    return (
        AgendaItem.objects.filter(
            association=meeting.association_id,
            meeting__starts_at__gte=since,
            meeting__starts_at__lte=meeting.starts_at,
        )
        .exclude(body=meeting.body_id)
        .select_related("meeting__body")
        .order_by("-meeting__starts_at", "position")
    )


def my_meetings(user, *, since: datetime.datetime | None = None) -> list[Meeting]:
    """Meetings of every body the user sits in, in every association, from ``since``
    (default: today): only meetings on days the user's assignment covers."""
    if not user.is_authenticated:
        return []
    since = since or timezone.now() - datetime.timedelta(hours=12)
    with scopes_disabled():
        assignments = list(
            Assignment.objects.filter(person__user=user, ends_on__gte=since.date()).values_list(
                "body_id", "starts_on", "ends_on"
            )
        )
        if not assignments:
            return []
        rows = (
            Meeting.objects.filter(body_id__in={a[0] for a in assignments}, starts_at__gte=since)
            .select_related("body", "association")
            .order_by("starts_at", "id")[:200]
        )
        result = []
        for row in rows:
            day = timezone.localtime(row.starts_at).date()
            if any(b == row.body_id and s <= day <= e for b, s, e in assignments):
                result.append(row)
        return result


def feed_meetings(association, body=None) -> QuerySet[Meeting]:
    """The public feed: meetings after notice (and those cancelled after it), from a year
    back."""
    since = timezone.now() - datetime.timedelta(days=365)
    rows = public_meetings(association).filter(starts_at__gte=since)
    if body is not None:
        rows = rows.filter(body=body)
    return rows


def private_feed(user) -> tuple[list[Meeting], list]:
    """A person's meetings (planned ones too) and their own room bookings, every association."""
    from governance.rooms.models import Booking

    since = timezone.now() - datetime.timedelta(days=365)
    own = my_meetings(user, since=since)
    with scopes_disabled():
        bookings = list(
            Booking.objects.filter(booked_by=user, starts_at__gte=since)
            .select_related("resource")
            .order_by("starts_at")[:500]
        )
    return own, bookings


__all__ = ["MeetingStatus"]


# --- the record and the minutes -----------------------------------------------------------


def attendance(meeting: Meeting) -> list:
    from governance.meetings.models import Attendance

    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person", "serves_for", "arrived_before", "left_after")
        .order_by("id")
    )


def record_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda with each item's decision (``item.the_decision``, or None), its votes and
    statements with their people, and its declared conflicts (``item.declared``): a fixed
    number of queries whatever the agenda's size."""
    from governance.meetings.models import Decision, Statement, Vote

    decisions = {
        d.item_id: d
        for d in Decision.objects.filter(item__meeting=meeting).prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("person").order_by("id")),
            Prefetch(
                "statements", queryset=Statement.objects.select_related("person").order_by("id")
            ),
        )
    }
    declared = conflicts(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    for row in items:
        row.meeting = meeting
        row.the_decision = decisions.get(row.pk)
        row.declared = declared.get(row.pk, [])
    return items


def minutes_versions(meeting: Meeting) -> list:
    from governance.meetings.models import Adjuster, Minutes

    return list(
        Minutes.objects.filter(meeting=meeting)
        .prefetch_related(
            Prefetch(
                "adjusters",
                queryset=Adjuster.objects.select_related("person").order_by("id"),
            )
        )
        .order_by("number")
    )


def minutes_to_adjust(user) -> list:
    """Minutes out for adjustment in which the user is a named adjuster and has not yet
    approved, in every association."""
    from governance.meetings.models import Adjuster, MinutesStatus

    if not user.is_authenticated:
        return []
    with scopes_disabled():
        return list(
            Adjuster.objects.filter(
                person__user=user,
                approved_at__isnull=True,
                minutes__status=MinutesStatus.OUT_FOR_ADJUSTMENT,
            )
            .select_related("minutes__meeting__body", "minutes__meeting__association")
            .order_by("minutes__meeting__starts_at")[:100]
        )


def overdue_minutes(association, *, days: int = 14, now=None) -> list[Meeting]:
    """Meetings held more than ``days`` days ago (notice sent, not cancelled) whose minutes
    are not adjusted: no minutes yet, a draft, or out for adjustment."""
    from django.db.models import Exists, OuterRef

    from governance.meetings.models import Minutes

    now = now or timezone.now()
    adjusted = Minutes.objects.filter(meeting=OuterRef("pk"), is_adjusted=True)
    latest = Minutes.objects.filter(meeting=OuterRef("pk")).order_by("-number")
    from django.db.models import Subquery

    return list(
        meetings(association)
        .filter(
            notice_sent_at__isnull=False,
            ends_at__lt=now - datetime.timedelta(days=days),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .annotate(
            is_adjusted=Exists(adjusted),
            minutes_status=Subquery(latest.values("status")[:1]),
        )
        .filter(is_adjusted=False)
        .order_by("starts_at")[:500]
    )
