"""The board's querysets for pages, feeds and (later) the reminders.

The two watch lists take the association and the day to judge by, so the reminders can ask
about any day; they return what is still missing, not what was merely late.
"""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from association.models import Association
from governance.meetings.models import Meeting, MeetingStatus, Minutes
from governance.noticeboard.models import ADJUSTMENT_DAYS, Posting, start_of_day
from governance.noticeboard.services import settings_of


def postings(association: Association) -> QuerySet[Posting]:
    # The association is joined for the links (its slug); nothing else is needed.
    return Posting.objects.filter(association=association).select_related("association")


def posting(association: Association, pk: int, today: datetime.date) -> QuerySet[Posting]:
    """One notice, once it is posted (the demo or a late record may name a posting day;
    nothing is shown before it)."""
    return postings(association).filter(pk=pk, posted_on__lte=today)


def current_postings(association: Association, today: datetime.date) -> QuerySet[Posting]:
    """Notices up on ``today``: posted, and the appeal period not yet over."""
    return postings(association).filter(posted_on__lte=today, comes_down_on__gte=today)


def past_postings(association: Association, today: datetime.date) -> QuerySet[Posting]:
    return postings(association).filter(comes_down_on__lt=today).order_by("-comes_down_on", "-id")


def feed_postings(association: Association, today: datetime.date) -> QuerySet[Posting]:
    """Every notice posted by ``today``, newest first (the feeds take a slice)."""
    return postings(association).filter(posted_on__lte=today).order_by("-posted_on", "-id")


def minutes_overdue_for_adjustment(
    association: Association, today: datetime.date, days: int = ADJUSTMENT_DAYS
) -> QuerySet[Meeting]:
    """Meetings held more than ``days`` days before ``today`` (Swedish dates) that are not
    cancelled and have no adjusted minutes yet; ``latest_minutes_status`` says how far the
    newest version has come (None: no minutes drafted)."""
    latest = Minutes.objects.filter(meeting=OuterRef("pk")).order_by("-number")
    return (
        Meeting.objects.filter(
            association=association,
            starts_at__lt=start_of_day(today - datetime.timedelta(days=days)),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(minutes__is_adjusted=True)
        .select_related("body")
        .annotate(latest_minutes_status=Subquery(latest.values("status")[:1]))
        .order_by("starts_at", "id")
    )


def minutes_awaiting_notice(association: Association) -> QuerySet[Minutes]:
    """Adjusted minutes whose notice is not posted."""
    return (
        Minutes.objects.filter(
            association=association, is_adjusted=True, notice_posting__isnull=True
        )
        .select_related("meeting__body")
        .order_by("adjusted_at", "id")
    )


def notices_overdue(
    association: Association, today: datetime.date, days: int | None = None
) -> QuerySet[Minutes]:
    """Adjusted minutes whose notice is still not posted more than ``days`` days (the
    association's rule: two under Kommunallagen) after the day of adjustment."""
    if days is None:
        days = settings_of(association).posting_deadline_days
    return minutes_awaiting_notice(association).filter(
        adjusted_at__lt=start_of_day(today - datetime.timedelta(days=days))
    )


def adjusted_minutes(association: Association, pk: int) -> QuerySet[Minutes]:
    """One adjusted version of minutes, with its meeting, body and notice (if posted)."""
    return Minutes.objects.filter(association=association, pk=pk, is_adjusted=True).select_related(
        "meeting__body", "notice_posting"
    )
