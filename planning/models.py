"""Planning: the four-year direction (inriktning), the yearly operational plan and budget
(verksamhetsplan och budget) with its approval, and the UN Sustainable Development Goals as
reference data.

A plan passes draft → proposed → approved by the board → adopted by the assembly →
published. Adoption locks the plan and every row under it (``association/locking.py``: the
application refuses, and PostgreSQL refuses UPDATE/DELETE; an INSERT under a locked plan is
refused by a trigger of its own). A change after adoption is a revision: a new plan row
(``number`` + 1, ``supersedes`` the old, with a reason) that goes through the same approval;
the old one stays as it was.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from association import locking
from association.tenancy import TenantModel

# --- reference data -----------------------------------------------------------------------


class SustainableGoal(models.Model):
    """One of the 17 UN Sustainable Development Goals (Agenda 2030), with its official
    Swedish and English names and colour. Shared by every association (reference data,
    loaded by a data migration)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name_sv = models.CharField(_("Swedish name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    colour = models.CharField(_("colour"), max_length=7)

    class Meta:
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_sv if (get_language() or "sv").startswith("sv") else self.name_en


# --- direction ----------------------------------------------------------------------------


class Direction(TenantModel):
    """The direction document (inriktning) for a period of (usually) four years."""

    title = models.CharField(_("title"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    vision = models.TextField(_("vision"), max_length=4000, blank=True)
    mission = models.TextField(_("mission (uppdrag)"), max_length=4000, blank=True)
    business_idea = models.TextField(
        _("business idea (verksamhetsidé)"), max_length=4000, blank=True
    )
    financing = models.TextField(_("financing"), max_length=4000, blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the association's public pages.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("direction (inriktning)")
        verbose_name_plural = _("directions")
        ordering = ["-first_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "first_year"],
                name="planning_direction_unique_first_year",
                violation_error_message=_("A direction starting that year already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="planning_direction_years_in_order",
                violation_error_message=_("The last year must be on or after the first."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


class GoalArea(TenantModel):
    """A goal area (målområde) of a direction; its goals sit under it."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("goal area (målområde)")
        verbose_name_plural = _("goal areas")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Goal(TenantModel):
    """A goal (mål) of a direction, under a goal area where the direction has them
    (Norrbotten's "Vi ..." goals); Västernorrland's goals stand directly under the direction."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="goals")
    area = models.ForeignKey(
        GoalArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("goal area"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("goal"), max_length=2000)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("goal (mål)")
        verbose_name_plural = _("goals")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:120]


class Strategy(TenantModel):
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="strategies")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("description"), max_length=4000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class SdgLink(TenantModel):
    """A link to a global goal, primary or secondary: of the whole direction (Norrbotten
    2023–2026 links its three goal areas together to SDG 3, 4 and 11) or of one goal area."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="sdg_links")
    area = models.ForeignKey(
        GoalArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sdg_links",
        verbose_name=_("goal area"),
    )
    sdg = models.ForeignKey(
        SustainableGoal, on_delete=models.PROTECT, related_name="+", verbose_name=_("global goal")
    )
    is_primary = models.BooleanField(_("primary"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("link to a global goal")
        verbose_name_plural = _("links to global goals")
        ordering = ["-is_primary", "sdg__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "area", "sdg"],
                name="planning_sdglink_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area or self.direction} – {self.sdg}"


# --- yearly plan --------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed to the board")
    BOARD_APPROVED = "board_approved", _("Approved by the board")
    ADOPTED = "adopted", _("Adopted by the assembly")
    PUBLISHED = "published", _("Published")


# INSERT under a locked plan: the row's own lock cannot say it (it is new), so the database
# looks at the plan. SQLSTATE 23001 like association/locking.py.
_REFUSE_INSERT = (
    "IF EXISTS (SELECT 1 FROM planning_plan WHERE id = NEW.plan_id AND is_locked) THEN "
    "RAISE EXCEPTION 'samverka: INSERT under a locked plan into % is refused', TG_TABLE_NAME "
    "USING ERRCODE = 'restrict_violation'; END IF; RETURN NEW;"
)


def plan_part_triggers() -> list:
    """A plan's rows: locked with the plan (their copied ``is_locked``), and no new row
    under a locked plan."""
    return [
        *locking.lock_triggers("is_locked"),
        pgtrigger.Trigger(
            name="no_insert_when_locked",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert,
            func=_REFUSE_INSERT,
        ),
    ]


class Plan(locking.LockedModel, TenantModel):
    """The operational plan and budget of one year; a revision is a new row of the same
    year with the next number."""

    lock_field = "is_locked"
    locked_message = _("The plan is adopted and locked; start a revision to change it.")

    direction = models.ForeignKey(
        Direction, on_delete=models.PROTECT, related_name="plans", verbose_name=_("direction")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("revision"), default=1, editable=False)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
        editable=False,
    )
    revision_reason = models.TextField(_("reason for the revision"), max_length=2000, blank=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), max_length=8000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        editable=False,
    )
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True, editable=False)
    # The board's approval: a decision at a meeting (its minutes paragraph) or a passed
    # per capsulam proposal.
    board_decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    board_proposal = models.ForeignKey(
        "decisions.Proposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    board_approved_on = models.DateField(
        _("approved by the board"), null=True, blank=True, editable=False
    )
    assembly_decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    assembly_reference = models.CharField(
        _("the assembly's decision"), max_length=300, blank=True, editable=False
    )
    adopted_on = models.DateField(_("adopted"), null=True, blank=True, editable=False)
    is_locked = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("operational plan and budget")
        verbose_name_plural = _("operational plans and budgets")
        ordering = ["-year", "-number"]
        triggers = locking.lock_triggers("is_locked")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year", "number"],
                name="planning_plan_unique_year_number",
                violation_error_message=_("This year already has a plan."),
            ),
        ]

    def __str__(self) -> str:
        if self.number > 1:
            return f"{self.title} ({_('revision')} {self.number})"
        return self.title

    @property
    def is_adopted(self) -> bool:
        return self.status in {PlanStatus.ADOPTED, PlanStatus.PUBLISHED}

    @property
    def is_published(self) -> bool:
        # Queries select_related("publication") for lists.
        try:
            return self.publication is not None
        except PlanPublication.DoesNotExist:
            return False

    @property
    def stage(self) -> str:
        """The status as shown: an adopted plan with a publication is published (the
        adopted row itself is locked, so publishing cannot change its status)."""
        if self.status == PlanStatus.ADOPTED and self.is_published:
            return PlanStatus.PUBLISHED
        return self.status

    @property
    def stage_label(self) -> str:
        return PlanStatus(self.stage).label


class PlanPublication(locking.LockedModel, TenantModel):
    """That an adopted plan is published, when and by whom. A row of its own: the adopted
    plan itself is locked, and publishing must not unlock it."""

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="publication")
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("publication of a plan")
        verbose_name_plural = _("publications of plans")
        triggers = locking.lock_triggers()

    def __str__(self) -> str:
        return str(self.plan)


class PlanPart(locking.LockedModel, TenantModel):
    """A row of a plan: locked with it."""

    lock_field = "is_locked"
    locked_message = Plan.locked_message

    position = models.PositiveSmallIntegerField(_("order"), default=1)
    is_locked = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Activity(PlanPart):
    """An activity (aktivitet) of the year under one of the direction's goals."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("goal"),
    )
    title = models.CharField(_("activity"), max_length=300)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    # Networks are bodies too (governance.Body), so a network is named here as well.
    responsible_body = models.ForeignKey(
        "governance.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible body or group"),
    )
    responsible_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible staff member"),
    )

    class Meta(PlanPart.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        triggers = plan_part_triggers()

    def __str__(self) -> str:
        return self.title


class Promise(PlanPart):
    """A promise (löfte) of the year; Västernorrland asks its networks at year end
    whether each was kept."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="promises")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("promise"), max_length=4000, blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = _("promise (löfte)")
        verbose_name_plural = _("promises")
        triggers = plan_part_triggers()

    def __str__(self) -> str:
        return self.title


class Challenge(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="challenges")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("challenge"), max_length=4000, blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        triggers = plan_part_triggers()

    def __str__(self) -> str:
        return self.title


class Indicator(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("goal"),
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta(PlanPart.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        triggers = plan_part_triggers()

    def __str__(self) -> str:
        return self.name


class LineKind(models.TextChoices):
    INCOME = "income", _("Income")
    COST = "cost", _("Cost")


class LineCategory(models.TextChoices):
    MEMBER_FEES = "member_fees", _("Member fees")
    STATE_GRANTS = "state_grants", _("State grants")
    PROJECT_FUNDING = "project_funding", _("Project funding")
    OTHER_INCOME = "other_income", _("Other income")
    STAFF = "staff", _("Staff")
    PREMISES = "premises", _("Premises")
    ACTIVITIES = "activities", _("Activities")
    PROJECTS = "projects", _("Projects")
    OTHER_COSTS = "other_costs", _("Other costs")


INCOME_CATEGORIES = (
    LineCategory.MEMBER_FEES,
    LineCategory.STATE_GRANTS,
    LineCategory.PROJECT_FUNDING,
    LineCategory.OTHER_INCOME,
)
COST_CATEGORIES = (
    LineCategory.STAFF,
    LineCategory.PREMISES,
    LineCategory.ACTIVITIES,
    LineCategory.PROJECTS,
    LineCategory.OTHER_COSTS,
)


class BudgetLine(PlanPart):
    """One line of the year's budget, in whole kronor. Every plan has one line per category
    (made with the plan); member fees and project funding are filled from the members'
    fee schedule and the projects' external funding."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=LineCategory.choices)
    amount = models.BigIntegerField(_("amount (kr)"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(PlanPart.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        triggers = plan_part_triggers()
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "category"], name="planning_budget_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_category_display()

    @property
    def kind(self) -> str:
        return LineKind.INCOME if self.category in INCOME_CATEGORIES else LineKind.COST


# --- follow-up ----------------------------------------------------------------------------


class Period(models.TextChoices):
    TERTIAL_1 = "t1", _("Tertial 1 (January–April)")
    TERTIAL_2 = "t2", _("Tertial 2 (May–August)")
    ANNUAL = "annual", _("Annual report")


class Progress(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BEHIND = "behind", _("Behind")
    DONE = "done", _("Done")


class FollowUpReport(locking.LockedModel, TenantModel):
    """A tertial report or the annual report of an adopted plan: status per goal and
    activity, indicator values and the budget outcome per line. The annual report starts
    compiled from the tertials and is then edited.

    Publishing locks the report and its rows (application and database, as an adopted
    plan). A correction is a new version (``number`` + 1) that ``supersedes`` it and says
    why; the published version stays as it was until the correction is published."""

    lock_field = "is_locked"
    locked_message = _("The report is published and locked; correct it in a new version.")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    number = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="correction", verbose_name=_("corrects"),
    )  # fmt: skip
    correction_reason = models.TextField(
        _("reason for the correction"), max_length=2000, blank=True, editable=False
    )
    summary = models.TextField(_("summary"), max_length=20000, blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, editable=False,
        help_text=_("Shown on the association's public pages."),
    )  # fmt: skip
    is_locked = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["plan", "period", "number"]
        triggers = locking.lock_triggers("is_locked")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period", "number"],
                name="planning_report_unique_period",
                violation_error_message=_("The plan already has this report."),
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.get_period_display()} {self.plan.year}"
        return f"{text} ({_('version')} {self.number})" if self.number > 1 else text


# INSERT under a locked report (its rows are locked with it).
_NO_INSERT_UNDER_LOCKED_REPORT = (
    "IF EXISTS (SELECT 1 FROM planning_followupreport WHERE id = NEW.report_id AND is_locked) "
    "THEN RAISE EXCEPTION 'samverka: INSERT under a locked report into % is refused', "
    "TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END IF; RETURN NEW;"
)


def report_row_triggers() -> list:
    return [
        *locking.lock_triggers("is_locked"),
        pgtrigger.Trigger(
            name="no_insert_when_locked",
            when=pgtrigger.Before,
            operation=pgtrigger.Insert,
            func=_NO_INSERT_UNDER_LOCKED_REPORT,
        ),
    ]


class ReportRow(locking.LockedModel, TenantModel):
    """A row of a report: locked with it."""

    lock_field = "is_locked"
    locked_message = FollowUpReport.locked_message

    is_locked = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True


class StatusEntry(ReportRow):
    """The status of one goal or one activity in a report, with a comment."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="statuses")
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Progress.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        triggers = report_row_triggers()
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="planning_status_goal"),
            models.UniqueConstraint(fields=["report", "activity"], name="planning_status_activity"),
            models.CheckConstraint(
                condition=models.Q(goal__isnull=True) ^ models.Q(activity__isnull=True),
                name="planning_status_goal_or_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_status_display()}"


class IndicatorValue(ReportRow):
    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        triggers = report_row_triggers()
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="planning_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class BudgetOutcome(ReportRow):
    """The outcome so far (tertials) or of the year (annual report) of one budget line."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="outcomes")
    category = models.CharField(_("category"), max_length=20, choices=LineCategory.choices)
    amount = models.BigIntegerField(_("outcome (kr)"))

    class Meta:
        verbose_name = _("budget outcome")
        verbose_name_plural = _("budget outcomes")
        triggers = report_row_triggers()
        constraints = [
            models.UniqueConstraint(fields=["report", "category"], name="planning_outcome_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


# --- links to the networks' work ----------------------------------------------------------


class PromiseFeedback(locking.LockedModel, TenantModel):
    """Which promise of the networks' feedback round (``networks.FeedbackPromise``) asked
    about this promise of the plan. A row of its own: the round is opened after the plan is
    adopted, when the promise itself is locked. Insert-only."""

    promise = models.OneToOneField(Promise, on_delete=models.PROTECT, related_name="feedback")
    feedback_promise = models.OneToOneField(
        "networks.FeedbackPromise", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("feedback on a promise")
        verbose_name_plural = _("feedback on promises")
        triggers = locking.lock_triggers()

    def __str__(self) -> str:
        return str(self.promise)


class AssignmentGoal(TenantModel):
    """The goal of the direction a networks assignment (``networks.WorkAssignment``) serves.
    Planning points at networks; networks knows nothing of planning."""

    assignment = models.OneToOneField(
        "networks.WorkAssignment", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("assignment"),
    )  # fmt: skip
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="assignment_links", verbose_name=_("goal")
    )

    class Meta:
        verbose_name = _("goal an assignment serves")
        verbose_name_plural = _("goals assignments serve")

    def __str__(self) -> str:
        return f"{self.assignment} → {self.goal}"


class OutcomeImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    APPLIED = "applied", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class OutcomeImport(TenantModel):
    """A parsed outcome file waiting between preview and confirmation. The parsed figures
    live here, server-side, so the confirmation applies exactly what was previewed and
    never figures posted back by the browser (as the members' SCB import)."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("file"), max_length=255)
    lines = models.JSONField(_("budget outcomes"), default=dict)  # category -> kronor
    indicators = models.JSONField(_("indicator values"), default=dict)  # id -> value (text)
    status = models.CharField(
        _("status"), max_length=20, choices=OutcomeImportStatus.choices,
        default=OutcomeImportStatus.PENDING,
    )  # fmt: skip
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("uploaded by"),
    )  # fmt: skip
    applied_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("outcome import")
        verbose_name_plural = _("outcome imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
