"""What happens around a decision outside its meeting: the member municipalities' answers
to a recommendation, and decisions by circulation (per capsulam) between meetings.

The decisions themselves are ``meetings.Decision`` rows (one per agenda item, so every
decision has a §). This app adds no column to them: it points at them.

Per capsulam: the chair (or staff on the chair's behalf) circulates a ``Proposal`` to the
body's members of the day it is circulated (they become its ``Answer`` rows, so "every
member" means the same people from start to end). Each member answers yes or no and may
change the answer until the closing time. The proposal closes at its closing time and only
then (an answer may change until that moment, so no outcome is certain before it); it
passes when the rule copied from the body's settings at circulation is met. A passed
proposal becomes an agenda item with a ``Decision`` on the body's next meeting after the
closing. ``Decision.method`` has no per capsulam choice (its choices belong to the meetings
app): the decision text ends with the answers by name, and ``Proposal.item`` links the
paragraph to the proposal and its ``Answer`` rows, which are the record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.tenancy import TenantModel


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted as recommended")
    ADOPTED_WITH_CHANGES = "adopted_with_changes", _("Adopted with changes")
    REJECTED = "rejected", _("Rejected")
    NOT_TO_BE_DECIDED = "not_to_be_decided", _("Will not be decided")


# Outcomes that are a decision of the municipality's council: they have a date.
DECIDED_OUTCOMES = (Outcome.ADOPTED, Outcome.ADOPTED_WITH_CHANGES, Outcome.REJECTED)


class MemberResponse(TenantModel):
    """How one member municipality answered a recommendation (rekommendation) of the
    association: whether and when its council decided, the outcome and a link to its
    decision. A member without a row has not decided yet."""

    decision = models.ForeignKey(
        "meetings.Decision", on_delete=models.CASCADE, related_name="member_responses"
    )
    municipality = models.ForeignKey(
        "members.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_url = models.URLField(_("link to its decision"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member municipality's answer to a recommendation")
        verbose_name_plural = _("member municipalities' answers to recommendations")
        ordering = ["decision", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "municipality"], name="one_response_per_member_and_decision"
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=[o.value for o in DECIDED_OUTCOMES])
                | Q(decided_on__isnull=False),
                name="decided_response_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.decision}"

    @property
    def is_settled(self) -> bool:
        return bool(self.outcome)


class PerCapsulamRule(models.TextChoices):
    ALL = "all", _("Every member answers yes")
    MAJORITY = "majority", _("More than half of the members answer yes")


class PerCapsulamSettings(TenantModel):
    """A body's rule for decisions by circulation (per capsulam); every member by default."""

    body = models.OneToOneField(
        "governance.Body",
        on_delete=models.CASCADE,
        related_name="per_capsulam_settings",
        verbose_name=_("body"),
    )
    rule = models.CharField(
        _("a proposal passes when"),
        max_length=20,
        choices=PerCapsulamRule.choices,
        default=PerCapsulamRule.ALL,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("per capsulam settings of a body")
        verbose_name_plural = _("per capsulam settings of bodies")

    def __str__(self) -> str:
        return str(self.body)


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class Proposal(TenantModel):
    """A proposal circulated to a body's members between meetings (per capsulam)."""

    body = models.ForeignKey(
        "governance.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("body")
    )
    title = models.CharField(_("matter"), max_length=200)
    text = models.TextField(_("proposed decision"), max_length=4000)
    description = models.TextField(_("background"), max_length=8000, blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Whether the decision will be public.")
    )
    closes_at = models.DateTimeField(_("closes"))
    rule = models.CharField(
        _("passes when"), max_length=20, choices=PerCapsulamRule.choices, editable=False
    )
    circulated_at = models.DateTimeField(_("circulated"), default=timezone.now, editable=False)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # The chair of the day: who circulated it, or on whose behalf staff did.
    chair = models.ForeignKey(
        "governance.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.OPEN,
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # The paragraph in the next meeting's minutes, once attached.
    item = models.OneToOneField(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="per_capsulam",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("per capsulam proposal")
        verbose_name_plural = _("per capsulam proposals")
        ordering = ["-closes_at", "-id"]
        indexes = [models.Index(fields=["association", "status", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def is_closed(self, now=None) -> bool:
        return self.status != ProposalStatus.OPEN or self.closes_at <= (now or timezone.now())

    @property
    def awaits_meeting(self) -> bool:
        return self.status == ProposalStatus.PASSED and self.item_id is None


class Answer(TenantModel):
    """A member's answer to a proposal; ``answer`` is empty until they answer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    answer = models.BooleanField(_("answer"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("per capsulam answer")
        verbose_name_plural = _("per capsulam answers")
        ordering = ["proposal", "person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="one_answer_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.proposal}"
