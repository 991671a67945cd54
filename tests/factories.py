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


def make_seat(body, user=None, role: str = "member"):
    from governance.services import grant_seat

    user = user or make_user()
    with scopes_disabled():
        grant_seat(body=body, user=user, role=role, starts_on=date(2023, 1, 1),
                   ends_on=date(2026, 12, 31), actor=None)  # fmt: skip
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
