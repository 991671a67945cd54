"""The decisions' notifications, as a kind of the shared mechanism
(``association/notifications``): a proposal circulated for a decision per capsulam, to each
member asked to answer, in the member's language."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from association.notifications.kinds import Kind, Recipient, absolute, register


def _proposal(data: dict):
    from governance.decisions.models import Proposal

    return Proposal.objects.select_related("body", "association").get(pk=data["proposal"])


def _path(association, data: dict) -> str:
    return reverse(
        "decisions:proposal", kwargs={"association": association.slug, "pk": data["proposal"]}
    )


def _context(association, data: dict) -> dict:
    return {"proposal": _proposal(data), "url": absolute(_path(association, data))}


def _members_asked(association, data: dict) -> list[Recipient]:
    from governance.decisions.models import Answer

    rows = Answer.objects.filter(proposal_id=data["proposal"]).select_related("person__user")
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
