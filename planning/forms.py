import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from association.fields import PlausibleDateField, years_from_today
from association.forms import VersionedFormMixin
from planning.models import (
    COST_CATEGORIES,
    INCOME_CATEGORIES,
    Activity,
    Challenge,
    Direction,
    Goal,
    GoalArea,
    Indicator,
    LineCategory,
    Plan,
    Promise,
    Strategy,
    SustainableGoal,
)

CONTROL_CHARACTERS = _("The text contains characters that are not allowed.")
MAX_AMOUNT = 10**12


class _CleanTextMixin:
    """Refuse NUL characters in every text field (PostgreSQL cannot store them)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                if "\x00" in value:
                    self.add_error(name, CONTROL_CHARACTERS)
                else:
                    cleaned[name] = value.strip()
        return cleaned


class DirectionForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Direction
        fields = ["title", "first_year", "last_year", "vision", "mission", "business_idea",
                  "financing", "is_published"]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("vision", "mission", "business_idea", "financing")}  # fmt: skip

    first_year = forms.IntegerField(label=_("first year"), min_value=1990, max_value=2200)
    last_year = forms.IntegerField(label=_("last year"), min_value=1990, max_value=2200)


class GoalAreaForm(_CleanTextMixin, forms.ModelForm):
    class Meta:
        model = GoalArea
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def _scoped(label, required=False):
    """A choice of tenant rows; the view's form sets the queryset (a class-level scoped
    queryset would be evaluated at import, outside any tenant scope)."""
    return forms.ModelChoiceField(queryset=None, label=label, required=required)


class GoalForm(_CleanTextMixin, forms.ModelForm):
    area = _scoped(_("goal area"))

    class Meta:
        model = Goal
        fields = ["area", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, direction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = GoalArea.objects.filter(direction=direction)


class StrategyForm(_CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class SdgLinkForm(forms.Form):
    area = _scoped(_("goal area"))
    sdg = forms.ModelChoiceField(
        queryset=SustainableGoal.objects.all(), label=_("global goal"), to_field_name="number"
    )
    is_primary = forms.BooleanField(label=_("primary"), required=False)

    def __init__(self, *args, direction, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = GoalArea.objects.filter(direction=direction)


class PlanCreateForm(forms.Form):
    direction = _scoped(_("direction"), required=True)
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2200)
    copy_last_year = forms.BooleanField(
        label=_("Start from last year's plan"), required=False, initial=True,
        help_text=_("Copies its activities, promises, challenges, indicators and budget."),
    )  # fmt: skip

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = Direction.objects.filter(association=association)


class PlanForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}


def _goal_field(form, plan):
    form.fields["goal"].queryset = Goal.objects.filter(direction=plan.direction_id)


class ActivityForm(_CleanTextMixin, forms.ModelForm):
    goal = _scoped(_("goal"))
    responsible_body = _scoped(_("responsible body or group"))
    responsible_staff = _scoped(_("responsible staff member"))

    class Meta:
        model = Activity
        fields = ["goal", "title", "description", "responsible_body", "responsible_staff"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        from agreements.queries import staff_names
        from association.models import User
        from governance.models import Body

        super().__init__(*args, **kwargs)
        _goal_field(self, plan)
        self.fields["responsible_body"].queryset = Body.objects.filter(
            association=plan.association_id
        )
        names = staff_names(plan.association)
        self.fields["responsible_staff"].queryset = User.objects.filter(pk__in=names).order_by("pk")
        self.fields["responsible_staff"].label_from_instance = lambda user: names[user.pk]


class PromiseForm(_CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Promise
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class ChallengeForm(_CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Challenge
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(_CleanTextMixin, forms.ModelForm):
    goal = _scoped(_("goal"))

    class Meta:
        model = Indicator
        fields = ["goal", "name", "unit", "baseline", "target"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        _goal_field(self, plan)


# Lines filled from the other apps, not typed.
COMPUTED = (LineCategory.MEMBER_FEES, LineCategory.PROJECT_FUNDING)


class BudgetForm(forms.Form):
    """One amount per line staff enter; member fees and project funding come from the
    members' fee schedule and the projects."""

    def __init__(self, *args, amounts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for category in (*INCOME_CATEGORIES, *COST_CATEGORIES):
            if category in COMPUTED:
                continue
            self.fields[category] = forms.IntegerField(
                label=LineCategory(category).label, min_value=0, max_value=MAX_AMOUNT,
                initial=amounts.get(category, 0),
            )  # fmt: skip


class Step:
    PROPOSE = "propose"
    RETURN = "return_to_draft"
    REFRESH = "refresh_income"
    CIRCULATE = "circulate"
    APPROVE = "board_approval"
    ADOPT = "adopt"
    PUBLISH = "publish"
    REVISE = "revise"


STEP_CHOICES = [
    (Step.PROPOSE, _("Propose to the board")),
    (Step.RETURN, _("Return to draft")),
    (Step.REFRESH, _("Fetch member fees and project funding again")),
    (Step.CIRCULATE, _("Ask the board per capsulam")),
    (Step.APPROVE, _("Record the board's approval")),
    (Step.ADOPT, _("Record the assembly's adoption")),
    (Step.PUBLISH, _("Publish")),
    (Step.REVISE, _("Start a revision")),
]


class StepForm(forms.Form):
    """One step of the approval flow; each step's form shows only its own fields."""

    step = forms.ChoiceField(choices=STEP_CHOICES, widget=forms.HiddenInput)
    closes_on = PlausibleDateField(label=_("answers by"), required=False)
    decision = forms.ModelChoiceField(
        queryset=None, required=False, label=_("the board's decision at a meeting")
    )
    proposal = forms.ModelChoiceField(
        queryset=None, required=False, label=_("or the passed per capsulam proposal")
    )
    adopted_on = PlausibleDateField(label=_("adopted on"), required=False)
    assembly_decision = forms.ModelChoiceField(
        queryset=None, required=False, label=_("the assembly's decision at a meeting")
    )
    reference = forms.CharField(
        label=_("or the assembly's decision named"), max_length=300, required=False,
        help_text=_("For example: Förbundsmötet 2025-11-20 § 7."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("reason for the revision"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, decisions, proposals, assembly_decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["proposal"].queryset = proposals
        self.fields["assembly_decision"].queryset = assembly_decisions

    def clean(self):
        cleaned = super().clean()
        for name in ("reference", "reason"):
            value = cleaned.get(name) or ""
            if "\x00" in value:
                self.add_error(name, CONTROL_CHARACTERS)
        return cleaned


class ReportCreateForm(forms.Form):
    period = forms.ChoiceField(label=_("period"), choices=[])

    def __init__(self, *args, **kwargs):
        from planning.models import Period

        super().__init__(*args, **kwargs)
        self.fields["period"].choices = Period.choices


class ReportForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        from planning.models import FollowUpReport

        model = FollowUpReport
        fields = ["summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 10})}


class ReportStepForm(forms.Form):
    """Publish a report (it locks), or start a correction of a published one."""

    step = forms.ChoiceField(
        choices=[("publish", _("Publish the report")), ("correct", _("Start a correction"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("reason for the correction"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class StatusesForm(forms.Form):
    """Every status of a report on one page: ``status-<id>`` and ``comment-<id>``."""

    def __init__(self, *args, entries, **kwargs):
        from planning.models import Progress

        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"status-{entry.pk}"] = forms.ChoiceField(
                label=_("Status"), required=False,
                choices=[("", "–"), *Progress.choices], initial=entry.status,
            )  # fmt: skip
            self.fields[f"comment-{entry.pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=4000, initial=entry.comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
            entry.status_field = self[f"status-{entry.pk}"]
            entry.comment_field = self[f"comment-{entry.pk}"]

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, CONTROL_CHARACTERS)
        return cleaned

    def entries_data(self) -> dict[int, tuple[str, str]]:
        return {
            entry.pk: (
                self.cleaned_data[f"status-{entry.pk}"],
                self.cleaned_data[f"comment-{entry.pk}"].strip(),
            )
            for entry in self.entries
        }


class OutcomeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Two columns: the budget line (for example Personal) or the indicator's name, "
            "and the figure. A file with any bad row imports nothing."
        ),
    )


class BudgetLineForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        from planning.models import BudgetLine

        model = BudgetLine
        fields = ["amount", "note"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and not 0 <= amount <= MAX_AMOUNT:
            raise forms.ValidationError(_("Enter zero or more."))
        return amount


class SdgLinkEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        from planning.models import SdgLink

        model = SdgLink
        fields = ["is_primary"]


def versioned(form_class):
    """The add form of a row as an edit form with the row's version (optimistic locking)."""
    return type(f"{form_class.__name__}Edit", (VersionedFormMixin, form_class), {})


PLAN_EDIT_FORMS = {
    "activity": versioned(ActivityForm),
    "promise": versioned(PromiseForm),
    "challenge": versioned(ChallengeForm),
    "indicator": versioned(IndicatorForm),
    "budget_line": BudgetLineForm,
}
DIRECTION_EDIT_FORMS = {
    "area": versioned(GoalAreaForm),
    "goal": versioned(GoalForm),
    "strategy": versioned(StrategyForm),
    "sdg": SdgLinkEditForm,
}


class DirectionPartDeleteForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k, k) for k in ("area", "goal", "strategy", "sdg")], widget=forms.HiddenInput
    )
    part = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class PartDeleteForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k, k) for k in ("activity", "promise", "challenge", "indicator")],
        widget=forms.HiddenInput,
    )
    part = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class PromiseFeedbackForm(forms.Form):
    """Open the networks' feedback round on the plan's promises."""

    closes_on = PlausibleDateField(
        label=_("answers by"), latest=years_from_today(2), earliest=years_from_today(-1)
    )
    networks = forms.ModelMultipleChoiceField(
        label=_("networks"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    bodies = forms.ModelMultipleChoiceField(
        label=_("presidia and other bodies"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, association, **kwargs):
        from governance.models import NETWORK_KINDS, Body
        from networks.queries import networks

        super().__init__(*args, **kwargs)
        self.fields["networks"].queryset = networks(association)
        self.fields["networks"].label_from_instance = lambda network: network.body.name
        self.fields["bodies"].queryset = (
            Body.objects.filter(association=association)
            .exclude(kind__in=NETWORK_KINDS)
            .order_by("ordering", "name")
        )

    @staticmethod
    def end_of(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(
            day, datetime.time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )


class AssignmentGoalForm(forms.Form):
    """Say which goal of the direction a networks assignment serves."""

    assignment = forms.ModelChoiceField(label=_("assignment"), queryset=None)
    goal = forms.ModelChoiceField(label=_("goal"), queryset=None)

    def __init__(self, *args, direction, **kwargs):
        from networks.queries import work_assignments

        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = work_assignments(direction.association)
        self.fields["goal"].queryset = Goal.objects.filter(direction=direction).order_by(
            "position", "pk"
        )
