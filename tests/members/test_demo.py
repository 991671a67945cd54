import io
from decimal import Decimal

import pytest

from association.tenancy import scopes_disabled
from members.models import Membership, NationalFigure
from members.services import fee_schedule

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_matches_the_domain():
    from association import demo as association_demo
    from members import demo

    association_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    with scopes_disabled():
        counts = {
            slug: Membership.objects.filter(association__slug=slug).count()
            for slug in ("norrbotten", "vasternorrland", "umearegionen")
        }
        assert counts == {"norrbotten": 14, "vasternorrland": 7, "umearegionen": 7}
        ornskoldsvik = Membership.objects.get(
            association__slug="umearegionen", municipality__code="2284"
        )
        assert ornskoldsvik.joined_on.year == 2013
        from association.models import Association

        schedule = fee_schedule(association=Association.objects.get(slug="norrbotten"), year=2024)
    assert NationalFigure.objects.get(year=2023).is_demo
    assert schedule.is_complete and schedule.uses_demo_figures
    assert sum(row.population.population for row in schedule.rows) == 249_200
    # 249 200 × 262 000 × 0.34‰, rounded per member to whole kronor.
    assert schedule.total == Decimal("22198736.00")
