"""The registry of notification kinds.

Adding a kind is a declaration, not plumbing: an app puts a ``notification_kinds.py`` module
beside its ``models.py`` (found by ``NotificationsConfig.ready``) that calls
``register(Kind(...))``. A kind says

- ``key`` (``"meetings.notice"``), ``label`` (translated, shown on the preferences page);
- ``required``: a body's rules require it (a notice), so a person may choose e-mail at once
  or the daily digest, never "portal only", and its e-mails carry no unsubscribe header;
- ``lead_days`` and ``lead_editable``: for reminders, how many days before the date they
  are due, and whether staff may change that per association (``LeadTime``);
- ``context(association, data)``: the template context from the JSON ``data`` the occasion
  carries (ids, never instances: it is stored and read in a worker);
- ``recipients(association, data)``: who gets it, as ``Recipient``s (a login account, or
  just an address for a person of the register without one);
- the templates: ``subject``, ``body`` (text) and optionally ``html``, rendered once per
  recipient in the recipient's language when the notification is made;
- optional ``attachments(association, data)``: files added to the e-mail at send time (the
  notice's iCalendar invitation);
- for reminders found by a scan, ``find(association, now, lead_days)`` yields ``Occasion``s
  with the moment each is due; the hourly scan makes those due by now (and not older than
  ``SCAN_WINDOW``). Event kinds are raised by a service with ``services.notify``.

An occasion's ``key`` is stable ("meeting:12:notice", "term:4:ending:2026-12-31"): with the
kind and the recipient it is the unique key that makes every run after the first a no-op.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings


@dataclass(frozen=True)
class Recipient:
    email: str
    user_id: int | None = None
    language: str = ""

    @property
    def key(self) -> str:
        # A person with a login is one recipient whatever address they use; a person of
        # the register without one is their address.
        return f"u:{self.user_id}" if self.user_id else f"e:{self.email.lower()}"

    @classmethod
    def of_user(cls, user) -> "Recipient":
        return cls(email=user.email, user_id=user.pk, language=user.preferred_language or "")


@dataclass(frozen=True)
class Occasion:
    key: str
    data: dict = field(default_factory=dict)
    due: datetime | None = None
    link: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: object
    subject: str
    body: str
    context: Callable[[object, dict], dict]
    recipients: Callable[[object, dict], list[Recipient]]
    html: str = ""
    required: bool = False
    lead_days: int | None = None
    lead_editable: bool = False
    find: Callable[[object, datetime, int | None], Iterable[Occasion]] | None = None
    attachments: Callable[[object, dict], list[tuple[str, bytes, str]]] | None = None
    link: Callable[[object, dict], str] | None = None

    @property
    def scanned(self) -> bool:
        return self.find is not None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Declare a kind (idempotent for the same key, so a module imported twice is harmless)."""
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> Kind:
    return _KINDS[key]


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


def local_moment(day: date, at: time = time(8)) -> datetime:
    """``at`` o'clock Stockholm time on ``day``, as an aware datetime: built from the local
    date, so 08:00 stays 08:00 on both sides of a daylight-saving change (06:00 or 07:00
    UTC)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


def absolute(path: str) -> str:
    """An address for an e-mail: the site's own when ``SITE_URL`` is set."""
    base = getattr(settings, "SITE_URL", "")
    return base.rstrip("/") + path if base and path.startswith("/") else path
