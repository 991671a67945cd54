import io
import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from association.models import DUPLICATE_ORGANISATION_NUMBER, Association, StaffRole
from association.validators import normalise_organisation_number

# A logo is shown in every page header: anything larger than this on a side is refused before
# its pixels are decoded (a small file can declare a huge bitmap), and what is accepted is
# stored re-encoded, scaled to fit the header box.
LOGO_MAX_SIDE = 4000
LOGO_BOX = (800, 240)

LOGO_NOT_AN_IMAGE = _("The logo must be a PNG, JPEG or WebP image.")
LOGO_TOO_LARGE = _(
    "The logo is %(width)s × %(height)s pixels; it may be at most %(limit)s pixels on a side."
)
LOGO_TOO_MANY_PIXELS = _(
    "The logo has far too many pixels; it may be at most %(limit)s pixels on a side."
)
VERSION_DAMAGED = _(
    "The form was out of date or damaged, so nothing was saved. Reload the page and try again."
)


class VersionedFormMixin:
    """A form editing a row with a ``version`` column (optimistic locking, see
    ``association.services.update_versioned``). The version travels in a hidden field; if it
    comes back missing, garbled or impossible, the error is shown above the form (errors of a
    hidden field are otherwise invisible) and the form is invalid, so nothing is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        editing = instance is not None and instance.pk is not None
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=editing, min_value=1, max_value=2**31 - 1
        )
        if editing:
            self.initial.setdefault("version", instance.version)

    def add_error(self, field, error):
        if field == "version":
            field, error = None, forms.ValidationError(VERSION_DAMAGED, code="version")
        super().add_error(field, error)


class AssociationChecksMixin:
    """The logo and organisation number checks, shared by the staff profile form and the
    platform admin's form in the Django admin."""

    def clean_organisation_number(self):
        return _unique_organisation_number(self.cleaned_data["organisation_number"], self.instance)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo is False:
            return ""  # "Clear" was ticked: the association has no logo any more
        if not logo or not hasattr(logo, "content_type"):
            return logo  # unchanged
        if logo.size > settings.SAMVERKA_LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo may be at most 1 MB."))
        return _downscaled_logo(logo)


class AssociationAdminForm(AssociationChecksMixin, forms.ModelForm):
    class Meta:
        model = Association
        fields = [
            "name", "short_name", "slug", "organisation_number", "legal_form", "vision",
            "mission", "business_idea", "street_address", "postal_code", "city", "phone",
            "email", "website", "logo", "primary_colour", "accent_colour", "is_demo",
        ]  # fmt: skip


class AssociationProfileForm(AssociationChecksMixin, VersionedFormMixin, forms.ModelForm):
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


def _downscaled_logo(upload) -> SimpleUploadedFile:
    """The uploaded image, checked by its content, as a PNG fitting ``LOGO_BOX`` without the
    original's metadata; or a ValidationError saying why not."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    upload.seek(0)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # Pillow only warns about a bitmap somewhat below its own limit; here that is refused.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload, formats=["PNG", "JPEG", "WEBP"]) as image:
                # Image.open has read only the header: refuse by dimensions before decoding.
                _check_dimensions(*image.size)
                image.draft("RGB", LOGO_BOX)  # a JPEG decodes straight to a smaller size
                image.load()
                picture = ImageOps.exif_transpose(image)
            has_alpha = picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info
            picture = picture.convert("RGBA" if has_alpha else "RGB")
            picture.thumbnail(LOGO_BOX, Image.Resampling.LANCZOS)
            # A new file: none of the original's EXIF, text chunks or colour profile.
            picture.save(buffer, "PNG", optimize=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise forms.ValidationError(
                LOGO_TOO_MANY_PIXELS, code="dimensions", params={"limit": LOGO_MAX_SIDE}
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise forms.ValidationError(LOGO_NOT_AN_IMAGE, code="image") from error
    name = f"{Path(upload.name).stem[:80] or 'logo'}.png"
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def _check_dimensions(width: int, height: int) -> None:
    if max(width, height) > LOGO_MAX_SIDE:
        raise forms.ValidationError(
            LOGO_TOO_LARGE, code="dimensions",
            params={"width": width, "height": height, "limit": LOGO_MAX_SIDE},
        )  # fmt: skip


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


def add_validation_error(form, error, *, field_names: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: on the field it names (the model's
    name, or the form's through ``field_names``), else above it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = (field_names or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
