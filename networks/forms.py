from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from association.documents import DocumentUploadField
from association.fields import PlausibleDateField, years_from_today
from association.forms import VersionedFormMixin
from governance.models import RESERVED_BODY_SLUGS, Role
from networks.models import Network, WorkAssignment, WorkStatus

CONTROL_CHARACTERS = _("The text contains characters that are not allowed.")
END_BEFORE_START = _("The end date must be on or after the start date.")
LATEST = years_from_today(10)


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


def _bodies(association):
    from governance.models import Body

    return Body.objects.filter(association=association).order_by("ordering", "name")


def _networks(association):
    return (
        Network.objects.filter(association=association)
        .select_related("body")
        .order_by("body__name")
    )


class NetworkForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    name = forms.CharField(label=_("name"), max_length=200)
    slug = forms.SlugField(
        label=_("web address"), max_length=60,
        help_text=_("Letters, digits and hyphens, e.g. “natverk-utbildning”."),
    )  # fmt: skip
    reports_to = forms.ModelChoiceField(label=_("reports to"), queryset=None, required=False)
    coordinator = forms.ModelChoiceField(label=_("coordinator"), queryset=None, required=False)
    parent = forms.ModelChoiceField(
        label=_("appointed by network"), queryset=None, required=False,
        help_text=_("For an operational group: the network that appointed it."),
    )  # fmt: skip

    class Meta:
        model = Network
        fields = ["name", "slug", "kind", "purpose", "reports_to", "coordinator",
                  "member_list_public", "reports_yearly", "parent"]  # fmt: skip
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        from governance.models import NETWORK_KINDS, Person

        self.association = association
        self.fields["reports_to"].queryset = _bodies(association)
        self.fields["coordinator"].queryset = Person.objects.filter(association=association)
        parents = _networks(association)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.fields["name"].initial = self.instance.body.name
            self.fields["reports_to"].initial = self.instance.body.reports_to_id
            # The address stays: links and calendars point at it.
            del self.fields["slug"]
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda network: network.body.name
        self.network_kinds = NETWORK_KINDS

    def clean_slug(self):
        from governance.models import Body

        slug = self.cleaned_data["slug"]
        if slug in RESERVED_BODY_SLUGS:
            raise forms.ValidationError(_("This address is used by the portal; choose another."))
        if Body.objects.filter(association=self.association, slug=slug).exists():
            raise forms.ValidationError(_("Another body or network already has this address."))
        return slug


class MemberForm(_CleanTextMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("person"), queryset=None)
    municipality = forms.ModelChoiceField(
        label=_("for the municipality"), queryset=None, required=False,
        help_text=_("Empty: the person's own municipality."),
    )  # fmt: skip
    role = forms.ChoiceField(
        label=_("role"),
        choices=[
            (r.value, r.label)
            for r in (Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER, Role.SUBSTITUTE, Role.SECRETARY)
        ],
        initial=Role.MEMBER,
    )
    starts_on = _date(_("from"), required=True)
    ends_on = _date(_("until"), help_text=_("Empty: to the end of the term of office."))

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        from governance.models import Person
        from members.queries import member_municipalities

        self.fields["person"].queryset = Person.objects.filter(association=association)
        self.fields["municipality"].queryset = member_municipalities(association)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", END_BEFORE_START)
        return cleaned


class WorkAssignmentForm(_CleanTextMixin, VersionedFormMixin, forms.ModelForm):
    given_by = forms.ModelChoiceField(label=_("given by"), queryset=None, required=False)
    responsible = forms.ModelChoiceField(
        label=_("responsible group"), queryset=None, required=False
    )
    starts_on = _date(_("from"))
    ends_on = _date(_("until"))

    class Meta:
        model = WorkAssignment
        fields = ["title", "description", "heading", "given_by", "responsible",
                  "responsible_other", "starts_on", "ends_on", "ordering"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = _bodies(association)
        self.fields["responsible"].queryset = _bodies(association)
        self.fields["ordering"].widget.attrs["max"] = 32767

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", END_BEFORE_START)
        nobody = not cleaned.get("responsible") and not cleaned.get("responsible_other")
        if nobody and "responsible" not in self.errors:
            self.add_error("responsible", _("Say who is responsible: a group or a name."))
        return cleaned


class StatusForm(_CleanTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=WorkStatus.choices)
    comment = forms.CharField(
        label=_("comment"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class YearlyReportForm(_CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    text = forms.CharField(
        label=_("report"), max_length=20000, required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )  # fmt: skip
    file = DocumentUploadField(label=_("document"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text") and not cleaned.get("file") and not self.errors:
            raise forms.ValidationError(_("Write the report or attach it as a document."))
        return cleaned


class FeedbackRoundForm(_CleanTextMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    closes_on = PlausibleDateField(
        label=_("closes on"), latest=years_from_today(2), earliest=years_from_today(-1),
        help_text=_("Answers can be given and changed until the end of this day."),
    )  # fmt: skip
    promises = forms.CharField(
        label=_("promises"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One promise per line."),
    )  # fmt: skip
    networks = forms.ModelMultipleChoiceField(
        label=_("networks"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    bodies = forms.ModelMultipleChoiceField(
        label=_("presidia and other bodies"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        from governance.models import NETWORK_KINDS

        self.fields["networks"].queryset = _networks(association)
        self.fields["networks"].label_from_instance = lambda network: network.body.name
        self.fields["bodies"].queryset = _bodies(association).exclude(kind__in=NETWORK_KINDS)

    @property
    def closes_at(self) -> datetime:
        day = self.cleaned_data["closes_on"]
        return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def promise_texts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["promises"].splitlines() if line.strip()]


class AnswerForm(forms.Form):
    """One score and comment per promise of the round (fields ``score_<id>``, ``comment_<id>``)."""

    def __init__(self, *args, promises, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.promises = promises
        choices = [(str(n), str(n)) for n in range(1, 6)]
        for promise in promises:
            own = answers.get(promise.pk)
            self.fields[f"score_{promise.pk}"] = forms.TypedChoiceField(
                label=promise.text, choices=choices, coerce=int, widget=forms.RadioSelect,
                initial=str(own.score) if own else None,
                help_text=_("1 = not at all, 5 = fully"),
            )  # fmt: skip
            self.fields[f"comment_{promise.pk}"] = forms.CharField(
                label=_("Comment"), max_length=2000, required=False,
                widget=forms.Textarea(attrs={"rows": 2}), initial=own.comment if own else "",
            )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, CONTROL_CHARACTERS)
        return cleaned

    def answers(self) -> dict[int, tuple[int, str]]:
        return {
            promise.pk: (
                self.cleaned_data[f"score_{promise.pk}"],
                self.cleaned_data.get(f"comment_{promise.pk}", "").strip(),
            )
            for promise in self.promises
        }
