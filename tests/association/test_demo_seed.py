"""Seeding the demo again (dev.py up runs it every time) keeps what people changed and only
creates what is missing."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from association.models import Association, RoleAssignment
from association.services import assign_role, update_association
from association.tenancy import scopes_disabled
from governance.models import Body
from members.models import FeeRule, Membership, NationalFigure, PopulationFigure
from members.services import set_figures, update_fee_rule, update_membership

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def test_seeding_again_keeps_what_users_changed_and_adds_what_is_missing():
    seed()
    with scopes_disabled():
        norrbotten = Association.objects.get(slug="norrbotten")
        update_association(
            association=norrbotten, actor=None, expected_version=norrbotten.version,
            data={"vision": "Vår egen vision", "logo": ""},
        )  # fmt: skip
        lulea = Membership.objects.get(association=norrbotten, municipality__code="2580")
        update_membership(
            membership=lulea, actor=None, expected_version=lulea.version,
            data={"chair_name": "Ordförande Egen"},
        )  # fmt: skip
        rule = FeeRule.objects.get(association=norrbotten)
        update_fee_rule(
            rule=rule, actor=None, expected_version=rule.version,
            data={"rate": Decimal("0.30"), "first_year": 2024},
        )  # fmt: skip
        editor = RoleAssignment.objects.get(
            association=norrbotten, user__email="editor.norrbotten@demo.samverka.se"
        )
        assign_role(association=norrbotten, user=editor.user, role="viewer", actor=None)
        Body.objects.filter(association=norrbotten, slug="styrelse").update(
            mandate="Vår egen beskrivning"
        )
        set_figures(kind="population", source="SCB", values={("2580", 2023): Decimal(81_234)})
        set_figures(kind="tax_capacity", source="SCB", values={("00", 2023): Decimal(263_000)})
        # Something the demo has that was deleted comes back (Västernorrland: Norrbotten's
        # memberships are held by its adopted, frozen fee schedule and cannot be deleted).
        vasternorrland = Association.objects.get(slug="vasternorrland")
        Membership.objects.filter(association=vasternorrland, municipality__code="2260").delete()

    seed()

    with scopes_disabled():
        norrbotten.refresh_from_db()
        assert norrbotten.vision == "Vår egen vision"
        assert not norrbotten.logo  # cleared stays cleared
        assert Membership.objects.get(pk=lulea.pk).chair_name == "Ordförande Egen"
        rules = list(FeeRule.objects.filter(association=norrbotten))
        assert [(r.pk, r.rate, r.first_year) for r in rules] == [(rule.pk, Decimal("0.30"), 2024)]
        assert RoleAssignment.objects.get(pk=editor.pk).role == "viewer"
        body = Body.objects.get(association=norrbotten, slug="styrelse")
        assert body.mandate == "Vår egen beskrivning"
        assert Membership.objects.filter(
            association=vasternorrland, municipality__code="2260"
        ).exists()
    population = PopulationFigure.objects.get(municipality__code="2580", year=2023)
    assert (population.population, population.is_demo) == (81_234, False)
    national = NationalFigure.objects.get(year=2023)
    assert (national.average_tax_capacity, national.is_demo) == (Decimal(263_000), False)
