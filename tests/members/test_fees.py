"""The fee rule on hand-computed cases."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from association.tenancy import scopes_disabled
from members.fees import FeeInput, compute_fee, member_months, round_money
from members.models import FeeBasis, FeeRounding
from members.services import fee_schedule
from tests.members.conftest import make_figures, make_members, make_rule


def rule(**fields):
    values = {
        "basis": FeeBasis.TAX_BASE, "rate": Decimal("0.34"), "cap_per_mille": None,
        "rounding": FeeRounding.KRONA, "pro_rata": True,
    }  # fmt: skip
    values.update(fields)
    return SimpleNamespace(**values)


def data(population=80_000, tax_capacity=Decimal(262_000), joined=date(1993, 1, 1), left=None):
    return FeeInput(
        year=2024, population=population, population_year=2023, tax_capacity=tax_capacity,
        tax_capacity_year=2023, joined_on=joined, left_on=left,
    )  # fmt: skip


def test_luleå_full_year():
    # 80 000 × 262 000 = 20 960 000 000; × 0.34 / 1000 = 7 126 400.
    result = compute_fee(rule(), data())
    assert result.fee == Decimal("7126400.00")
    assert result.months == 12
    assert result.tax_base == Decimal(20_960_000_000)


def test_cap_applies_when_the_rate_is_higher():
    # Rate 0.50‰ gives 10 480 000, the cap 0.34‰ gives 7 126 400.
    result = compute_fee(rule(rate=Decimal("0.50"), cap_per_mille=Decimal("0.34")), data())
    assert result.capped
    assert result.fee == Decimal("7126400.00")


def test_cap_does_not_apply_when_the_rate_is_lower():
    result = compute_fee(rule(rate=Decimal("0.20"), cap_per_mille=Decimal("0.34")), data())
    # 20 960 000 000 × 0.20 / 1000 = 4 192 000.
    assert not result.capped
    assert result.fee == Decimal("4192000.00")


def test_per_inhabitant_capped():
    # 2 700 × 30 kr = 81 000; cap 2 700 × 262 000 × 0.1‰ = 70 740.
    result = compute_fee(
        rule(basis=FeeBasis.PER_INHABITANT, rate=Decimal(30), cap_per_mille=Decimal("0.1")),
        data(population=2_700),
    )
    assert result.fee == Decimal("70740.00")
    assert result.capped


def test_pro_rata_join_mid_month_counts_from_next_month():
    # Joined 15 March 2024: April–December = 9 months; 7 126 400 × 9/12 = 5 344 800.
    result = compute_fee(rule(), data(joined=date(2024, 3, 15)))
    assert result.months == 9
    assert result.fee == Decimal("5344800.00")


def test_pro_rata_leave_mid_year_and_rounding():
    # Arjeplog 2 700 × 262 000 × 0.34‰ = 240 516; left 15 June: Jan–May = 5 months.
    # 240 516 × 5 / 12 = 100 215 exactly; with Kalix-sized numbers check half-up below.
    result = compute_fee(rule(), data(population=2_700, left=date(2024, 6, 15)))
    assert result.months == 5
    assert result.fee == Decimal("100215.00")


def test_pro_rata_rounds_half_up_to_whole_kronor():
    # 1 000 × 100 000 × 0.34‰ = 34 000; 7 months: 34 000 × 7 / 12 = 19 833.333… → 19 833.
    result = compute_fee(
        rule(), data(population=1_000, tax_capacity=Decimal(100_000), left=date(2024, 7, 31))
    )
    assert result.months == 7
    assert result.fee == Decimal("19833.00")
    # 1 month of 30 kr: 2.50 → 3 (half up), to the öre 2.50.
    assert round_money(Decimal("2.5"), FeeRounding.KRONA) == Decimal("3.00")
    assert round_money(Decimal("19833.335"), FeeRounding.ORE) == Decimal("19833.34")
    assert round_money(Decimal("19850"), FeeRounding.HUNDRED) == Decimal("19900.00")
    assert round_money(Decimal("19499.99"), FeeRounding.THOUSAND) == Decimal("19000.00")


def test_pro_rata_switched_off_charges_the_full_year():
    result = compute_fee(rule(pro_rata=False), data(joined=date(2024, 11, 20)))
    assert result.months == 12
    assert result.fee == Decimal("7126400.00")


@pytest.mark.parametrize(
    ("joined", "left", "months"),
    [
        (date(2024, 1, 1), None, 12),
        (date(2024, 1, 2), None, 11),
        (date(2023, 6, 1), date(2024, 12, 31), 12),
        (date(2024, 2, 1), date(2024, 2, 29), 1),
        (date(2024, 2, 1), date(2024, 2, 28), 0),
        (date(2025, 1, 1), None, 0),
        (date(2020, 1, 1), date(2023, 12, 31), 0),
    ],
)
def test_member_months(joined, left, months):
    assert member_months(2024, joined, left) == months


def test_missing_figures_flag_instead_of_guessing():
    result = compute_fee(rule(), data(population=None, tax_capacity=None))
    assert result.fee is None
    assert len(result.missing) == 2
    assert "2023" in result.missing[0]


def test_fee_schedule_service_uses_base_year_and_totals(association):
    members = make_members(association, ["2580", "2506", "2584"])
    make_rule(association)
    make_figures(["2580", "2506"], 2023, population=80_000)
    with scopes_disabled():
        schedule = fee_schedule(association=association, year=2024)
    assert schedule.figure_year == 2023
    fees = {row.municipality.code: row.fee for row in schedule.rows}
    assert fees == {"2580": Decimal("7126400.00"), "2506": Decimal("7126400.00"), "2584": None}
    assert schedule.total == Decimal("14252800.00")
    assert not schedule.is_complete
    assert len(members) == 3


def test_fee_schedule_without_rule_has_no_fees(association):
    make_members(association, ["2580"])
    with scopes_disabled():
        schedule = fee_schedule(association=association, year=2030)
    assert schedule.rule is None
    assert schedule.total == Decimal("0.00")
    assert schedule.rows[0].fee is None
