import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from association.calendar import STOCKHOLM
from association.documents import DocumentUploadField
from association.fields import PlausibleDateField
from association.forms import VersionedFormMixin
from governance.meetings.models import AgendaItem, BodyMeetingSettings

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
