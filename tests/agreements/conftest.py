from datetime import date

import pytest
from django.utils import timezone

from association.tenancy import scopes_disabled
from tests import factories


@pytest.fixture
def members(association):
    """Three member municipalities of the association."""
    from members.models import Membership, Municipality

    with scopes_disabled():
        municipalities = list(Municipality.objects.filter(code__in=["2580", "2581", "2582"]))
        for municipality in municipalities:
            Membership.objects.create(
                association=association, municipality=municipality, joined_on=date(1993, 1, 1)
            )
    return municipalities


@pytest.fixture
def ltu(association):
    from agreements.services import create_organisation

    with scopes_disabled():
        return create_organisation(
            association=association, actor=None, name="Luleå tekniska universitet",
            organisation_number="202100-2841", kind="university",
        )  # fmt: skip


def make_agreement(association, **fields):
    from agreements.services import create_agreement

    today = timezone.localdate()
    fields.setdefault("kind", "letter_of_intent")
    fields.setdefault("title", "Avsiktsförklaring")
    fields.setdefault("signed_on", today.replace(year=today.year - 2))
    fields.setdefault("validity_kind", "until_terminated")
    fields.setdefault("notice_months", 3)
    with scopes_disabled():
        return create_agreement(association=association, actor=None, **fields)


@pytest.fixture
def editor(association):
    return factories.make_staff(association, "editor", "redaktor@example.org")
