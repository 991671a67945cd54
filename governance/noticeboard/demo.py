"""Demo notices: every adjusted version of demo minutes gets its notice, posted the day after
its adjustment (or today), so the boards show one notice in its appeal period and earlier
ones that came down.

The minutes themselves come from the meetings app's demo. Where an association has no
adjusted minutes at all, two past meetings get adjusted minutes here (the most recent one
adjusted recently enough that its notice is still up, the other long ago), so the board is
never empty. Creates what is missing and never changes what exists.
"""

import datetime

from django.utils import timezone

from association.models import Association
from association.tenancy import tenant_scope
from governance.meetings.models import Meeting, MeetingStatus, Minutes, MinutesStatus
from governance.noticeboard import queries, services
from governance.noticeboard.models import (
    AppealRule,
    NoticeBoardSettings,
    PeriodUnit,
    Posting,
    start_of_day,
    swedish_date,
)

# Norrbotten and Västernorrland are non-profit associations with rules of their own (which
# follow the law's three weeks); Umeåregionen's council follows Kommunallagen.
SETTINGS = {
    "norrbotten": {
        "rule": AppealRule.OWN, "period_length": 3, "period_unit": PeriodUnit.WEEKS,
        "default_kept_at": "Kommunförbundet Norrbottens kansli, Luleå",
    },
    "vasternorrland": {
        "rule": AppealRule.OWN, "period_length": 21, "period_unit": PeriodUnit.DAYS,
        "default_kept_at": "Kommunförbundet Västernorrlands kansli, Härnösand",
    },
    "umearegionen": {
        "rule": AppealRule.LOCAL_GOVERNMENT_ACT,
        "default_kept_at": "Umeåregionens kansli, Renmarkstorget, Umeå",
    },
}  # fmt: skip


def post_missing_notices(association: Association, today: datetime.date) -> int:
    """Post the notice of every adjusted version of the association's minutes that has
    none, on the day after its adjustment (today at the latest). Call inside its scope."""
    posted = 0
    for minutes in queries.minutes_awaiting_notice(association):
        adjusted_on = swedish_date(minutes.adjusted_at)
        posted_on = min(adjusted_on + datetime.timedelta(days=1), today)
        services.post_notice(minutes=minutes, actor=None, posted_on=max(posted_on, adjusted_on),
                             automatic=True)  # fmt: skip
        posted += 1
    return posted


def _adjust_some_minutes(association: Association, today: datetime.date) -> int:
    """Adjusted minutes for the most recent past meeting (its notice still up) and for one
    held long enough ago that its notice has come down, for a board that would otherwise
    stay empty (the meetings app's own demo minutes take precedence)."""
    if Minutes.objects.filter(association=association, is_adjusted=True).exists():
        return 0
    appeal_days = services.settings_of(association).appeal_days
    past = (
        Meeting.objects.filter(association=association, starts_at__lt=start_of_day(today))
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(minutes__isnull=False)
        .order_by("-starts_at")
    )
    recent = past.first()
    if recent is None:
        return 0
    # The other one: a meeting long enough ago that its notice has come down.
    long_ago = start_of_day(today - datetime.timedelta(days=appeal_days + 14))
    earlier = past.filter(starts_at__lt=long_ago).first()
    meetings = [recent] + ([earlier] if earlier is not None else [])
    for meeting in meetings:
        held_on = swedish_date(meeting.starts_at)
        adjusted_on = min(held_on + datetime.timedelta(days=7), today)
        if meeting is recent and adjusted_on + datetime.timedelta(days=appeal_days) < today:
            # Adjusted late, but recently: this notice is still up.
            adjusted_on = max(held_on, today - datetime.timedelta(days=3))
        Minutes.objects.create(
            association=association,
            meeting=meeting,
            status=MinutesStatus.ADJUSTED,
            is_adjusted=True,
            adjusted_at=start_of_day(adjusted_on) + datetime.timedelta(hours=15),
            kept_at=services.settings_of(association).default_kept_at,
        )
    return len(meetings)


def seed(out) -> dict[str, str]:
    today = timezone.localdate()
    for slug, settings in SETTINGS.items():
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            continue
        with tenant_scope(association):
            if not NoticeBoardSettings.objects.filter(association=association).exists():
                services.save_settings(
                    association=association, actor=None, expected_version=0, data=settings
                )
            _adjust_some_minutes(association, today)
            count = post_missing_notices(association, today)
            total = Posting.objects.filter(association=association).count()
        out.write(f"  {slug}: {count} notices posted ({total} on the board)\n")
    return {}
