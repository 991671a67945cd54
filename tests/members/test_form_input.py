"""Membership dates must be readable one way only and plausible; a damaged hidden version
field is said so, and nothing is saved."""

from datetime import date

import pytest

from association.fields import PlausibleDateField
from association.models import AuditEntry
from association.tenancy import scopes_disabled
from members.models import Membership, Municipality
from tests import factories
from tests.members.conftest import make_members, make_rule

pytestmark = pytest.mark.django_db

BASE = "/norrbotten/medlemmar/"
DAMAGED = "The form was out of date or damaged"


@pytest.fixture
def editor(association, login):
    return login(factories.make_staff(association, "editor"))


@pytest.fixture
def kiruna():
    return Municipality.objects.get(code="2584")


def membership_count(association) -> int:
    with scopes_disabled():
        return Membership.objects.filter(association=association).count()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2020-03-02", date(2020, 3, 2)),
        ("2020-3-2", date(2020, 3, 2)),
        (" 20200302 ", date(2020, 3, 2)),
        ("2/3 2020", date(2020, 3, 2)),  # Swedish: day/month year
    ],
)
def test_the_date_field_reads_iso_compact_and_swedish(typed, expected):
    assert PlausibleDateField().clean(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("02/03/2020", "ambiguous"),  # month/day to Django's Swedish locale, day/month to a Swede
        ("2.3.2020", "ambiguous"),
        ("3/2/20", "ambiguous"),
        ("9999-12-31", "too_late"),
        ("1066-10-14", "too_early"),
        ("2020-02-30", "invalid"),
        ("0000-01-01", "invalid"),
        ("10000-01-01", "invalid"),
        ("igår", "invalid"),
        ("2020-03-02" + "0" * 10_000, "invalid"),
    ],
)
def test_the_date_field_refuses_ambiguous_impossible_and_implausible_dates(typed, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        PlausibleDateField().clean(typed)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("joined_on", "message"),
    [
        ("9999-12-31", "The date cannot be after"),
        ("1066-10-14", "The date cannot be before 1950-01-01"),
        ("1949-12-31", "The date cannot be before 1950-01-01"),
        ("02/03/2020", "could mean two different dates"),
    ],
)
def test_implausible_or_ambiguous_membership_dates_are_refused_with_a_message(
    editor, association, kiruna, joined_on, message
):
    response = editor.post(f"{BASE}ny/", {"municipality": kiruna.pk, "joined_on": joined_on})
    assert response.status_code == 200
    assert message in response.text
    assert joined_on in response.text  # what was typed comes back
    assert membership_count(association) == 0


def test_a_swedish_date_is_read_day_first(editor, association, kiruna):
    response = editor.post(f"{BASE}ny/", {"municipality": kiruna.pk, "joined_on": "2/3 2020"})
    assert response.status_code == 302
    with scopes_disabled():
        assert Membership.objects.get(association=association).joined_on == date(2020, 3, 2)


def test_leaving_date_is_checked_too(editor, association, kiruna):
    response = editor.post(
        f"{BASE}ny/", {"municipality": kiruna.pk, "joined_on": "1993-01-01", "left_on": "9999-1-1"}
    )
    assert response.status_code == 200
    assert "The date cannot be after" in response.text
    assert membership_count(association) == 0


@pytest.mark.parametrize("version", ["", "x", "-1", "0", "1.5", "99999999999999999999"])
def test_a_damaged_version_is_said_so_and_nothing_is_saved(editor, association, version):
    member = make_members(association, ["2580"])[0]
    data = {"joined_on": "1993-01-01", "chair_name": "Ny ordförande"}
    if version:
        data["version"] = version
    response = editor.post(f"{BASE}{member.pk}/andra/", data)
    assert response.status_code == 200
    assert DAMAGED in response.text
    with scopes_disabled():
        member.refresh_from_db()
        assert AuditEntry.objects.filter(action="updated").count() == 0
    assert (member.chair_name, member.version) == ("", 1)


def test_a_damaged_version_on_a_fee_rule_is_said_so(editor, association):
    rule = make_rule(association)
    response = editor.post(
        f"{BASE}avgiftsregler/{rule.pk}/",
        {"name": "Ändrad", "first_year": 2023, "basis": "tax_base", "rate": "0.30",
         "base_year_offset": "-1", "rounding": "krona", "version": "två"},
    )  # fmt: skip
    assert response.status_code == 200
    assert DAMAGED in response.text
    with scopes_disabled():
        rule.refresh_from_db()
    assert rule.name != "Ändrad"


def test_a_garbled_version_on_a_new_membership_is_refused_too(editor, association, kiruna):
    response = editor.post(
        f"{BASE}ny/", {"municipality": kiruna.pk, "joined_on": "1993-01-01", "version": "abc"}
    )
    assert response.status_code == 200
    assert DAMAGED in response.text
    assert membership_count(association) == 0
