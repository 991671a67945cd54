from django import forms
from django.utils.translation import gettext_lazy as _

from association.forms import VersionedFormMixin
from governance.noticeboard.models import AppealRule, NoticeBoardSettings

OWN_RULE_NEEDS_PERIOD = _("Give the appeal period of the association's own rules.")


class SettingsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = NoticeBoardSettings
        fields = ["rule", "period_length", "period_unit", "posting_days", "default_kept_at",
                  "automatic"]  # fmt: skip
        widgets = {"rule": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        if data.get("rule") == AppealRule.OWN and not data.get("period_length"):
            self.add_error("period_length", OWN_RULE_NEEDS_PERIOD)
        return data


class PostForm(forms.Form):
    """Post a notice by hand (today): where the minutes are kept may be said here."""

    kept_at = forms.CharField(
        label=_("where the minutes are kept"),
        max_length=300,
        required=False,
        help_text=_("Leave empty for the text from the minutes or the board's settings."),
    )
