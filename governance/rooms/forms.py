import datetime
import re
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.fields import PlausibleDateField, years_from_today
from association.forms import VersionedFormMixin
from governance.rooms.models import BOOKING_MINUTES, Resource

LOCAL = ZoneInfo(settings.TIME_ZONE)
_WEEK = re.compile(r"(\d{4})-W(\d{2})")

TIME_INVALID = _("Write the time as HH:MM on the quarter hour, for example 09:15.")
NOT_A_LOCAL_TIME = _(
    "%(time)s does not exist on this date: the clocks are put forward that night. "
    "Choose another time."
)


def week_start(text: str | None) -> datetime.date:
    """The Monday of ``?vecka=YYYY-Www`` (ISO week); this week for anything else."""
    if text and (match := _WEEK.fullmatch(text.strip())):
        year, week = int(match[1]), int(match[2])
        if 2000 <= year <= 2100:
            try:
                return datetime.date.fromisocalendar(year, week, 1)
            except ValueError:
                pass
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


class QuarterHourField(forms.TimeField):
    """A local time of day on a quarter hour, typed as HH:MM (or H.MM, as Swedes also do)."""

    widget = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")
    default_error_messages = {"invalid": TIME_INVALID}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        text = str(value).strip()
        match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::00)?", text) if len(text) < 12 else None
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute = int(match[1]), int(match[2])
        if hour == 24 and minute == 0:  # "until midnight"
            return datetime.time(0, 0)
        if hour > 23 or minute not in BOOKING_MINUTES:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.time(hour, minute)


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime | None:
    """The aware moment of a Swedish wall-clock time, or None if the clocks skip it.

    A time that happens twice (the night the clocks go back) is taken the first time,
    in summer time.
    """
    moment = datetime.datetime.combine(day, time, tzinfo=LOCAL)
    round_trip = moment.astimezone(datetime.UTC).astimezone(LOCAL)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


class BookingForm(forms.Form):
    resource = forms.ModelChoiceField(label=_("Resource"), queryset=Resource.objects.none())
    date = PlausibleDateField(
        label=_("Date"), earliest=years_from_today(-1), latest=years_from_today(2)
    )
    start = QuarterHourField(label=_("From"), help_text=_("On the quarter hour, e.g. 09:00."))
    end = QuarterHourField(
        label=_("Until"), help_text=_("The same day; 00:00 means until midnight.")
    )
    title = forms.CharField(
        label=_("Purpose"), max_length=200, help_text=_("Shown to the others who book.")
    )

    def __init__(self, *args, resources=None, **kwargs):
        super().__init__(*args, **kwargs)
        if resources is not None:
            self.fields["resource"].queryset = resources

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title or "\x00" in title:
            raise forms.ValidationError(_("Write what the booking is for."), code="title")
        return title

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if day is None or start is None or end is None:
            return cleaned
        end_day = day + datetime.timedelta(days=1) if end == datetime.time(0, 0) else day
        starts_at, ends_at = local_moment(day, start), local_moment(end_day, end)
        if starts_at is None:
            self.add_error("start", NOT_A_LOCAL_TIME % {"time": start.strftime("%H:%M")})
        if ends_at is None:
            self.add_error("end", NOT_A_LOCAL_TIME % {"time": end.strftime("%H:%M")})
        if starts_at and ends_at:
            # Compared in UTC: within one zone Python compares by the wall clock.
            starts_at, ends_at = (
                starts_at.astimezone(datetime.UTC),
                ends_at.astimezone(datetime.UTC),
            )
            if ends_at <= starts_at:
                self.add_error("end", _("The booking must end after it starts."))
            else:
                cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned


class ResourceForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["name", "kind", "capacity", "location", "description", "bookable_by", "active"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "\x00" in name:
            raise forms.ValidationError(_("The name contains characters that are not allowed."))
        return name
