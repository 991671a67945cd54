"""The decisions' notifications, as kinds of the shared mechanism
(``association/notifications``), in the member's language: a proposal circulated for a
decision per capsulam, to each member asked to answer; and a reminder, a set number of days
before the closing date (two by default, changeable per association), to the members who
have not answered yet."""

from datetime import datetime, timedelta

from django.conf import settings
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


def _proposal(data: dict):
    from governance.decisions.models import Proposal

    return Proposal.objects.select_related("body", "association").get(pk=data["proposal"])


def _path(association, data: dict) -> str:
    return reverse(
        "decisions:proposal", kwargs={"association": association.slug, "pk": data["proposal"]}
    )


def _context(association, data: dict) -> dict:
    return {"proposal": _proposal(data), "url": absolute(_path(association, data))}


def _members_asked(association, data: dict, *, unanswered: bool = False) -> list[Recipient]:
    from governance.decisions.models import Answer

    rows = Answer.objects.filter(proposal_id=data["proposal"]).select_related("person__user")
    if unanswered:
        rows = rows.filter(answer__isnull=True)
    found = []
    for row in rows:
        user = row.person.user
        email = (user.email if user else "") or row.person.email
        if email:
            language = (user.preferred_language if user else "") or settings.LANGUAGE_CODE
            found.append(
                Recipient(email=email, user_id=user.pk if user else None, language=language)
            )
    return found


PROPOSAL_CIRCULATED = register(
    Kind(
        key="decisions.proposal_circulated",
        label=_("Per capsulam proposals awaiting your answer"),
        subject="decisions/email/proposal_subject.txt",
        body="decisions/email/proposal_body.txt",
        context=_context,
        recipients=_members_asked,
        link=_path,
    )
)


def _awaiting_answer(association, now: datetime, lead_days: int | None):
    from governance.decisions import queries

    lead = timedelta(days=lead_days or 0)
    for proposal in queries.open_proposals(association, now):
        closes_on = timezone.localdate(proposal.closes_at)
        due = local_moment(closes_on - lead)
        # Only between circulating and closing: a proposal circulated for a shorter time
        # than the lead has just been sent, and is not reminded of at once.
        if proposal.circulated_at < due < proposal.closes_at:
            yield Occasion(
                key=f"proposal:{proposal.pk}:reminder:{closes_on.isoformat()}",
                data={"proposal": proposal.pk},
                due=due,
                link=_path(association, {"proposal": proposal.pk}),
            )


def _members_not_answered(association, data: dict) -> list[Recipient]:
    return _members_asked(association, data, unanswered=True)


PROPOSAL_REMINDER = register(
    Kind(
        key="decisions.proposal_reminder",
        label=_("Reminders of per capsulam proposals you have not answered"),
        subject="decisions/email/reminder_subject.txt",
        body="decisions/email/reminder_body.txt",
        context=_context,
        recipients=_members_not_answered,
        link=_path,
        lead_days=2,
        lead_editable=True,
        find=_awaiting_answer,
    )
)
