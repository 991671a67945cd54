"""Form fields shared by every app."""

import datetime
import re
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The shapes a date may be typed in. Django's Swedish locale also reads "02/03/2020" as
# month/day (an American order nobody in Sweden means), so the locale's formats are not used.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")  # 2020-03-02, as <input type="date"> sends
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")  # 20200302
_SWEDISH = re.compile(r"(\d{1,2})/(\d{1,2}) (\d{4})")  # 2/3 2020: day/month, then the year

DateBound = datetime.date | Callable[[], datetime.date]


def years_from_today(years: int) -> Callable[[], datetime.date]:
    """A bound that moves with the calendar: today plus ``years`` (minus, if negative)."""

    def bound() -> datetime.date:
        today = timezone.localdate()
        try:
            return today.replace(year=today.year + years)
        except ValueError:  # 29 February
            return today.replace(year=today.year + years, day=28)

    return bound


# Most dates of an association's life: none before 1900, none more than ten years ahead.
DEFAULT_EARLIEST = datetime.date(1900, 1, 1)
DEFAULT_LATEST = years_from_today(10)


class PlausibleDateField(forms.DateField):
    """A date typed as ISO ``YYYY-MM-DD`` (or ``YYYYMMDD``, or Swedish ``D/M YYYY``) that lies
    in a plausible range for what it records.

    ``02/03/2020`` is refused rather than guessed: it means 2 March to a Swede and 3 February
    to Django's locale. ``earliest`` and ``latest`` may be dates or functions returning one
    (for ranges that follow today); the defaults suit most dates of an association's life.
    """

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {
        "invalid": _("Write the date as YYYY-MM-DD, for example 2024-03-02."),
        "ambiguous": _(
            "“%(value)s” could mean two different dates. Write the date as YYYY-MM-DD, "
            "for example 2024-03-02."
        ),
        "too_early": _("The date cannot be before %(limit)s."),
        "too_late": _("The date cannot be after %(limit)s."),
    }

    def __init__(
        self,
        *,
        earliest: DateBound = DEFAULT_EARLIEST,
        latest: DateBound = DEFAULT_LATEST,
        **kwargs,
    ):
        self.earliest, self.latest = earliest, latest
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if len(text) > 20:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if match := _ISO.fullmatch(text) or _COMPACT.fullmatch(text):
            year, month, day = match.groups()
        elif match := _SWEDISH.fullmatch(text):
            day, month, year = match.groups()
        elif re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", text):
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": text}
            )
        else:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        earliest = self.earliest() if callable(self.earliest) else self.earliest
        latest = self.latest() if callable(self.latest) else self.latest
        if value < earliest:
            raise ValidationError(
                self.error_messages["too_early"], code="too_early",
                params={"limit": earliest.isoformat()},
            )  # fmt: skip
        if value > latest:
            raise ValidationError(
                self.error_messages["too_late"], code="too_late",
                params={"limit": latest.isoformat()},
            )  # fmt: skip
