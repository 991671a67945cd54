"""The follow-up of minutes as reminders of the shared mechanism (``association/notifications``),
found by the board's own watch lists (``queries``), so the staff's page and the reminders
always agree:

- minutes not adjusted 14 days after the meeting: to the adjusters who have not approved
  (once the minutes are out for adjustment), the body's secretary and the association's
  editors, on the 15th day and then weekly while they stay unadjusted (at most
  ``ADJUSTMENT_REPEATS`` times more);
- the notice of adjusted minutes still not posted on the last day to post it (the board's
  rule: two days under Kommunallagen): to the editors. Where the board posts automatically
  the notice is up before that, so only a missed or manual posting is reminded of;
- the appeal period of a notice ended (the day after it came down): to the editors.

Each scan looks back only a little further than the mechanism's ``SCAN_WINDOW``: what fell
due long ago (a meeting of last year without minutes) is not reminded of.
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.notifications.kinds import (
    Kind,
    Occasion,
    Recipient,
    absolute,
    local_moment,
    register,
)
from association.notifications.services import SCAN_WINDOW
from governance.noticeboard import queries
from governance.noticeboard.models import ADJUSTMENT_DAYS, start_of_day, swedish_date
from governance.notification_kinds import editors

# Reminders after the first while the minutes stay unadjusted, a week apart.
ADJUSTMENT_REPEATS = 4
LOOK_BACK = SCAN_WINDOW + timedelta(days=2)


def _watch_path(association) -> str:
    return reverse("noticeboard:watch", kwargs={"association": association.slug})


# --- minutes not adjusted 14 days after the meeting ----------------------------------------


def _adjustment_overdue(association, now: datetime, lead_days: int | None):
    from governance.meetings.notifications import approve_path

    today = timezone.localdate(now)
    reach = ADJUSTMENT_DAYS + 1 + 7 * ADJUSTMENT_REPEATS + LOOK_BACK.days
    meetings = queries.minutes_overdue_for_adjustment(association, today).filter(
        starts_at__gte=start_of_day(today - timedelta(days=reach))
    )
    for meeting in meetings:
        # The first day the watch list shows it (held more than 14 days before).
        flagged = swedish_date(meeting.starts_at) + timedelta(days=ADJUSTMENT_DAYS + 1)
        week = min((today - flagged).days // 7, ADJUSTMENT_REPEATS)
        if week < 0:
            continue
        yield Occasion(
            key=f"meeting:{meeting.pk}:adjustment_overdue:{week}",
            data={"meeting": meeting.pk, "week": week},
            due=local_moment(flagged + timedelta(days=7 * week)),
            link=approve_path(meeting),
        )


def _meeting(data: dict):
    from governance.meetings.models import Meeting

    return Meeting.objects.select_related("body", "association").get(pk=data["meeting"])


def _adjustment_context(association, data: dict) -> dict:
    from governance.meetings import records
    from governance.meetings.notifications import approve_path

    meeting = _meeting(data)
    return {
        "meeting": meeting,
        "minutes": records.current_minutes(meeting),
        "days": ADJUSTMENT_DAYS,
        "url": absolute(approve_path(meeting)),
        "watch_url": absolute(_watch_path(association)),
    }


def _adjustment_recipients(association, data: dict) -> list[Recipient]:
    from governance.meetings import records
    from governance.meetings.models import MinutesStatus
    from governance.meetings.notifications import adjusters_waiting, recipient_of
    from governance.models import Role

    meeting = _meeting(data)
    found = []
    minutes = records.current_minutes(meeting)
    if minutes is not None and minutes.status == MinutesStatus.OUT_FOR_ADJUSTMENT:
        found += adjusters_waiting(minutes)
    for assignment in records.body_assignments(meeting):
        if assignment.role == Role.SECRETARY:
            recipient = recipient_of(assignment.person)
            found += [recipient] if recipient else []
    return found + editors(association, data)


ADJUSTMENT_OVERDUE = register(
    Kind(
        key="noticeboard.adjustment_overdue",
        label=_("Minutes not adjusted 14 days after the meeting"),
        subject="noticeboard/email/adjustment_overdue_subject.txt",
        body="noticeboard/email/adjustment_overdue_body.txt",
        context=_adjustment_context,
        recipients=_adjustment_recipients,
        find=_adjustment_overdue,
    )
)


# --- the notice to post --------------------------------------------------------------------


def _postings_due(association, now: datetime, lead_days: int | None):
    from governance.noticeboard.services import settings_of

    today = timezone.localdate(now)
    days = settings_of(association).posting_deadline_days
    recent = start_of_day(today - timedelta(days=days + LOOK_BACK.days))
    for minutes in queries.minutes_awaiting_notice(association).filter(adjusted_at__gte=recent):
        last_day = swedish_date(minutes.adjusted_at) + timedelta(days=days)
        yield Occasion(
            key=f"minutes:{minutes.pk}:posting_due",
            data={"minutes": minutes.pk, "last_day": last_day.isoformat()},
            due=local_moment(last_day),
            link=reverse(
                "noticeboard:post", kwargs={"association": association.slug, "minutes": minutes.pk}
            ),
        )


def _posting_context(association, data: dict) -> dict:
    from governance.meetings.models import Minutes

    minutes = Minutes.objects.select_related("meeting__body").get(pk=data["minutes"])
    path = reverse(
        "noticeboard:post", kwargs={"association": association.slug, "minutes": minutes.pk}
    )
    return {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "last_day": datetime.fromisoformat(data["last_day"]).date(),
        "url": absolute(path),
    }


POSTING_DUE = register(
    Kind(
        key="noticeboard.posting_due",
        label=_("A notice of adjusted minutes to post on the notice board"),
        subject="noticeboard/email/posting_due_subject.txt",
        body="noticeboard/email/posting_due_body.txt",
        context=_posting_context,
        recipients=editors,
        find=_postings_due,
    )
)


# --- the appeal period ended ---------------------------------------------------------------


def _appeals_ended(association, now: datetime, lead_days: int | None):
    today = timezone.localdate(now)
    postings = queries.past_postings(association, today).filter(
        comes_down_on__gte=today - LOOK_BACK
    )
    for posting in postings:
        yield Occasion(
            key=f"posting:{posting.pk}:appeal_ended",
            data={"posting": posting.pk},
            due=local_moment(posting.comes_down_on + timedelta(days=1)),
            link=posting.get_absolute_url(),
        )


def _appeal_context(association, data: dict) -> dict:
    from governance.noticeboard.models import Posting

    posting = Posting.objects.select_related("association").get(pk=data["posting"])
    return {"posting": posting, "url": absolute(posting.get_absolute_url())}


APPEAL_ENDED = register(
    Kind(
        key="noticeboard.appeal_ended",
        label=_("The appeal period of a notice ended"),
        subject="noticeboard/email/appeal_ended_subject.txt",
        body="noticeboard/email/appeal_ended_body.txt",
        context=_appeal_context,
        recipients=editors,
        find=_appeals_ended,
    )
)
