from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    DUPLICATE_ORGANISATION,
    Agreement,
    FollowUp,
    FollowUpRule,
    Funding,
    OutsideOrganisation,
    Project,
    ValidityKind,
)
from association.documents import DocumentUploadField
from association.fields import PlausibleDateField, years_from_today
from association.forms import VersionedFormMixin
from association.models import User
from association.validators import normalise_organisation_number

END_BEFORE_START = _("The end date must be on or after the start date.")
FIXED_NEEDS_END = _("An agreement valid until a date needs that date.")
NEEDS_NOTICE = _("Give the notice period in months.")
NEEDS_PERIOD = _("Give the length of each period in months.")
CONTROL_CHARACTERS = _("The text contains characters that are not allowed.")

# Agreements and projects run long: dates up to 30 years ahead.
LATEST = years_from_today(30)


def _date(label, required=False, help_text=""):
    return PlausibleDateField(label=label, required=required, help_text=help_text, latest=LATEST)


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


class OrganisationForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = OutsideOrganisation
        fields = ["name", "organisation_number", "kind", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = self.instance.association if self.instance.pk else None

    def clean_organisation_number(self):
        value = self.cleaned_data["organisation_number"].strip()
        return normalise_organisation_number(value) if value else ""

    def validate_unique(self):
        # On an edit the association is known: a name another organisation has is refused on
        # the field (a new one is checked by the service, which sets the association).
        name = self.cleaned_data.get("name")
        if name and self.association is not None:
            others = OutsideOrganisation.objects.filter(association=self.association, name=name)
            if others.exclude(pk=self.instance.pk).exists():
                self.add_error("name", DUPLICATE_ORGANISATION)


def _scoped_many(label):
    """Tenant-owned choices: the queryset is set per request (scoped managers refuse to run
    when the form class is built)."""
    return forms.ModelMultipleChoiceField(
        queryset=None, label=label, required=False, widget=forms.CheckboxSelectMultiple
    )


def _scoped_one(label):
    return forms.ModelChoiceField(queryset=None, label=label, required=False)


class AgreementForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    organisations = _scoped_many(_("outside organisations"))
    responsible = forms.ModelChoiceField(
        queryset=None, label=_("responsible staff member"), required=False,
        help_text=_("Gets the agreement's reminders besides the editors."),
    )  # fmt: skip
    signed_on = _date(_("signed on"), help_text=_("Empty while it is a draft."))
    starts_on = _date(_("valid from"), help_text=_("Empty: from the signing date."))
    ends_on = _date(_("valid until"), help_text=_("For an agreement valid until a date."))

    class Meta:
        model = Agreement
        fields = [
            "kind", "title", "purpose", "areas", "includes_association", "municipalities",
            "organisations", "signed_on", "validity_kind", "starts_on", "ends_on",
            "notice_months", "period_months", "is_published", "responsible",
        ]  # fmt: skip
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "areas": forms.Textarea(attrs={"rows": 2}),
            "municipalities": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        from members.queries import member_municipalities

        self.fields["municipalities"].queryset = member_municipalities(association)
        self.fields["organisations"].queryset = OutsideOrganisation.objects.filter(
            association=association
        )
        from agreements.queries import staff_names

        names = staff_names(association)
        self.fields["responsible"].queryset = User.objects.filter(pk__in=names).order_by("pk")
        self.fields["responsible"].label_from_instance = lambda user: names[user.pk]
        self.fields["notice_months"].widget.attrs["max"] = 120
        self.fields["period_months"].widget.attrs["max"] = 240

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("validity_kind")
        start = cleaned.get("starts_on") or cleaned.get("signed_on")
        end = cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", END_BEFORE_START)
        if kind == ValidityKind.FIXED and not end and "ends_on" not in self.errors:
            self.add_error("ends_on", FIXED_NEEDS_END)
        notice, period = cleaned.get("notice_months"), cleaned.get("period_months")
        if kind == ValidityKind.UNTIL_TERMINATED and not notice:
            self.add_error("notice_months", NEEDS_NOTICE)
        if kind == ValidityKind.RENEWING and not period:
            self.add_error("period_months", NEEDS_PERIOD)
        if notice is not None and notice > 120:
            self.add_error("notice_months", _("At most 120 months."))
        if period is not None and period > 240:
            self.add_error("period_months", _("At most 240 months."))
        return cleaned


class TerminationForm(_CleanTextMixin, forms.Form):
    given_by = forms.CharField(
        label=_("notice given by"), max_length=200, help_text=_("The party that gave notice.")
    )
    given_on = PlausibleDateField(
        label=_("notice given on"), latest=years_from_today(1), earliest=years_from_today(-30)
    )


class SignatoryForm(_CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    party = forms.CharField(label=_("for the party"), max_length=200)
    signed_on = _date(_("signed on"))


class DocumentForm(_CleanTextMixin, forms.Form):
    file = DocumentUploadField(label=_("file"))
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    is_public = forms.BooleanField(label=_("public"), required=False)


class VersionForm(_CleanTextMixin, forms.Form):
    file = DocumentUploadField(label=_("new version"))
    note = forms.CharField(label=_("what changed"), max_length=500, required=False)


def _bodies(association):
    from governance.models import Body

    return Body.objects.filter(association=association).order_by("name")


class FollowUpForm(_CleanTextMixin, forms.ModelForm):
    body = _scoped_one(_("responsible body"))
    due_on = _date(_("date"), required=True)

    class Meta:
        model = FollowUp
        fields = ["title", "due_on", "body", "responsible"]

    def __init__(self, *args, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(association)


class FollowUpPlanForm(_CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("what"), max_length=200)
    rule = forms.ChoiceField(label=_("how often"), choices=FollowUpRule.choices)
    first_on = _date(_("first date"), required=True)
    until = _date(_("last date"), required=True)
    body = forms.ModelChoiceField(label=_("responsible body"), queryset=None, required=False)
    responsible = forms.CharField(label=_("responsible group"), max_length=200, required=False)

    def __init__(self, *args, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = _bodies(association)

    def clean(self):
        cleaned = super().clean()
        first, until = cleaned.get("first_on"), cleaned.get("until")
        if first and until and until < first:
            self.add_error("until", _("The last date must be on or after the first."))
        return cleaned


class OutcomeForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    done_on = _date(_("held on"))

    class Meta:
        model = FollowUp
        fields = ["done_on", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 5})}


class ProjectForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    starts_on = _date(_("starts"))
    ends_on = _date(_("ends"))
    partners = _scoped_many(_("outside partners"))
    body = _scoped_one(_("responsible group"))

    class Meta:
        model = Project
        fields = ["name", "purpose", "starts_on", "ends_on", "status", "municipalities",
                  "partners", "body", "responsible"]  # fmt: skip
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "municipalities": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        from members.queries import member_municipalities

        self.association = association
        self.fields["municipalities"].queryset = member_municipalities(association)
        self.fields["partners"].queryset = OutsideOrganisation.objects.filter(
            association=association
        )
        self.fields["body"].queryset = _bodies(association)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", END_BEFORE_START)
        return cleaned

    def validate_unique(self):
        # The association is set by the service; checked here so the error shows on the name.
        name = self.cleaned_data.get("name")
        if name and self.association is not None:
            others = Project.objects.filter(association=self.association, name=name)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("name", _("A project with this name already exists."))


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    amount = forms.IntegerField(label=_("budget (kr)"), min_value=0, max_value=10**12)


class FundingForm(forms.ModelForm):
    funder = _scoped_one(_("funder"))
    report_due_on = _date(_("report due"))
    year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    amount = forms.IntegerField(label=_("amount (kr)"), min_value=0, max_value=10**12)

    class Meta:
        model = Funding
        fields = ["source", "funder", "year", "amount", "report_due_on"]

    def __init__(self, *args, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = OutsideOrganisation.objects.filter(association=association)

    def validate_unique(self):
        pass  # no uniqueness rules; the association is set by the service


def validation_error_on(form, error: ValidationError) -> None:
    from association.forms import add_validation_error

    add_validation_error(form, error)
