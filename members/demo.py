"""Demo members: the three associations' municipalities with rounded, illustrative figures."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from association.models import Association
from association.tenancy import tenant_scope
from members.models import (
    FeeBasis,
    FeeRounding,
    FeeRule,
    FigureKind,
    Membership,
    Municipality,
    NationalFigure,
    PopulationFigure,
)
from members.queries import current_adoption
from members.services import (
    adopt_fee_schedule,
    create_fee_rule,
    create_membership,
    set_figures,
)

DEMO_SOURCE = "Demodata (avrundade värden, inte SCB)"
DEMO_YEARS = range(2021, 2026)
# Norrbotten's assembly adopted the 2026 fees (computed from the 2025 figures) in November.
DEMO_ADOPTION = {
    "year": 2026,
    "decision_reference": "Förbundsfullmäktige 2025-11-20 § 7",
    "decided_on": date(2025, 11, 20),
}

# Rounded populations for demo only; real figures are imported from SCB.
POPULATION = {
    "2580": 80_000, "2581": 42_000, "2582": 28_000, "2584": 22_000, "2523": 17_000,
    "2514": 16_000, "2583": 9_500, "2560": 8_000, "2505": 6_000, "2521": 6_000,
    "2510": 5_000, "2518": 4_000, "2513": 3_000, "2506": 2_700,
    "2281": 99_000, "2284": 56_000, "2280": 25_000, "2282": 18_000, "2283": 19_000,
    "2262": 18_000, "2260": 9_000,
    "2480": 132_000, "2460": 8_900, "2401": 7_100, "2409": 6_700, "2404": 5_300, "2403": 2_400,
}  # fmt: skip

# Illustrative national average tax capacity per inhabitant (kr), marked as demo data.
TAX_CAPACITY = {2021: 240_000, 2022: 251_000, 2023: 262_000, 2024: 271_000, 2025: 280_000}

MEMBERS = {
    "norrbotten": [("2505", 1993), ("2506", 1993), ("2510", 1993), ("2513", 1993),
                   ("2514", 1993), ("2518", 1993), ("2521", 1993), ("2523", 1993),
                   ("2560", 1993), ("2580", 1993), ("2581", 1993), ("2582", 1993),
                   ("2583", 1993), ("2584", 1993)],
    "vasternorrland": [("2260", 1993), ("2262", 1993), ("2280", 1993), ("2281", 1993),
                       ("2282", 1993), ("2283", 1993), ("2284", 1993)],
    "umearegionen": [("2401", 1993), ("2403", 1993), ("2404", 1993), ("2409", 1993),
                     ("2460", 1993), ("2480", 1993), ("2284", 2013)],
}  # fmt: skip


def seed(out) -> dict[str, str]:
    """Create the demo figures, memberships and fee rule that are missing; what exists (an
    imported figure, an edited membership or fee rule) is left as it is."""
    have_population = set(
        PopulationFigure.objects.filter(year__in=DEMO_YEARS).values_list(
            "municipality__code", "year"
        )
    )
    set_figures(
        kind=FigureKind.POPULATION, source=DEMO_SOURCE, is_demo=True,
        values={(code, year): Decimal(value) for code, value in POPULATION.items()
                for year in DEMO_YEARS if (code, year) not in have_population},
    )  # fmt: skip
    have_national = set(NationalFigure.objects.values_list("year", flat=True))
    set_figures(
        kind=FigureKind.TAX_CAPACITY, source=DEMO_SOURCE, is_demo=True,
        values={("00", year): Decimal(value) for year, value in TAX_CAPACITY.items()
                if year not in have_national},
    )  # fmt: skip
    municipalities = Municipality.objects.in_bulk(field_name="code")
    for slug, members in MEMBERS.items():
        association = Association.objects.get(slug=slug)
        with tenant_scope(association):
            existing = set(
                Membership.objects.filter(association=association).values_list(
                    "municipality__code", flat=True
                )
            )
            for code, year in members:
                if code not in existing:
                    create_membership(
                        association=association, actor=None,
                        municipality=municipalities[code], joined_on=date(year, 1, 1),
                    )  # fmt: skip
            # Any rule of the association's own (perhaps the demo's, edited) counts.
            if (
                slug == "norrbotten"
                and not FeeRule.objects.filter(association=association).exists()
            ):
                create_fee_rule(
                    association=association, actor=None,
                    name="Högst 0,34 promille av skatteunderlaget (inriktning 2023–2026)",
                    first_year=2023, last_year=2026, basis=FeeBasis.TAX_BASE,
                    rate=Decimal("0.34"), cap_per_mille=Decimal("0.34"), base_year_offset=-1,
                    rounding=FeeRounding.KRONA, pro_rata=True,
                )  # fmt: skip
            if slug == "norrbotten":
                _adopt_demo_schedule(association, out)
        out.write(f"  {association.name}: {len(members)} medlemskommuner")
    return {}


def _adopt_demo_schedule(association, out) -> None:
    """Adopt the demo year once; an existing adoption is left alone, and a schedule that
    cannot be adopted (data changed since the seed) is skipped, not forced."""
    if current_adoption(association, DEMO_ADOPTION["year"]) is not None:
        return
    try:
        adopt_fee_schedule(association=association, actor=None, **DEMO_ADOPTION)
    except ValidationError as error:
        out.write(f"  {association.name}: avgiftslistan {DEMO_ADOPTION['year']} fastställdes "
                  f"inte ({' '.join(error.messages)})")  # fmt: skip
