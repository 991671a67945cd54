from django import forms
from django.utils.translation import gettext_lazy as _

from association.notifications import kinds
from association.notifications.models import Channel, Status


def _kind_choices():
    return [("", _("All kinds"))] + [(kind.key, kind.label) for kind in kinds.all_kinds()]


class ChoicesForm(forms.Form):
    """One choice per kind; a required kind offers no "only in the portal"."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            options = [
                (value, label)
                for value, label in Channel.choices
                if not (kind.required and value == Channel.PORTAL)
            ]
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=options,
                initial=current.get(kind.key, Channel.EMAIL),
                widget=forms.RadioSelect,
                required=False,  # a kind left out keeps its choice
                help_text=_("Required by the body's rules: always sent by e-mail.")
                if kind.required
                else "",
            )


class OneChoiceForm(forms.Form):
    channel = forms.ChoiceField(label=_("How you receive it"), choices=Channel.choices,
                                widget=forms.RadioSelect)  # fmt: skip

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind.required:
            self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.PORTAL]


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("All"))] + [c for c in Channel.choices if c[0] != Channel.PORTAL],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_kind_choices)
    search = forms.CharField(label=_("E-mail contains"), required=False, max_length=100)


class LeadTimeForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, max_length=64)
    days = forms.IntegerField(label=_("Days before"), min_value=0, max_value=365)
