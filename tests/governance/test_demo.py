import io
from datetime import date

import pytest
from django.db.models import Sum

from association.tenancy import scopes_disabled
from governance.models import Assignment, Body, Person, Seat

pytestmark = pytest.mark.django_db


def seed():
    from association import demo as association_demo
    from governance import demo
    from members import demo as members_demo

    association_demo.seed(io.StringIO())
    members_demo.seed(io.StringIO())
    return demo.seed(io.StringIO())


def test_the_demo_follows_the_sources(client):
    accounts = seed()
    assert "styrelseledamot@demo.samverka.se" in accounts
    with scopes_disabled():
        board = Body.objects.get(association__slug="norrbotten", slug="styrelse")
        assert board.seats.filter(municipality__isnull=False).count() == 14
        assert "riksdagen" in board.seat_rule
        guardianship = Body.objects.get(association__slug="umearegionen",
                                        slug="overformyndarnamnd")  # fmt: skip
        totals = guardianship.seats.aggregate(m=Sum("members"), s=Sum("substitutes"))
        assert totals == {"m": 10, "s": 10}
        assert guardianship.seats.get(municipality__code="2480").members == 3
        assert guardianship.fixed_host.name == "Umeå"
        fire = Body.objects.get(association__slug="umearegionen", slug="brand-och-raddningsnamnden")
        assert fire.seats.aggregate(m=Sum("members"))["m"] == 4
        forum = Body.objects.get(association__slug="norrbotten", slug="regionalt-forum")
        assert not forum.is_formal and "Region Norrbotten" in forum.outside_parties
        chair = Assignment.objects.get(body__slug="umearegionradet", role="chair")
        assert str(chair.person) == "Mathias Haglund"
        assert (chair.starts_on, chair.ends_on) == (date(2023, 1, 1), date(2023, 12, 31))
        council = Body.objects.get(slug="umearegionradet")
        assert council.host(2026).name == "Bjurholm" and council.host(2030).name == "Vindeln"
        # Only the people the sources name, and the two demo people, marked as such.
        names = set(Person.objects.values_list("first_name", "last_name", "is_demo"))
    assert names == {
        ("Mathias", "Haglund", False), ("Tomas", "Nilsson", False), ("Therese", "Berg", False),
        ("Margaretha", "Alfredsson", False), ("Stina", "Styrelseledamot", True),
        ("Bengt", "Beredningsledamot", True),
    }  # fmt: skip
    # The demo people are re-elected for the next term, so the demo outlives 2026.
    with scopes_disabled():
        spans = set(Assignment.objects.filter(person__is_demo=True).values_list(
            "person__last_name", "starts_on", "ends_on"))  # fmt: skip
        assert ("Styrelseledamot", date(2027, 1, 1), date(2030, 12, 31)) in spans
        assert ("Beredningsledamot", date(2023, 1, 1), date(2026, 12, 31)) in spans
    # The demo accounts sit where the README says.
    client.login(email="styrelseledamot@demo.samverka.se", password="samverka-demo-2026")
    assert "Styrelse" in client.get("/norrbotten/organ/mina/").text
    client.login(email="beredningsledamot@demo.samverka.se", password="samverka-demo-2026")
    assert "Socialberedning" in client.get("/norrbotten/organ/mina/").text


def test_a_second_run_keeps_what_users_changed():
    seed()
    with scopes_disabled():
        counts = [Body.objects.count(), Seat.objects.count(), Assignment.objects.count(),
                  Person.objects.count()]  # fmt: skip
        Body.objects.filter(slug="styrelse", association__slug="norrbotten").update(
            mandate="Ändrat av en handläggare."
        )
        Person.objects.filter(last_name="Haglund").update(party="Ändrat")
    seed()
    with scopes_disabled():
        assert [Body.objects.count(), Seat.objects.count(), Assignment.objects.count(),
                Person.objects.count()] == counts  # fmt: skip
        assert Body.objects.get(slug="styrelse", association__slug="norrbotten").mandate == (
            "Ändrat av en handläggare."
        )
        assert Person.objects.get(last_name="Haglund").party == "Ändrat"
