from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance import queries
from governance.models import NETWORK_KINDS, Assignment, Body, HostRotation, Person, Seat, Term
from members.queries import municipalities

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateForm(forms.Form):
    """The ?datum= of a body page; anything unreadable falls back to today."""

    datum = forms.DateField(label=_("Composition on"), required=False, widget=DATE_WIDGET)

    def day_or_today(self) -> date:
        if self.is_valid() and self.cleaned_data.get("datum"):
            day = self.cleaned_data["datum"]
            if date(1900, 1, 1) <= day <= date(2200, 12, 31):
                return day
        return timezone.localdate()


def _municipality_field(field):
    field.queryset = municipalities()
    field.label_from_instance = lambda m: f"{m.name} ({m.code})"


class PersonForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outside_organisation = forms.ModelChoiceField(
        queryset=None, label=_("organisation in the register"), required=False
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "municipality", "outside_organisation",
                  "organisation", "party", "title", "email", "phone"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _municipality_field(self.fields["municipality"])
        self.fields["outside_organisation"].queryset = organisations_of_scope()


def organisations_of_scope():
    """The outside organisations of the association whose scope is open (the request's)."""
    from agreements.models import OutsideOrganisation

    return OutsideOrganisation.objects.all()


def _scoped_choice(label, required=False, help_text=""):
    """A choice of tenant-owned objects; the queryset is set per request (scoped managers
    refuse to run when the form class is built)."""
    return forms.ModelChoiceField(
        queryset=None, label=label, required=required, help_text=help_text
    )


class BodyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reports_to = _scoped_choice(_("reports to"))
    host_rotation = _scoped_choice(_("host rotation"))

    class Meta:
        model = Body
        fields = [
            "name", "slug", "kind", "mandate", "members_information", "reports_to",
            "outside_parties", "is_formal", "meetings_per_year", "quorum_rule", "seat_rule",
            "chair_rule", "host_rotation", "fixed_host", "ordering",
        ]  # fmt: skip

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        others = queries.bodies(association)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = others
        if self.instance.kind not in NETWORK_KINDS:
            # Networks are made on the networks pages, which add what a network has besides
            # its body; a governing body does not turn into one here.
            self.fields["kind"].choices = [
                choice for choice in self.fields["kind"].choices if choice[0] not in NETWORK_KINDS
            ]
        self.fields["host_rotation"].queryset = HostRotation.objects.filter(
            association=association
        ).order_by("name")
        _municipality_field(self.fields["fixed_host"])


class SeatForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Seat
        fields = ["municipality", "organisation", "party", "label", "members", "substitutes",
                  "ordering"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _municipality_field(self.fields["municipality"])


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("A term cannot end before it starts."))
        return cleaned

    def validate_constraints(self):
        # The overlap rule is checked (and explained) by the service.
        return


class AssignmentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person = _scoped_choice(_("person"), required=True)
    seat = _scoped_choice(
        _("seat"), help_text=_("Leave empty for a secretary or a co-opted person.")
    )
    term = _scoped_choice(_("term"), required=True)
    substitute_for = _scoped_choice(
        _("personal substitute for"),
        help_text=_("For a personal substitute: the member they stand in for."),
    )

    class Meta:
        model = Assignment
        fields = ["person", "seat", "role", "term", "starts_on", "ends_on", "substitute_for",
                  "substitute_order"]  # fmt: skip
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        association = body.association
        self.fields["person"].queryset = queries.people(association)
        self.fields["substitute_for"].queryset = queries.people(association)
        self.fields["seat"].queryset = queries.seats(body)
        self.fields["seat"].label_from_instance = lambda seat: seat.holder
        self.fields["term"].queryset = queries.terms(association)
        if not self.instance.pk:
            term = queries.term_on(association, timezone.localdate())
            if term is not None:
                self.initial.setdefault("term", term.pk)
                self.initial.setdefault("starts_on", max(term.starts_on, timezone.localdate()))
                self.initial.setdefault("ends_on", term.ends_on)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("An assignment cannot end before it starts."))
        return cleaned

    def validate_constraints(self):
        # The service checks every rule with its own message, inside the transaction.
        return

    def _post_clean(self):
        # The instance's body is set by the service; skip the model's full_clean here.
        pass


class RotationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    first_year = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2200)
    municipalities = forms.CharField(
        label=_("Municipalities in turn"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One municipality a line, by name or code, the first year's host first; after "
            "the last the rotation starts again."
        ),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def clean_municipalities(self):
        by_key = {}
        for municipality in municipalities():
            by_key[municipality.code] = municipality
            by_key[municipality.name.casefold()] = municipality
        result, unknown = [], []
        for line in self.cleaned_data["municipalities"].splitlines():
            key = line.strip()
            if not key:
                continue
            municipality = by_key.get(key) or by_key.get(key.casefold())
            if municipality is None:
                unknown.append(key)
            else:
                result.append(municipality)
        if unknown:
            raise forms.ValidationError(
                _("Unknown municipalities: %(names)s"), params={"names": ", ".join(unknown)}
            )
        if not result:
            raise forms.ValidationError(_("Add at least one municipality to the rotation."))
        if len({m.pk for m in result}) != len(result):
            raise forms.ValidationError(
                _("Each municipality may appear only once in the rotation.")
            )
        return result


class ProposalYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2200, required=False)

    def year_or_next(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year + 1
