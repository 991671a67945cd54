"""Test data builders. They run with scoping off, as fixtures should; the code under test
then runs with the scope the request or task opens (pretix's pattern)."""

import itertools
from datetime import date

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


TERM_START, TERM_END = date(2023, 1, 1), date(2026, 12, 31)


def make_term(association: Association, name: str = "2023–2026", start=TERM_START, end=TERM_END):
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
    """A meeting of ``body`` through the service (10:00 Stockholm time on 10 December 2026
    unless told), its notice sent if ``notice``."""
    import datetime
    from zoneinfo import ZoneInfo

    from governance.meetings import services

    starts_at = starts_at or datetime.datetime(
        2026, 12, 10, 10, tzinfo=ZoneInfo("Europe/Stockholm")
    )
    with scopes_disabled():
        meeting = services.create_meeting(
            body=body, actor=None, starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours), **fields,
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
    import datetime
    from zoneinfo import ZoneInfo

    from governance.meetings.models import Minutes, MinutesStatus

    if adjusted_at is None:
        day = meeting.starts_at.astimezone(ZoneInfo("Europe/Stockholm")).date()
        adjusted_at = datetime.datetime.combine(
            day, datetime.time(15), tzinfo=ZoneInfo("Europe/Stockholm")
        )
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
