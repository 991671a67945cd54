import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from association.calendar import STOCKHOLM
from association.fields import PlausibleDateField
from association.forms import VERSION_DAMAGED, VersionedFormMixin
from governance.decisions.models import Outcome, PerCapsulamSettings
from governance.decisions.services import check_response


class RegisterForm(forms.Form):
    """The register's search: every field optional; a wrong value is shown, not a 500."""

    q = forms.CharField(label=_("words"), max_length=200, required=False)
    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False, empty_value=None)
    body = forms.ChoiceField(label=_("body"), required=False)

    def __init__(self, *args, years=(), bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
        self.fields["body"].choices = [("", _("All bodies"))] + [(b.slug, b.name) for b in bodies]


class ResponseForm(forms.Form):
    """One member municipality's answer to a recommendation, one row of the page's table.
    The hidden initial values say what the editor saw, so only rows they changed are saved
    and checked against someone else's save."""

    municipality = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[("", _("Not decided yet")), *Outcome.choices],
        required=False,
        show_hidden_initial=True,
    )
    decided_on = PlausibleDateField(label=_("decided on"), required=False, show_hidden_initial=True)
    decision_url = forms.URLField(
        label=_("link to its decision"),
        max_length=500,
        required=False,
        assume_scheme="https",
        show_hidden_initial=True,
    )
    note = forms.CharField(
        label=_("note"), max_length=500, required=False, show_hidden_initial=True
    )

    def __init__(self, *args, day: datetime.date | None = None, **kwargs):
        self.day = day
        super().__init__(*args, **kwargs)

    def add_error(self, field, error):
        # The hidden fields' own errors would be invisible: say the form is out of date.
        if field in ("municipality", "version"):
            field, error = None, forms.ValidationError(VERSION_DAMAGED, code="version")
        super().add_error(field, error)

    def clean(self):
        data = super().clean()
        if self.day is not None and not self.errors:
            errors = check_response(
                outcome=data.get("outcome") or "", decided_on=data.get("decided_on"), day=self.day
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data

    @property
    def changed_fields(self) -> bool:
        return any(
            name in self.changed_data for name in ("outcome", "decided_on", "decision_url", "note")
        )


class BaseResponseFormSet(forms.BaseFormSet):
    def __init__(self, *args, day=None, **kwargs):
        self.day = day
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "day": self.day}


def response_formset(members: int):
    return forms.formset_factory(
        ResponseForm,
        formset=BaseResponseFormSet,
        extra=0,
        max_num=members,
        validate_max=True,
        absolute_max=max(members, 1),
        can_delete=False,
    )


class RuleForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PerCapsulamSettings
        fields = ["rule"]
        widgets = {"rule": forms.RadioSelect}


PAST_CLOSING = _("The closing time must be in the future.")


class ProposalForm(forms.Form):
    """Closing date and time in Swedish local time."""

    title = forms.CharField(label=_("matter"), max_length=200)
    text = forms.CharField(label=_("proposed decision"), max_length=4000, widget=forms.Textarea)
    description = forms.CharField(
        label=_("background"), max_length=8000, required=False, widget=forms.Textarea
    )
    is_public = forms.BooleanField(label=_("the decision is public"), required=False, initial=True)
    closes_on = PlausibleDateField(label=_("closes on"))
    closes_time = forms.TimeField(
        label=_("closes at (time)"),
        initial=datetime.time(12, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        data = super().clean()
        day, time = data.get("closes_on"), data.get("closes_time")
        if day and time:
            data["closes_at"] = datetime.datetime.combine(day, time, tzinfo=STOCKHOLM)
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    # Staff recording a member's written answer name the member.
    person = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
