"""Reminders of agreements and projects, as kinds of the shared mechanism
(``association/notifications``): the last day to give notice approaching, a follow-up
occasion due, an agreement ending, a project ending, a funder's report due. Each goes to the
association's editors and administrators (and the agreement's responsible staff member),
a set number of days before the date; staff may change the lead time per association."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.notifications.kinds import Kind, Occasion, Recipient, local_moment, register

SUBJECT = "agreements/email/reminder_subject.txt"
BODY = "agreements/email/reminder_body.txt"


def _editors(association) -> list[Recipient]:
    from association.models import RoleAssignment, StaffRole

    roles = RoleAssignment.objects.filter(
        association=association, role__in=[StaffRole.ADMINISTRATOR, StaffRole.EDITOR]
    ).select_related("user")
    return [Recipient.of_user(role.user) for role in roles if role.user.is_active]


def _agreement_recipients(association, data: dict) -> list[Recipient]:
    from agreements.models import Agreement

    recipients = _editors(association)
    agreement = Agreement.objects.filter(pk=data.get("agreement")).select_related("responsible")
    agreement = agreement.first()
    if agreement and agreement.responsible and agreement.responsible.is_active:
        recipients.append(Recipient.of_user(agreement.responsible))
    return recipients


def _project_recipients(association, data: dict) -> list[Recipient]:
    return _editors(association)


def _window(now: datetime, lead_days: int | None):
    today = timezone.localdate(now)
    return today, today + timedelta(days=lead_days or 0), lead_days or 0


def _agreement_link(association, agreement_id: int) -> str:
    return reverse(
        "agreements:detail", kwargs={"association": association.slug, "pk": agreement_id}
    )


def _project_link(association, project_id: int) -> str:
    return reverse(
        "agreements:project_detail", kwargs={"association": association.slug, "pk": project_id}
    )


def _live_agreements(association):
    from agreements.models import Agreement

    return Agreement.objects.filter(association=association, signed_on__isnull=False)


# --- the finders --------------------------------------------------------------------------


def _notice_deadlines(association, now, lead_days):
    today, last, lead = _window(now, lead_days)
    for agreement in _live_agreements(association).filter(notice_given_on__isnull=True):
        day = agreement.dates(today).last_notice_day
        if day is not None and today <= day <= last:
            yield Occasion(
                key=f"agreement:{agreement.pk}:notice:{day.isoformat()}",
                data={"agreement": agreement.pk, "day": day.isoformat(), "what": "notice"},
                due=local_moment(day - timedelta(days=lead)),
                link=_agreement_link(association, agreement.pk),
            )


def _agreements_ending(association, now, lead_days):
    today, last, lead = _window(now, lead_days)
    for agreement in _live_agreements(association):
        day = agreement.dates(today).end
        if day is not None and today <= day <= last:
            yield Occasion(
                key=f"agreement:{agreement.pk}:ending:{day.isoformat()}",
                data={"agreement": agreement.pk, "day": day.isoformat(), "what": "ending"},
                due=local_moment(day - timedelta(days=lead)),
                link=_agreement_link(association, agreement.pk),
            )


def _follow_ups_due(association, now, lead_days):
    from agreements.models import FollowUp

    today, last, lead = _window(now, lead_days)
    rows = FollowUp.objects.filter(
        association=association, done_on__isnull=True, due_on__gte=today, due_on__lte=last
    )
    for follow_up in rows:
        yield Occasion(
            key=f"follow_up:{follow_up.pk}:{follow_up.due_on.isoformat()}",
            data={
                "agreement": follow_up.agreement_id,
                "follow_up": follow_up.pk,
                "day": follow_up.due_on.isoformat(),
                "what": "follow_up",
            },
            due=local_moment(follow_up.due_on - timedelta(days=lead)),
            link=_agreement_link(association, follow_up.agreement_id),
        )


def _projects_ending(association, now, lead_days):
    from agreements.models import Project, ProjectStatus

    today, last, lead = _window(now, lead_days)
    rows = Project.objects.filter(
        association=association, ends_on__gte=today, ends_on__lte=last,
        status__in=[ProjectStatus.PLANNED, ProjectStatus.ONGOING],
    )  # fmt: skip
    for project in rows:
        yield Occasion(
            key=f"project:{project.pk}:ending:{project.ends_on.isoformat()}",
            data={"project": project.pk, "day": project.ends_on.isoformat(), "what": "project"},
            due=local_moment(project.ends_on - timedelta(days=lead)),
            link=_project_link(association, project.pk),
        )


def _reports_due(association, now, lead_days):
    from agreements.models import Funding

    today, last, lead = _window(now, lead_days)
    rows = Funding.objects.filter(
        association=association, report_due_on__gte=today, report_due_on__lte=last
    ).exclude(project__status="cancelled")
    for funding in rows:
        yield Occasion(
            key=f"funding:{funding.pk}:report:{funding.report_due_on.isoformat()}",
            data={
                "project": funding.project_id,
                "funding": funding.pk,
                "day": funding.report_due_on.isoformat(),
                "what": "report",
            },
            due=local_moment(funding.report_due_on - timedelta(days=lead)),
            link=_project_link(association, funding.project_id),
        )


def _context(association, data: dict) -> dict:
    from datetime import date

    from agreements.models import Agreement, FollowUp, Funding, Project

    context = {"what": data["what"], "day": date.fromisoformat(data["day"])}
    if "agreement" in data:
        context["agreement"] = Agreement.objects.get(pk=data["agreement"])
    if "follow_up" in data:
        context["follow_up"] = FollowUp.objects.select_related("body").get(pk=data["follow_up"])
    if "project" in data:
        context["project"] = Project.objects.get(pk=data["project"])
    if "funding" in data:
        context["funding"] = Funding.objects.select_related("funder").get(pk=data["funding"])
    return context


def _kind(key, label, find, recipients, lead_days):
    return register(
        Kind(
            key=key,
            label=label,
            subject=SUBJECT,
            body=BODY,
            context=_context,
            recipients=recipients,
            lead_days=lead_days,
            lead_editable=True,
            find=find,
        )
    )


NOTICE_DEADLINE = _kind(
    "agreements.notice_deadline", _("The last day to give notice on an agreement"),
    _notice_deadlines, _agreement_recipients, 60,
)  # fmt: skip
FOLLOW_UP_DUE = _kind(
    "agreements.follow_up_due", _("An agreement's follow-up occasion due"),
    _follow_ups_due, _agreement_recipients, 14,
)  # fmt: skip
AGREEMENT_ENDING = _kind(
    "agreements.agreement_ending", _("An agreement ending"),
    _agreements_ending, _agreement_recipients, 60,
)  # fmt: skip
PROJECT_ENDING = _kind(
    "agreements.project_ending", _("A project ending"), _projects_ending, _project_recipients, 60
)
REPORT_DUE = _kind(
    "agreements.report_due", _("A report to a project's funder due"),
    _reports_due, _project_recipients, 30,
)  # fmt: skip
