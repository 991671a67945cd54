from datetime import date
from decimal import Decimal

import pytest

from association.tenancy import scopes_disabled
from members.models import FeeBasis, FeeRounding, FeeRule, Membership, Municipality
from members.services import set_figures
from tests import factories

NORRBOTTEN_CODES = ["2505", "2506", "2510", "2513", "2514", "2518", "2521", "2523", "2560",
                    "2580", "2581", "2582", "2583", "2584"]  # fmt: skip


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the English msgids, whatever catalogues exist for Swedish."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def staff(association):
    """role -> a staff user of ``association`` (factories give staff a second factor)."""

    def _make(role):
        return factories.make_staff(association, role)

    return _make


def make_members(association, codes, joined=date(1993, 1, 1)):
    municipalities = Municipality.objects.in_bulk(codes, field_name="code")
    with scopes_disabled():
        return [
            Membership.objects.create(
                association=association, municipality=municipalities[code], joined_on=joined
            )
            for code in codes
        ]


def make_rule(association, **fields):
    values = {
        "name": "Norrbotten 2023–2026", "first_year": 2023, "last_year": 2026,
        "basis": FeeBasis.TAX_BASE, "rate": Decimal("0.34"), "cap_per_mille": Decimal("0.34"),
        "base_year_offset": -1, "rounding": FeeRounding.KRONA, "pro_rata": True,
    }  # fmt: skip
    values.update(fields)
    with scopes_disabled():
        return FeeRule.objects.create(association=association, **values)


def make_figures(codes, year, population=10_000, tax_capacity=Decimal(262_000)):
    set_figures(
        kind="population", source="test",
        values={(code, year): Decimal(population) for code in codes},
    )  # fmt: skip
    set_figures(kind="tax_capacity", source="test", values={("00", year): tax_capacity})
