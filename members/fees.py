"""The fee arithmetic, free of the database so it can be tested on hand-computed cases."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from members.models import FeeBasis, FeeRounding

ONE_THOUSAND = Decimal(1000)
TWELVE = Decimal(12)

ROUNDING_STEP = {
    FeeRounding.ORE: Decimal("0.01"),
    FeeRounding.KRONA: Decimal(1),
    FeeRounding.HUNDRED: Decimal(100),
    FeeRounding.THOUSAND: Decimal(1000),
}

MISSING_POPULATION = _("No population figure for %(year)s")
MISSING_TAX_CAPACITY = _("No national average tax capacity for %(year)s")


def round_money(amount: Decimal, rounding: str) -> Decimal:
    """Round half up to the rule's step; the result always carries two decimals (öre)."""
    step = ROUNDING_STEP[FeeRounding(rounding)]
    rounded = (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return rounded.quantize(Decimal("0.01"))


def member_months(year: int, joined_on: date, left_on: date | None) -> int:
    """Whole calendar months of ``year`` the municipality was a member throughout.

    A month counts only if membership covers it from its first to its last day: joining on
    15 March counts from April, leaving on 15 June counts up to May.
    """
    first = (year, 1)
    last = (year, 12)
    start = (joined_on.year, joined_on.month) if joined_on.day == 1 else _next(joined_on)
    if left_on is None:
        end = last
    else:
        end = (left_on.year, left_on.month) if _is_month_end(left_on) else _previous(left_on)
    start, end = max(start, first), min(end, last)
    if start > end:
        return 0
    return (end[0] - start[0]) * 12 + end[1] - start[1] + 1


def _next(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _previous(day: date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def _is_month_end(day: date) -> bool:
    following = date(*_next(day), 1)
    return (following - day).days == 1


@dataclass
class FeeInput:
    year: int
    population: int | None
    population_year: int
    tax_capacity: Decimal | None
    tax_capacity_year: int
    joined_on: date
    left_on: date | None = None


@dataclass
class FeeResult:
    fee: Decimal | None
    months: int
    tax_base: Decimal | None = None
    basic_amount: Decimal | None = None
    cap_amount: Decimal | None = None
    capped: bool = False
    unrounded: Decimal | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return self.fee is not None


def compute_fee(rule, data: FeeInput) -> FeeResult:
    """The fee of one member for one year under ``rule`` (a FeeRule or anything shaped like it).

    Missing figures give no fee and say what is missing: the portal never guesses a figure.
    """
    months = member_months(data.year, data.joined_on, data.left_on) if rule.pro_rata else 12
    if not rule.pro_rata and not _member_during(data.year, data.joined_on, data.left_on):
        months = 0
    needs_tax_capacity = rule.basis == FeeBasis.TAX_BASE or rule.cap_per_mille is not None
    missing = []
    if data.population is None:
        missing.append(str(MISSING_POPULATION % {"year": data.population_year}))
    if needs_tax_capacity and data.tax_capacity is None:
        missing.append(str(MISSING_TAX_CAPACITY % {"year": data.tax_capacity_year}))
    if missing:
        return FeeResult(fee=None, months=months, missing=missing)

    population = Decimal(data.population)
    tax_base = population * data.tax_capacity if data.tax_capacity is not None else None
    if rule.basis == FeeBasis.TAX_BASE:
        basic = tax_base * Decimal(rule.rate) / ONE_THOUSAND
    else:
        basic = population * Decimal(rule.rate)
    cap = None
    capped = False
    amount = basic
    if rule.cap_per_mille is not None:
        cap = tax_base * Decimal(rule.cap_per_mille) / ONE_THOUSAND
        if basic > cap:
            amount, capped = cap, True
    unrounded = amount * Decimal(months) / TWELVE
    return FeeResult(
        fee=round_money(unrounded, rule.rounding),
        months=months,
        tax_base=tax_base,
        basic_amount=basic,
        cap_amount=cap,
        capped=capped,
        unrounded=unrounded,
    )


def _member_during(year: int, joined_on: date, left_on: date | None) -> bool:
    return joined_on.year <= year and (left_on is None or left_on.year >= year)
