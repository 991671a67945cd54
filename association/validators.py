import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORGANISATION_NUMBER_RE = re.compile(r"^(\d{6})-?(\d{4})$")
HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

# Paths at the top of the site that an association slug must not shadow.
RESERVED_SLUGS = frozenset(
    {"accounts", "admin", "healthz", "i18n", "konto", "static", "media", "api", "om", "about"}
    | {"plattform"}  # platform pages such as the national figures
    | {"mina-moten", "kalender"}  # a person's meetings and private calendar
)


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_organisation_number(value: str) -> str:
    """Return ``NNNNNN-NNNN`` or raise ValidationError with the reason."""
    value = (value or "").strip().replace(" ", "")
    match = ORGANISATION_NUMBER_RE.match(value)
    if not match:
        raise ValidationError(
            _("An organisation number has ten digits, written NNNNNN-NNNN."),
            code="format",
        )
    digits = match.group(1) + match.group(2)
    # Legal entities have 20 or more in the third and fourth digit; anything lower is a
    # personal identity number, which the portal never stores.
    if int(digits[2:4]) < 20:
        raise ValidationError(
            _("This looks like a personal identity number, not an organisation number."),
            code="personal_number",
        )
    if not luhn_is_valid(digits):
        raise ValidationError(
            _("The check digit does not match; please check the organisation number."),
            code="checksum",
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_organisation_number(value: str) -> None:
    normalise_organisation_number(value)


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_brand_colour(value: str) -> None:
    """Brand colours carry white text in the header, so they need WCAG AA contrast."""
    if not HEX_COLOUR_RE.match(value or ""):
        raise ValidationError(_("Give the colour as #RRGGBB."), code="format")
    if contrast_ratio(value, "#ffffff") < 4.5:
        raise ValidationError(
            _(
                "White text on this colour has too little contrast "
                "(%(ratio).1f:1, at least 4.5:1 is needed)."
            ),
            params={"ratio": contrast_ratio(value, "#ffffff")},
            code="contrast",
        )


def validate_not_reserved_slug(value: str) -> None:
    if (value or "").lower() in RESERVED_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved by the portal."), params={"slug": value})
