"""Agreements (avtal) with outside organisations and member municipalities, their follow-up,
and projects (projekt) with their budget and funding.

Validity is computed from the agreement's terms by ``agreements.validity`` (pure functions);
the columns here are the terms, never a stored status.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import validity
from association.tenancy import TenantModel
from association.validators import validate_organisation_number


class OrganisationKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    REGION = "region", _("Region")
    COMPANY = "company", _("Company")
    AGENCY = "agency", _("Government agency")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


DUPLICATE_ORGANISATION = _("An organisation with this name is already registered.")


class OutsideOrganisation(TenantModel):
    """An organisation that is not a member: a university, a region, a company, an agency."""

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Ten digits, NNNNNN-NNNN."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    address = models.TextField(_("address"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("outside organisation")
        verbose_name_plural = _("outside organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"],
                name="outside_organisation_unique_name",
                violation_error_message=DUPLICATE_ORGANISATION,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    COOPERATION = "cooperation", _("Cooperation agreement")
    SERVICE = "service", _("Service agreement")
    FRAMEWORK = "framework", _("Framework agreement")
    JOINT_COMMITTEE = "joint_committee", _("Agreement on a joint committee")
    OTHER = "other", _("Other")


class ValidityKind(models.TextChoices):
    FIXED = validity.ValidityKind.FIXED, _("From a date until a date")
    UNTIL_TERMINATED = validity.ValidityKind.UNTIL_TERMINATED, _("Until terminated with notice")
    RENEWING = validity.ValidityKind.RENEWING, _("Renewed automatically unless terminated")


STATUS_LABELS = {
    validity.Status.DRAFT: _("Draft"),
    validity.Status.ACTIVE: _("Active"),
    validity.Status.NOTICE_GIVEN: _("Notice given"),
    validity.Status.ENDED: _("Ended"),
}


class Agreement(TenantModel):
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), max_length=8000, blank=True)
    areas = models.TextField(
        _("areas"), max_length=2000, blank=True, help_text=_("The areas of cooperation.")
    )
    includes_association = models.BooleanField(_("the association is a party"), default=True)
    municipalities = models.ManyToManyField(
        "members.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("member municipalities taking part"),
    )
    organisations = models.ManyToManyField(
        OutsideOrganisation,
        blank=True,
        related_name="agreements",
        verbose_name=_("outside organisations"),
    )
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, help_text=_("Empty while it is a draft.")
    )
    validity_kind = models.CharField(
        _("validity"), max_length=20, choices=ValidityKind.choices, default=ValidityKind.FIXED
    )
    starts_on = models.DateField(
        _("valid from"), null=True, blank=True, help_text=_("Empty: from the signing date.")
    )
    ends_on = models.DateField(_("valid until"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(_("notice period (months)"), default=0)
    period_months = models.PositiveSmallIntegerField(_("renewal period (months)"), default=0)
    notice_given_on = models.DateField(_("notice given on"), null=True, blank=True, editable=False)
    notice_given_by = models.CharField(
        _("notice given by"), max_length=200, blank=True, editable=False
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the association's public pages.")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible staff member"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("agreement (avtal)")
        verbose_name_plural = _("agreements")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(notice_months__lte=120) & Q(period_months__lte=240),
                name="agreement_plausible_months",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def start(self):
        return self.starts_on or self.signed_on

    def terms(self) -> validity.Terms:
        return validity.Terms(
            kind=validity.ValidityKind(self.validity_kind),
            starts_on=self.start,
            ends_on=self.ends_on,
            notice_months=self.notice_months,
            period_months=self.period_months,
            notice_given_on=self.notice_given_on,
        )

    def dates(self, today=None) -> validity.Dates:
        return validity.compute(self.terms(), today or timezone.localdate())

    @property
    def status(self) -> str:
        return self.dates().status

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.dates().status])


class Signatory(TenantModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("name"), max_length=200)
    party = models.CharField(_("for the party"), max_length=200)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["agreement", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.party})"


class AgreementDocument(TenantModel):
    """A signed document of an agreement, kept in the shared ``association.Document``
    (versions, checked uploads); its ``is_public`` says whether the public may download it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    document = models.OneToOneField(
        "association.Document", on_delete=models.CASCADE, related_name="agreement_link"
    )

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["agreement", "id"]

    def __str__(self) -> str:
        return str(self.document)


class FollowUpRule(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    TWICE_A_YEAR = "twice_a_year", _("Twice a year")
    YEARLY = "yearly", _("Once a year")


RULE_MONTHS = {
    FollowUpRule.MONTHLY: 1,
    FollowUpRule.QUARTERLY: 3,
    FollowUpRule.TWICE_A_YEAR: 6,
    FollowUpRule.YEARLY: 12,
}


class FollowUp(TenantModel):
    """One dated follow-up occasion of an agreement, with who is responsible and, once
    held, its outcome."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(_("what"), max_length=200)
    due_on = models.DateField(_("date"))
    body = models.ForeignKey(
        "governance.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible body"),
    )
    responsible = models.CharField(
        _("responsible group"),
        max_length=200,
        blank=True,
        help_text=_("When no body of the portal is responsible, e.g. a cooperation group."),
    )
    outcome = models.TextField(_("outcome"), max_length=8000, blank=True)
    done_on = models.DateField(_("held on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("follow-up occasion")
        verbose_name_plural = _("follow-up occasions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.due_on:%Y-%m-%d}"

    @property
    def responsible_name(self) -> str:
        return self.body.name if self.body_id else self.responsible


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class Project(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=8000, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    municipalities = models.ManyToManyField(
        "members.Municipality",
        blank=True,
        related_name="+",
        verbose_name=_("participating municipalities"),
    )
    partners = models.ManyToManyField(
        OutsideOrganisation,
        blank=True,
        related_name="projects",
        verbose_name=_("outside partners"),
    )
    body = models.ForeignKey(
        "governance.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible group"),
    )
    responsible = models.CharField(
        _("responsible (free text)"),
        max_length=200,
        blank=True,
        help_text=_("When no body of the portal is responsible, e.g. the head of office."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("project (projekt)")
        verbose_name_plural = _("projects")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="project_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def responsible_name(self) -> str:
        return self.body.name if self.body_id else self.responsible


class BudgetYear(TenantModel):
    """The project's budgeted cost for one year, in whole kronor."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.PositiveBigIntegerField(_("budget (kr)"))

    class Meta:
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="budget_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="budget_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class FundingSource(models.TextChoices):
    OWN = "own", _("The association's own budget")
    REGION = "region", _("The Region")
    ERDF = "erdf", _("European Regional Development Fund (Tillväxtverket)")
    STATE = "state", _("State grant")
    OTHER = "other", _("Other")


class Funding(TenantModel):
    """One funder's contribution to a project in one year (kronor), with an optional date
    by which the funder expects a report."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)
    funder = models.ForeignKey(
        OutsideOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name=_("funder"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    report_due_on = models.DateField(_("report due"), null=True, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        ordering = ["project", "year", "source", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="funding_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year} {self.get_source_display()}"

    @property
    def funder_name(self) -> str:
        return self.funder.name if self.funder_id else self.get_source_display()
