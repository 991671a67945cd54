"""Test data builders. They run with scoping off, as fixtures should; the code under test
then runs with the scope the request or task opens (pretix's pattern)."""

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from association.models import Association, StaffRole
from association.services import assign_role, create_person
from association.tenancy import scopes_disabled

PASSWORD = "test-password-Xy7!"
_sequence = itertools.count(1)


def make_association(slug: str | None = None, **fields) -> Association:
    number = next(_sequence)
    slug = slug or f"forbund-{number}"
    fields.setdefault("name", f"Förbund {slug}")
    return Association.objects.create(slug=slug, **fields)


def make_user(email: str | None = None, *, password: str = PASSWORD, **fields):
    email = email or f"person{next(_sequence)}@example.org"
    with scopes_disabled():
        return create_person(email=email, password=password, **fields)


def make_staff(
    association: Association, role: StaffRole | str, email: str | None = None, *, totp=True
):
    """A staff member; with a second factor unless ``totp=False`` (staff must have one)."""
    user = make_user(email)
    with scopes_disabled():
        assign_role(association=association, user=user, role=role, actor=None)
    if totp:
        give_totp(user)
    return user


def make_platform_admin(email: str | None = None, *, totp=True):
    user = make_user(email, is_superuser=True)
    if totp:
        give_totp(user)
    return user


def make_body(association: Association, slug: str = "styrelse", kind: str = "board", **fields):
    from governance.models import Body

    fields.setdefault("name", slug.capitalize())
    with scopes_disabled():
        return Body.objects.create(association=association, slug=slug, kind=kind, **fields)


STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _term_around(today: date) -> tuple[date, date]:
    """The four calendar years that end with the year 60 days from today.

    Tests build dates relative to the real today (a meeting in two weeks, one held last
    month), so the test term must hold today with room on both sides, whatever day the
    suite runs: today is always at least 60 days before its end and over two and a half
    years after its start.
    """
    last = (today + timedelta(days=60)).year
    return date(last - 3, 1, 1), date(last, 12, 31)


TERM_START, TERM_END = _term_around(datetime.now(STOCKHOLM).date())
TERM_NAME = f"{TERM_START.year}–{TERM_END.year}"
NEXT_TERM_START, NEXT_TERM_END = date(TERM_END.year + 1, 1, 1), date(TERM_END.year + 4, 12, 31)
NEXT_TERM_NAME = f"{NEXT_TERM_START.year}–{NEXT_TERM_END.year}"


def in_term(year: int, month: int, day: int) -> date:
    """A day of the test term, its years written 1–4: ``in_term(2, 7, 1)`` is 1 July of
    the term's second year. For tests of rules within a term, whatever today is."""
    assert 1 <= year <= 4, year
    return date(TERM_START.year + year - 1, month, day)


def days_from_today(days: int, hour: int = 10) -> datetime:
    """``hour`` o'clock Stockholm time, ``days`` days from today (negative: ago)."""
    day = datetime.now(STOCKHOLM).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


def make_term(association: Association, name: str = TERM_NAME, start=TERM_START, end=TERM_END):
    from governance.models import Term

    with scopes_disabled():
        term = Term.objects.filter(association=association, name=name).first()
        return term or Term.objects.create(
            association=association, name=name, starts_on=start, ends_on=end
        )


def make_person(association: Association, user=None, **fields):
    from governance.models import Person

    number = next(_sequence)
    fields.setdefault("first_name", f"Förnamn{number}")
    fields.setdefault("last_name", f"Efternamn{number}")
    with scopes_disabled():
        return Person.objects.create(association=association, user=user, **fields)


def make_post(body, municipality_code: str | None = None, members: int = 1, substitutes: int = 0,
              **fields):  # fmt: skip
    """A seat (post) in ``body`` for a municipality (by SCB code) or with a label."""
    from governance.models import Seat
    from members.models import Municipality

    if municipality_code is None:
        fields.setdefault("label", f"Plats {next(_sequence)}")
    with scopes_disabled():
        municipality = (
            Municipality.objects.get(code=municipality_code) if municipality_code else None
        )
        return Seat.objects.create(
            association=body.association, body=body, municipality=municipality,
            members=members, substitutes=substitutes, **fields,
        )  # fmt: skip


