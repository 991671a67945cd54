"""Governance's reminders, as kinds of the shared mechanism (``association/notifications``):
a term of office ending (to the association's editors and administrators, a set number of
days before, changeable per association) and, in December, the host municipality's
hand-over: confirm next year's chairs where the host rule proposes someone."""

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.notifications.kinds import Kind, Occasion, Recipient, local_moment, register


def editors(association, data: dict) -> list[Recipient]:
    from association.models import RoleAssignment, StaffRole

    roles = RoleAssignment.objects.filter(
        association=association, role__in=[StaffRole.ADMINISTRATOR, StaffRole.EDITOR]
    ).select_related("user")
    return [Recipient.of_user(role.user) for role in roles if role.user.is_active]


# --- a term of office ending ---------------------------------------------------------------


def _terms_ending(association, now: datetime, lead_days: int | None):
    from governance.models import Term

    today = timezone.localdate(now)
    lead = lead_days or 0
    terms = Term.objects.filter(
        association=association, ends_on__gte=today, ends_on__lte=today + timedelta(days=lead)
    )
    for term in terms:
        yield Occasion(
            key=f"term:{term.pk}:ending:{term.ends_on.isoformat()}",
            data={"term": term.pk},
            due=local_moment(term.ends_on - timedelta(days=lead)),
            link=reverse("governance:terms", kwargs={"association": association.slug}),
        )


def _term_context(association, data: dict) -> dict:
    from governance.models import Term

    return {"term": Term.objects.get(pk=data["term"])}


TERM_ENDING = register(
    Kind(
        key="governance.term_ending",
        label=_("A term of office ending"),
        subject="governance/email/term_ending_subject.txt",
        body="governance/email/term_ending_body.txt",
        context=_term_context,
        recipients=editors,
        lead_days=60,
        lead_editable=True,
        find=_terms_ending,
    )
)


# --- the host municipality's hand-over in December -----------------------------------------


def _chairs_to_confirm(association, now: datetime, lead_days: int | None):
    from governance.models import Body, ChairRule
    from governance.services import chair_proposal

    today = timezone.localdate(now)
    if today.month != 12:
        return
    year = today.year + 1
    bodies = Body.objects.filter(association=association).exclude(chair_rule=ChairRule.NONE)
    for body in bodies:
        if not any(p.already is None for p in chair_proposal(body=body, year=year)):
            continue
        path = reverse(
            "governance:chair_proposal", kwargs={"association": association.slug, "body": body.slug}
        )
        # Due each December morning while a proposal waits: made on the first of them.
        yield Occasion(
            key=f"chairs:{body.pk}:{year}",
            data={"body": body.pk, "year": year},
            due=local_moment(max(today, date(today.year, 12, 1))),
            link=f"{path}?year={year}",
        )


def _chairs_context(association, data: dict) -> dict:
    from governance.models import Body

    body = Body.objects.get(pk=data["body"])
    path = reverse(
        "governance:chair_proposal", kwargs={"association": association.slug, "body": body.slug}
    )
    return {"body": body, "year": data["year"], "path": f"{path}?year={data['year']}"}


CHAIR_HANDOVER = register(
    Kind(
        key="governance.chair_handover",
        label=_("Next year's chairs to confirm (December)"),
        subject="governance/email/chair_reminder_subject.txt",
        body="governance/email/chair_reminder_body.txt",
        context=_chairs_context,
        recipients=editors,
        find=_chairs_to_confirm,
    )
)
