import datetime
from pathlib import Path

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from association.fields import PlausibleDateField
from association.forms import VersionedFormMixin
from members import imports, queries
from members.models import FeeRule, FigureCorrection, FigureKind, Membership

# The oldest memberships the portal records (most associations were formed in the 1990s).
MEMBERSHIPS_FROM = datetime.date(1950, 1, 1)


class YearForm(forms.Form):
    """The ?year= of the member and fee pages; anything unreadable falls back to this year."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2200, required=False)

    def year_or_default(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class MembershipForm(VersionedFormMixin, forms.ModelForm):
    joined_on = PlausibleDateField(
        label=capfirst(Membership._meta.get_field("joined_on").verbose_name),
        earliest=MEMBERSHIPS_FROM,
    )
    left_on = PlausibleDateField(
        label=capfirst(Membership._meta.get_field("left_on").verbose_name),
        earliest=MEMBERSHIPS_FROM, required=False,
    )  # fmt: skip

    class Meta:
        model = Membership
        fields = [
            "municipality", "joined_on", "left_on", "chair_name", "chief_executive_name", "notes",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = queries.municipalities()
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.code})"
        if self.instance.pk:
            # A membership belongs to its municipality; a different one is a new membership.
            self.fields["municipality"].disabled = True

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("The membership cannot end before it starts."))
        return cleaned


class FeeRuleForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FeeRule
        fields = [
            "name", "first_year", "last_year", "basis", "rate", "cap_per_mille",
            "base_year_offset", "rounding", "pro_rata", "notes",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("The last year cannot come before the first."))
        return cleaned


class FigureImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Figures"), choices=FigureKind.choices)
    source = forms.CharField(
        label=_("Source"), max_length=200, initial="SCB",
        help_text=_("e.g. “SCB, Folkmängd 31 december 2024”"),
    )  # fmt: skip
    file = forms.FileField(
        label=_("CSV file from SCB"),
        help_text=_("Semicolon-separated, at most 5 MB; municipality code in the first column."),
    )

    parsed: imports.ParsedFile | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".txt"}:
            raise forms.ValidationError(_("Choose a CSV file (.csv or .txt)."))
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(_("The file may be at most 5 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is None or kind is None:
            return cleaned
        upload.seek(0)
        content = upload.read(imports.MAX_BYTES + 1)
        self.parsed = imports.parse_figures(
            content, kind=kind, municipality_codes=queries.municipality_codes()
        )
        if self.parsed.error_count:
            raise forms.ValidationError(
                _(
                    "The file has %(count)s bad rows; nothing was imported. "
                    "Correct them and upload the file again."
                ),
                params={"count": self.parsed.error_count},
            )
        return cleaned


class FigureCorrectionForm(VersionedFormMixin, forms.ModelForm):
    """The association's own figure for one of its members in one fee year."""

    class Meta:
        model = FigureCorrection
        fields = ["municipality", "year", "population", "tax_capacity", "reason"]
        error_messages = {
            "municipality": {
                "invalid_choice": _(
                    "Choose one of the association's member municipalities; an association "
                    "can only correct figures for its own members."
                )
            }
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = queries.member_municipalities(association)
        field.label_from_instance = lambda m: f"{m.name} ({m.code})"
        if self.instance.pk:
            # A correction belongs to its member; another member is a new correction.
            field.disabled = True


class AdoptionForm(forms.Form):
    """Record that the assembly (or board) adopted the year's fee schedule."""

    decision_reference = forms.CharField(
        label=_("Decision"), max_length=200,
        help_text=_("Body, date and paragraph, e.g. “Förbundsfullmäktige 2025-11-20 § 7”."),
    )  # fmt: skip
    decided_on = PlausibleDateField(label=_("Decided on"))
    reason = forms.CharField(
        label=_("Reason for superseding"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    current = forms.IntegerField(
        widget=forms.HiddenInput, required=False,
        error_messages={"invalid": _("This form is out of date; open the page again.")},
    )  # fmt: skip

    def __init__(self, *args, superseding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if superseding:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
