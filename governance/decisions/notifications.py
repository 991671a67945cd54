"""The e-mail that tells a body's members a proposal is circulated for a decision per
capsulam: one per member, in the member's language, sent after commit by a task."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from governance.decisions.models import Proposal


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if getattr(settings, "SITE_URL", "") else path


def send_proposal(proposal: Proposal, person) -> bool:
    user = person.user
    email = (user.email if user else "") or person.email
    if not email:
        return False
    language = (user.preferred_language if user else "") or settings.LANGUAGE_CODE
    path = reverse(
        "decisions:proposal",
        kwargs={"association": proposal.association.slug, "pk": proposal.pk},
    )
    with translation.override(language):
        context = {"proposal": proposal, "url": _absolute(path), "person": person}
        subject = " ".join(
            render_to_string("decisions/email/proposal_subject.txt", context).split()
        )
        body = render_to_string("decisions/email/proposal_body.txt", context)
    EmailMessage(subject, body, None, [email]).send()
    return True
