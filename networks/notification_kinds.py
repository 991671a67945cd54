"""Reminders of the networks app, as kinds of the shared mechanism
(``association/notifications``):

- a group's yearly report not yet in, some days before the year ends: to the network's
  coordinator (the association's editors when it has none);
- a feedback round closing: to those asked who have not answered every promise yet;
- a network's meeting coming up: to its members, some days before (the notice and any
  change already go to them through the meetings' own kinds; bodies have no such reminder).
"""

from datetime import date, timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.notifications.kinds import Kind, Occasion, Recipient, local_moment, register

SUBJECT = "networks/email/reminder_subject.txt"
BODY = "networks/email/reminder_body.txt"


def report_due_day(year: int) -> date:
    """Yearly reports are due by the end of the year they report on."""
    return date(year, 12, 31)


def _editors(association) -> list[Recipient]:
    from association.models import RoleAssignment, StaffRole

    roles = RoleAssignment.objects.filter(
        association=association, role__in=[StaffRole.ADMINISTRATOR, StaffRole.EDITOR]
    ).select_related("user")
    return [Recipient.of_user(role.user) for role in roles if role.user.is_active]


def _report_recipients(association, data: dict) -> list[Recipient]:
    from networks.models import Network

    network = Network.objects.select_related("coordinator__user").filter(pk=data["network"])
    network = network.first()
    coordinator = network.coordinator if network else None
    if coordinator is not None:
        if coordinator.user_id and coordinator.user.is_active:
            return [Recipient.of_user(coordinator.user)]
        if coordinator.email:
            return [Recipient(email=coordinator.email)]
    return _editors(association)


def _reports_missing(association, now, lead_days):
    from networks import queries

    today = timezone.localdate(now)
    lead = lead_days or 0
    due = report_due_day(today.year)
    if not today <= due <= today + timedelta(days=lead):
        return
    for network in queries.missing_yearly_reports(association, today.year):
        yield Occasion(
            key=f"network:{network.pk}:report:{today.year}",
            data={"what": "report", "network": network.pk, "year": today.year,
                  "day": due.isoformat()},
            due=local_moment(due - timedelta(days=lead)),
            link=reverse("networks:report_add", kwargs={"association": association.slug,
                                                         "slug": network.body.slug}),
        )  # fmt: skip


def _round_recipients(association, data: dict) -> list[Recipient]:
    from association.models import User
    from networks import queries
    from networks.models import FeedbackAnswer, FeedbackRound

    feedback_round = FeedbackRound.objects.filter(pk=data["round"]).first()
    if feedback_round is None:
        return []
    asked = queries.respondent_user_ids(feedback_round, timezone.localdate())
    promises = feedback_round.promises.count()
    answered = {
        row["respondent"]
        for row in FeedbackAnswer.objects.filter(promise__round=feedback_round)
        .values("respondent")
        .annotate(n=Count("id"))
        if row["n"] >= promises
    }
    users = User.objects.filter(pk__in=asked - answered, is_active=True).order_by("pk")
    return [Recipient.of_user(user) for user in users]


def _rounds_closing(association, now, lead_days):
    from networks.models import FeedbackRound

    lead = timedelta(days=lead_days or 0)
    rows = FeedbackRound.objects.filter(
        association=association, closes_at__gt=now, closes_at__lte=now + lead
    )
    for feedback_round in rows:
        day = timezone.localdate(feedback_round.closes_at)
        yield Occasion(
            key=f"feedback_round:{feedback_round.pk}:closing",
            data={"what": "round", "round": feedback_round.pk, "day": day.isoformat()},
            due=max(feedback_round.closes_at - lead, now),
            link=reverse("networks:answer", kwargs={"association": association.slug,
                                                     "pk": feedback_round.pk}),
        )  # fmt: skip


def _meeting_recipients(association, data: dict) -> list[Recipient]:
    from governance.meetings.models import Meeting
    from governance.meetings.notifications import recipient_of
    from governance.meetings.services import recipients

    meeting = Meeting.objects.filter(pk=data["meeting"]).first()
    if meeting is None or meeting.status == "cancelled":
        return []
    found = (recipient_of(person) for person in recipients(meeting))
    return [recipient for recipient in found if recipient]


def _meetings_coming(association, now, lead_days):
    from governance.meetings.models import Meeting
    from governance.models import NETWORK_KINDS

    lead = timedelta(days=lead_days or 0)
    rows = Meeting.objects.filter(
        association=association, body__kind__in=NETWORK_KINDS, notice_sent_at__isnull=False,
        starts_at__gt=now, starts_at__lte=now + lead,
    ).exclude(status="cancelled")  # fmt: skip
    for meeting in rows:
        yield Occasion(
            key=f"network_meeting:{meeting.pk}:{meeting.starts_at.isoformat()}",
            data={"what": "meeting", "meeting": meeting.pk,
                  "day": timezone.localdate(meeting.starts_at).isoformat()},
            due=max(meeting.starts_at - lead, now),
            link=reverse("meetings:detail", kwargs={"association": association.slug,
                                                     "pk": meeting.pk}),
        )  # fmt: skip


def _context(association, data: dict) -> dict:
    from networks.models import FeedbackRound, Network

    context = {"what": data["what"], "day": date.fromisoformat(data["day"])}
    if "meeting" in data:
        from governance.meetings.models import Meeting

        context["meeting"] = Meeting.objects.select_related("body").get(pk=data["meeting"])
    if "network" in data:
        context["network"] = Network.objects.select_related("body").get(pk=data["network"])
        context["year"] = data["year"]
    if "round" in data:
        context["round"] = FeedbackRound.objects.get(pk=data["round"])
    return context


YEARLY_REPORT_MISSING = register(
    Kind(
        key="networks.yearly_report_missing",
        label=_("A network's yearly report not yet in"),
        subject=SUBJECT, body=BODY, context=_context, recipients=_report_recipients,
        lead_days=30, lead_editable=True, find=_reports_missing,
    )
)  # fmt: skip
FEEDBACK_ROUND_CLOSING = register(
    Kind(
        key="networks.feedback_round_closing",
        label=_("A feedback round closing (to those who have not answered)"),
        subject=SUBJECT, body=BODY, context=_context, recipients=_round_recipients,
        lead_days=3, lead_editable=True, find=_rounds_closing,
    )
)  # fmt: skip
NETWORK_MEETING = register(
    Kind(
        key="networks.meeting_coming",
        label=_("A network's meeting coming up (to its members)"),
        subject=SUBJECT, body=BODY, context=_context, recipients=_meeting_recipients,
        lead_days=2, lead_editable=True, find=_meetings_coming,
    )
)  # fmt: skip
