from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from association.models import DUPLICATE_ORGANISATION_NUMBER, Association, StaffRole
from association.validators import normalise_organisation_number


class AssociationProfileForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Association
        fields = [
            "name", "short_name", "organisation_number", "legal_form", "vision", "mission",
            "business_idea", "street_address", "postal_code", "city", "phone", "email",
            "website", "logo", "primary_colour", "accent_colour",
        ]  # fmt: skip
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }

    def clean_organisation_number(self):
        return _unique_organisation_number(self.cleaned_data["organisation_number"], self.instance)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "content_type"):
            return logo  # unchanged
        if logo.size > settings.SAMVERKA_LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo may be at most 1 MB."))
        # The file name says nothing; the content must really be one of the allowed images.
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(logo) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise forms.ValidationError(_("The logo must be a PNG, JPEG or WebP image.")) from error
        if kind not in {"PNG", "JPEG", "WEBP"}:
            raise forms.ValidationError(_("The logo must be a PNG, JPEG or WebP image."))
        logo.seek(0)
        return logo


class AssociationCreateForm(forms.ModelForm):
    class Meta:
        model = Association
        fields = ["name", "slug", "organisation_number"]

    def clean_slug(self):
        # Addresses are lower case; "Norrbotten" means the same as "norrbotten".
        return self.cleaned_data["slug"].strip().lower()

    def clean_organisation_number(self):
        return _unique_organisation_number(self.cleaned_data["organisation_number"], self.instance)


def _unique_organisation_number(value: str, instance: Association) -> str:
    """The number written NNNNNN-NNNN, refused (on the field) if another association has it."""
    if not value:
        return ""
    value = normalise_organisation_number(value)
    others = Association.objects.filter(organisation_number=value)
    if instance.pk:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise forms.ValidationError(DUPLICATE_ORGANISATION_NUMBER, code="unique")
    return value


class RoleForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
