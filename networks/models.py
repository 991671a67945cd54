"""Networks and working groups (nätverk, arbetsgrupper), their assignments (uppdrag) with a
dated status history, their yearly reports, and feedback rounds on the year's promises
(Västernorrland's "Röster från kommunerna").

A network is a governance ``Body`` (kind ``network`` or ``working_group``): its members are
the body's seats and assignments, and its meetings, notices, agendas and calendars are the
bodies' own. ``Network`` holds only what a body lacks.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.tenancy import TenantModel


class NetworkKind(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic network")
    POLITICAL = "political", _("Political network")
    MANAGERS = "managers", _("Managers' network")
    STAFF = "staff", _("Staff network")
    SUBJECT = "subject", _("Subject network")
    WORKING_GROUP = "working_group", _("Working group")
    OPERATIONAL = "operational", _("Operational group")
    OTHER = "other", _("Other network")


class Network(TenantModel):
    """What a network has beyond its body: kind, purpose, coordinator and whether the
    public may see who sits in it."""

    body = models.OneToOneField(
        "governance.Body", on_delete=models.CASCADE, related_name="network",
        verbose_name=_("body"),
    )  # fmt: skip
    kind = models.CharField(_("kind of network"), max_length=20, choices=NetworkKind.choices)
    purpose = models.TextField(_("purpose"), blank=True, max_length=4000)
    coordinator = models.ForeignKey(
        "governance.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_networks",
        verbose_name=_("coordinator"),
        help_text=_("The association's person who coordinates the network; gets its reminders."),
    )
    member_list_public = models.BooleanField(
        _("member list public"),
        default=False,
        help_text=_("Show the members' names on the public pages (never their contact details)."),
    )
    reports_yearly = models.BooleanField(
        _("reports yearly"),
        default=True,
        help_text=_("The group reports on its assignments once a year to the body it reports to."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operational_groups",
        verbose_name=_("appointed by network"),
        help_text=_("For an operational group: the network that appointed it."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("network (nätverk)")
        verbose_name_plural = _("networks")
        ordering = ["body__ordering", "body__name"]

    def __str__(self) -> str:
        return self.body.name


class WorkStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")


class WorkAssignment(TenantModel):
    """An assignment a body gives a group (uppdrag / ansvarig). The goal it serves is linked
    from the planning app's side; nothing here points at planning."""

    title = models.CharField(_("assignment"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=6000)
    given_by = models.ForeignKey(
        "governance.Body", on_delete=models.PROTECT, null=True, blank=True,
        related_name="work_assignments_given", verbose_name=_("given by"),
    )  # fmt: skip
    responsible = models.ForeignKey(
        "governance.Body", on_delete=models.PROTECT, null=True, blank=True,
        related_name="work_assignments", verbose_name=_("responsible group"),
    )  # fmt: skip
    responsible_other = models.CharField(
        _("other responsible"),
        max_length=200,
        blank=True,
        help_text=_("When no group of the association is responsible, e.g. “Kanslichef”, “RISE”."),
    )
    heading = models.CharField(
        _("section"), max_length=200, blank=True,
        help_text=_("The plan's heading the assignment stands under."),
    )  # fmt: skip
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=100)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["heading", "ordering", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="work_assignment_dates_in_order",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(responsible__isnull=False) | ~Q(responsible_other=""),
                name="work_assignment_has_responsible",
                violation_error_message=_("Say who is responsible: a group or a name."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def responsible_name(self) -> str:
        names = [self.responsible.name] if self.responsible_id else []
        if self.responsible_other:
            names.append(self.responsible_other)
        return ", ".join(names)


class WorkAssignmentUpdate(TenantModel):
    """One dated status change with its comment. Only ever inserted (services have no
    edit or delete for it), so the history stays as written."""

    assignment = models.ForeignKey(WorkAssignment, on_delete=models.CASCADE, related_name="updates")
    day = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("status of an assignment")
        verbose_name_plural = _("statuses of assignments")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.get_status_display()} {self.day}"


class YearlyReport(TenantModel):
    """A group's yearly report on its assignments to the body it reports to."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="yearly_reports")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    text = models.TextField(_("report"), blank=True, max_length=20000)
    document = models.ForeignKey(
        "association.Document", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("document"),
    )  # fmt: skip
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("submitted by"),
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        ordering = ["-year", "network"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year"], name="one_yearly_report_per_network_and_year",
                violation_error_message=_("The group has already reported for this year."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.network} {self.year}"


class FeedbackRound(TenantModel):
    """A round of feedback on the year's promises, asked of chosen networks and presidia."""

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    closes_at = models.DateTimeField(_("closes"))
    networks = models.ManyToManyField(
        Network, blank=True, related_name="feedback_rounds", verbose_name=_("networks")
    )
    bodies = models.ManyToManyField(
        "governance.Body", blank=True, related_name="feedback_rounds",
        verbose_name=_("presidia and other bodies"),
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("feedback round")
        verbose_name_plural = _("feedback rounds")
        ordering = ["-year", "-closes_at"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.closes_at


class FeedbackPromise(TenantModel):
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="promises")
    position = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("promise"), max_length=2000)

    class Meta:
        verbose_name = _("promise (löfte)")
        verbose_name_plural = _("promises")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="one_promise_per_place"),
        ]

    def __str__(self) -> str:
        return self.text


class FeedbackAnswer(TenantModel):
    """One person's answer on one promise. Who answered is stored only to keep one answer
    per person and let them change it; no page or export shows it. The groups the person
    sat in when answering are kept so results per network need no name."""

    promise = models.ForeignKey(FeedbackPromise, on_delete=models.CASCADE, related_name="answers")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("how well it was kept (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    networks = models.ManyToManyField(Network, blank=True, related_name="+")
    bodies = models.ManyToManyField("governance.Body", blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "respondent"], name="one_answer_per_person_and_promise"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="feedback_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.promise_id}: {self.score}"
