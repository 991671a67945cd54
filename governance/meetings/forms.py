import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from association.calendar import STOCKHOLM
from association.documents import DocumentUploadField
from association.fields import PlausibleDateField
from association.forms import VersionedFormMixin
from governance.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    BodyMeetingSettings,
    DecisionMethod,
    StatementKind,
    VoteChoice,
)

END_BEFORE_START = _("The meeting must end after it starts.")


class MeetingForm(VersionedFormMixin, forms.Form):
    """Date and times in Swedish local time; the form keeps what was typed on errors."""

    title = forms.CharField(label=_("title"), max_length=200, required=False)
    date = PlausibleDateField(label=_("date"))
    start = forms.TimeField(label=_("starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("place"), max_length=300, required=False)
    video_url = forms.URLField(
        label=_("video link"), max_length=500, required=False, assume_scheme="https"
    )
    resource = forms.ModelChoiceField(
        label=_("book a room"),
        queryset=None,
        required=False,
        help_text=_("The room is booked for the meeting's time; a collision is refused."),
    )
    reason = forms.CharField(label=_("reason for the change"), max_length=500, required=False)

    def __init__(self, *args, resources=None, meeting=None, **kwargs):
        self.instance = meeting
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        if meeting is None:
            del self.fields["reason"]
        else:
            del self.fields["resource"]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day and start and end:
            data["starts_at"] = datetime.datetime.combine(day, start, tzinfo=STOCKHOLM)
            data["ends_at"] = datetime.datetime.combine(day, end, tzinfo=STOCKHOLM)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", END_BEFORE_START)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class ItemForm(VersionedFormMixin, forms.ModelForm):
    # Declared here: a model field's default queryset would query outside a tenant scope.
    continues = forms.ModelChoiceField(queryset=None, required=False, label=_("continues the item"))

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "kind",
            "description",
            "proposed_decision",
            "presenter",
            "case_number",
            "is_public",
            "continues",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "proposed_decision": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, continuable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["continues"].queryset = continuable
        self.fields["continues"].label_from_instance = lambda item: (
            f"{item.meeting.body.name} {item.meeting.starts_at:%Y-%m-%d}: {item}"
        )


class DocumentForm(forms.Form):
    file = DocumentUploadField(label=_("file"))
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    is_public = forms.BooleanField(label=_("public"), required=False)


class VersionForm(forms.Form):
    file = DocumentUploadField(label=_("new version"))
    note = forms.CharField(label=_("what changed"), max_length=500, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("my note"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500, required=False)


class SettingsForm(forms.ModelForm):
    preparatory_body = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("preparatory meeting held by"),
        help_text=_("e.g. the chief executives' group, which meets before each board meeting."),
    )

    class Meta:
        model = BodyMeetingSettings
        fields = ["preparatory_body", "preparatory_days_before", "standing_items"]

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preparatory_body"].queryset = bodies


# --- the record and the minutes -----------------------------------------------------------

NO_ITEM = [("", "—")]


class AttendanceForm(VersionedFormMixin, forms.Form):
    """The roll: per person present or absent, whom a substitute serves for, and the items
    they arrived before and left after. Fields are named ``p<person id>-<what>``. The
    meeting's version detects a concurrent save."""

    def __init__(self, *args, meeting, rows, members, items, **kwargs):
        self.instance = meeting
        super().__init__(*args, **kwargs)
        self.rows = rows
        member_choices = NO_ITEM + [(str(p.pk), str(p)) for p in members]
        item_choices = NO_ITEM + [(str(i.pk), str(i)) for i in items]
        for row in rows:
            person = row["person"]
            prefix = f"p{person.pk}"
            self.fields[f"{prefix}-status"] = forms.ChoiceField(
                label=_("attendance"), choices=AttendanceStatus.choices
            )
            if row["role"] == "substitute":
                self.fields[f"{prefix}-serves_for"] = forms.TypedChoiceField(
                    label=_("serves for"),
                    choices=member_choices,
                    required=False,
                    coerce=int,
                    empty_value=None,
                )
            self.fields[f"{prefix}-arrived_before"] = forms.TypedChoiceField(
                label=_("arrived before"),
                choices=item_choices,
                required=False,
                coerce=int,
                empty_value=None,
            )
            self.fields[f"{prefix}-left_after"] = forms.TypedChoiceField(
                label=_("left after"),
                choices=item_choices,
                required=False,
                coerce=int,
                empty_value=None,
            )
            self.initial.setdefault(f"{prefix}-status", row["status"])
            for name in ("serves_for", "arrived_before", "left_after"):
                value = row.get(name)
                if value is not None:
                    self.initial.setdefault(f"{prefix}-{name}", str(getattr(value, "pk", value)))

    def bound_rows(self):
        """(row, status field, serves-for field or None, arrived field, left field)."""
        for row in self.rows:
            prefix = f"p{row['person'].pk}"
            yield (
                row,
                self[f"{prefix}-status"],
                self[f"{prefix}-serves_for"] if f"{prefix}-serves_for" in self.fields else None,
                self[f"{prefix}-arrived_before"],
                self[f"{prefix}-left_after"],
            )

    def cleaned_rows(self) -> list[dict]:
        result = []
        for row in self.rows:
            prefix = f"p{row['person'].pk}"
            data = self.cleaned_data
            result.append(
                {
                    "person": row["person"].pk,
                    "name": str(row["person"]),
                    "status": data[f"{prefix}-status"],
                    "serves_for": data.get(f"{prefix}-serves_for"),
                    "arrived_before": data.get(f"{prefix}-arrived_before"),
                    "left_after": data.get(f"{prefix}-left_after"),
                }
            )
        return result


STATEMENT_ROWS = 3


class DecisionForm(VersionedFormMixin, forms.Form):
    """The decision on an item (``decision``: the recorded one, or None), votes by name of
    the ``voters`` and reservations or statements of those ``present``."""

    text = forms.CharField(
        label=_("decision"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    method = forms.ChoiceField(label=_("reached by"), choices=DecisionMethod.choices)
    consensus_reached = forms.TypedChoiceField(
        label=_("consensus reached"),
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text=_("Only when the decision was sought by consensus."),
    )
    casting_vote = forms.ChoiceField(
        label=_("the chair's casting vote"),
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
        required=False,
        help_text=_("Decides a tied vote (ordförandens utslagsröst)."),
    )
    adjusted_at_once = forms.BooleanField(
        label=_("adjusted at once (omedelbar justering)"),
        required=False,
        help_text=_("The decision is locked now and can no longer change."),
    )
    is_public = forms.BooleanField(label=_("public"), required=False)
    is_recommendation = forms.BooleanField(
        label=_("recommendation to the member municipalities"), required=False
    )
    VOTE_CHOICES = [("", "—"), *VoteChoice.choices]
    KIND_CHOICES = StatementKind.choices

    def __init__(self, *args, voters, present, decision=None, **kwargs):
        self.instance = decision
        super().__init__(*args, **kwargs)
        self.voters, self.present = voters, present
        for person in voters:
            self.fields[f"vote-{person.pk}"] = forms.ChoiceField(
                label=str(person), choices=self.VOTE_CHOICES, required=False
            )
        people = NO_ITEM + [(str(p.pk), str(p)) for p in present]
        for n in range(STATEMENT_ROWS):
            self.fields[f"st{n}-person"] = forms.TypedChoiceField(
                label=_("who"), choices=people, required=False, coerce=int, empty_value=None
            )
            self.fields[f"st{n}-kind"] = forms.ChoiceField(
                label=_("kind"), choices=self.KIND_CHOICES, required=False
            )
            self.fields[f"st{n}-text"] = forms.CharField(
                label=_("text"),
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def vote_fields(self):
        return [self[f"vote-{p.pk}"] for p in self.voters]

    def statement_rows(self):
        return [
            (self[f"st{n}-person"], self[f"st{n}-kind"], self[f"st{n}-text"])
            for n in range(STATEMENT_ROWS)
        ]

    def decision_data(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "text",
                "method",
                "consensus_reached",
                "casting_vote",
                "adjusted_at_once",
                "is_public",
                "is_recommendation",
            )
        }

    def votes(self) -> dict[int, str]:
        return {
            p.pk: self.cleaned_data[f"vote-{p.pk}"]
            for p in self.voters
            if self.cleaned_data.get(f"vote-{p.pk}")
        }

    def statements(self) -> list[dict]:
        rows = []
        for n in range(STATEMENT_ROWS):
            person = self.cleaned_data.get(f"st{n}-person")
            if person is not None:
                rows.append(
                    {
                        "person": person,
                        "kind": self.cleaned_data.get(f"st{n}-kind") or "reservation",
                        "text": self.cleaned_data.get(f"st{n}-text", ""),
                    }
                )
        return rows


class MinutesForm(VersionedFormMixin, forms.Form):
    opening = forms.CharField(
        label=_("opening text"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    closing = forms.CharField(
        label=_("closing text"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kept_at = forms.CharField(label=_("where the minutes are kept"), max_length=300, required=False)
    adjusters = forms.ModelMultipleChoiceField(
        label=_("adjusters"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Usually the chair and one or two members; each approves in the portal."),
    )

    def __init__(self, *args, minutes, people, **kwargs):
        self.instance = minutes
        super().__init__(*args, **kwargs)
        self.fields["adjusters"].queryset = people


class CorrectionForm(forms.Form):
    correction_reason = forms.CharField(label=_("reason for the correction"), max_length=500)