def assign(body, person, role: str = "member", seat=None, starts_on=TERM_START, ends_on=TERM_END,
           term=None, **fields):  # fmt: skip
    """An assignment through the service (every rule checked)."""
    from governance.services import create_assignment

    term = term or make_term(body.association)
    with scopes_disabled():
        return create_assignment(
            body=body, actor=None, person=person, seat=seat, term=term, role=role,
            starts_on=starts_on, ends_on=ends_on, **fields,
        )  # fmt: skip


def make_member(
    body, user=None, role: str = "member", starts_on=TERM_START, ends_on=TERM_END, seat=None
):
    """A login account sitting in ``body`` (a person linked to it, with an assignment)."""
    user = user or make_user()
    person = make_person(body.association, user=user, first_name=user.first_name or "Anna",
                         last_name=user.last_name or "Ledamot")  # fmt: skip
    assign(body, person, role=role, seat=seat, starts_on=starts_on, ends_on=ends_on)
    return user


def give_totp(user) -> str:
    """Activate a TOTP second factor through allauth's own API; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_totp_code(secret: str) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def make_meeting(body, starts_at=None, *, hours=2, notice=False, items=0, **fields):
    """A meeting of ``body`` through the service (10:00 Stockholm time two weeks from today
    unless told), its notice sent if ``notice``."""
    from governance.meetings import services

    starts_at = starts_at or days_from_today(14)
    with scopes_disabled():
        meeting = services.create_meeting(
            body=body, actor=None, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours), **fields,
        )  # fmt: skip
        for number in range(items):
            services.add_item(meeting=meeting, actor=None, title=f"Ärende {number + 1}")
        if notice:
            meeting = services.send_notice(meeting=meeting, actor=None)
    return meeting


def make_item(meeting, title: str = "Verksamhetsplan och budget", **fields):
    from governance.meetings import services

    with scopes_disabled():
        return services.add_item(meeting=meeting, actor=None, title=title, **fields)


def make_adjusted_minutes(meeting, adjusted_at=None, *, number: int = 1, **fields):
    """A version of ``meeting``'s minutes stored as adjusted (as the adjustment leaves it),
    adjusted at 15:00 Stockholm time on the meeting's day unless told. No signal is sent."""
    from governance.meetings.models import Minutes, MinutesStatus

    if adjusted_at is None:
        adjusted_at = meeting.starts_at.astimezone(STOCKHOLM).replace(hour=15, minute=0)
    with scopes_disabled():
        return Minutes.objects.create(
            association=meeting.association, meeting=meeting, number=number,
            status=MinutesStatus.ADJUSTED, is_adjusted=True, adjusted_at=adjusted_at, **fields,
        )  # fmt: skip


def make_posting(minutes, posted_on=None, **fields):
    """The notice of adjusted ``minutes``, through the service (today unless told)."""
    from governance.noticeboard.services import post_notice

    with scopes_disabled():
        return post_notice(minutes=minutes, actor=None, posted_on=posted_on, **fields)


def make_decision(item, text: str = "Styrelsen beslutar enligt förslaget.", **fields):
    """A decision on ``item`` straight through the ORM (the meetings app records decisions);
    ``is_locked=True`` stands for adjusted minutes."""
    from governance.decisions.services import new_decision

    with scopes_disabled():
        return new_decision(association=item.association, item=item, text=text, **fields)


def make_membership(association, code: str, joined_on=date(1993, 1, 1), left_on=None):
    from members.models import Membership, Municipality

    with scopes_disabled():
        return Membership.objects.create(
            association=association, municipality=Municipality.objects.get(code=code),
            joined_on=joined_on, left_on=left_on,
        )  # fmt: skip
