"""The association's digital notice board (anslagstavla): notices that minutes are adjusted.

Kommunallagen (2017:725): within two days of the adjustment the notice that the minutes
are adjusted is posted; it states the body, the meeting date, the date of adjustment, where
the minutes are kept, the day it was posted and the day it comes down. A member of the
municipalities may appeal (laglighetsprövning, 13 kap.) within three weeks from the day it
was posted. Joint committees follow the law; non-profit associations choose their own rule.

Dates, never times: every date here is a calendar date in Sweden (Europe/Stockholm), so the
arithmetic is plain calendar arithmetic and summer time cannot shift it. Posted on Tuesday
3 March, the three weeks end on Tuesday 24 March: the last day of the appeal period, which
is the day the notice comes down (it is up, and shown as current, to the end of that day).

A posting is a public record: stored once, never changed or removed (``association.locking``:
the application and a database trigger refuse it). A corrected version of the minutes is
adjusted on its own and gets a posting of its own; the first one stays as it was.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association import locking
from association.calendar import STOCKHOLM
from association.tenancy import TenantModel

# Kommunallagen: posted within two days of adjustment, appeal within three weeks.
LAW_POSTING_DAYS = 2
LAW_APPEAL_DAYS = 21
# Municipal practice (and the reminders): minutes are adjusted within 14 days of the meeting.
ADJUSTMENT_DAYS = 14


def swedish_date(moment: datetime.datetime) -> datetime.date:
    """The calendar date in Sweden of an aware moment (an adjustment at 00:30 on 1 April
    Swedish summer time is 1 April, although it is still 31 March in UTC)."""
    if timezone.is_naive(moment):
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(STOCKHOLM).date()


def comes_down_on(posted_on: datetime.date, appeal_days: int) -> datetime.date:
    """The last day of the appeal period, when the notice comes down: ``appeal_days``
    calendar days after the day it was posted (three weeks: the same weekday)."""
    if appeal_days < 1:
        raise ValueError("the appeal period is at least a day")
    return posted_on + datetime.timedelta(days=appeal_days)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in Sweden (an aware datetime)."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=STOCKHOLM)


class AppealRule(models.TextChoices):
    LOCAL_GOVERNMENT_ACT = (
        "kommunallagen",
        _("Kommunallagen (joint committees): posted within two days, appeal within three weeks"),
    )
    OWN = "own", _("The association's own rules (non-profit associations)")


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")


class NoticeBoardSettings(TenantModel):
    """How an association runs its notice board (one row per association; without one the
    defaults hold: Kommunallagen, automatic posting)."""

    rule = models.CharField(
        _("rule for the notices"),
        max_length=20,
        choices=AppealRule.choices,
        default=AppealRule.LOCAL_GOVERNMENT_ACT,
    )
    period_length = models.PositiveSmallIntegerField(
        _("appeal period (own rules)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How long a notice stays up; used with the association's own rules."),
    )
    period_unit = models.CharField(
        _("unit"), max_length=10, choices=PeriodUnit.choices, default=PeriodUnit.WEEKS
    )
    posting_days = models.PositiveSmallIntegerField(
        _("post within (days, own rules)"),
        default=LAW_POSTING_DAYS,
        validators=[MaxValueValidator(60)],
        help_text=_("Days after the adjustment by which the notice must be posted."),
    )
    default_kept_at = models.CharField(
        _("where the minutes are kept"),
        max_length=300,
        blank=True,
        help_text=_("Shown on each notice unless the minutes say otherwise, e.g. the office."),
    )
    automatic = models.BooleanField(
        _("post automatically"),
        default=True,
        help_text=_("Post the notice when the minutes are adjusted; otherwise staff post it."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("notice board settings")
        verbose_name_plural = _("notice board settings")
        constraints = [
            models.UniqueConstraint(fields=["association"], name="one_notice_board_settings"),
            models.CheckConstraint(
                condition=Q(period_length__gte=1) & Q(period_length__lte=365),
                name="notice_board_period_length",
            ),
        ]

    def __str__(self) -> str:
        return str(_("notice board settings"))

    @property
    def appeal_days(self) -> int:
        if self.rule == AppealRule.LOCAL_GOVERNMENT_ACT:
            return LAW_APPEAL_DAYS
        return self.period_length * (7 if self.period_unit == PeriodUnit.WEEKS else 1)

    @property
    def posting_deadline_days(self) -> int:
        if self.rule == AppealRule.LOCAL_GOVERNMENT_ACT:
            return LAW_POSTING_DAYS
        return self.posting_days


class Posting(locking.LockedModel, TenantModel):
    """One notice on the board (anslag): that a version of a meeting's minutes is adjusted.

    What it states is copied at posting time (the body's name may change later; the record
    must not). Every stored row is locked.
    """

    lock_field = None
    locked_message = _("A posted notice is a public record and can no longer be changed.")

    minutes = models.OneToOneField(
        "meetings.Minutes",
        on_delete=models.PROTECT,
        related_name="notice_posting",
        verbose_name=_("minutes"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="+", verbose_name=_("meeting")
    )
    minutes_number = models.PositiveSmallIntegerField(_("version of the minutes"), default=1)
    body_name = models.CharField(_("body"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    adjusted_on = models.DateField(_("date of adjustment"))
    kept_at = models.CharField(_("where the minutes are kept"), max_length=300)
    posted_on = models.DateField(_("posted on"))
    appeal_days = models.PositiveSmallIntegerField(_("appeal period (days)"))
    comes_down_on = models.DateField(_("comes down on"))
    automatic = models.BooleanField(_("posted automatically"), default=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice (anslag)")
        verbose_name_plural = _("notices")
        ordering = ["-posted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comes_down_on__gt=F("posted_on")), name="posting_comes_down_after"
            ),
            models.CheckConstraint(
                condition=Q(posted_on__gte=F("adjusted_on")), name="posting_after_adjustment"
            ),
        ]
        indexes = [
            models.Index(fields=["association", "comes_down_on"]),
            models.Index(fields=["association", "posted_on"]),
        ]
        triggers = locking.lock_triggers()

    def __str__(self) -> str:
        return f"{self.body_name} {self.meeting_date:%Y-%m-%d}"

    def is_up(self, today: datetime.date) -> bool:
        return self.posted_on <= today <= self.comes_down_on

    @property
    def is_correction(self) -> bool:
        return self.minutes_number > 1

    def get_absolute_url(self) -> str:
        return reverse(
            "noticeboard:notice", kwargs={"association": self.association.slug, "pk": self.pk}
        )

    def minutes_url(self) -> str:
        """The meeting's public minutes; the meeting's page where that page does not exist."""
        kwargs = {"association": self.association.slug, "pk": self.meeting_id}
        try:
            return reverse("meetings:minutes", kwargs=kwargs)
        except NoReverseMatch:
            return reverse("meetings:detail", kwargs=kwargs)
