import io

import pytest

from association.tenancy import scopes_disabled
from networks import queries
from networks.models import FeedbackRound, Network, WorkAssignment

pytestmark = pytest.mark.django_db


def seed():
    from agreements import demo as agreements_demo
    from association import demo as association_demo
    from governance import demo as governance_demo
    from members import demo as members_demo
    from networks import demo

    association_demo.seed(io.StringIO())
    members_demo.seed(io.StringIO())
    governance_demo.seed(io.StringIO())
    agreements_demo.seed(io.StringIO())
    demo.seed(io.StringIO())


def test_the_demo_networks_follow_the_sources(client):
    seed()
    seed()  # adds nothing the second time
    with scopes_disabled():
        counts = {
            slug: Network.objects.filter(association__slug=slug).count()
            for slug in ("norrbotten", "vasternorrland", "umearegionen")
        }
        assert counts == {"norrbotten": 4, "vasternorrland": 4, "umearegionen": 11}
        hr = Network.objects.get(body__slug="personalchefgruppen")
        assert hr.body.reports_to.slug == "kommunchefsgruppen"
        work = WorkAssignment.objects.filter(association__slug="umearegionen")
        assert work.count() == 22
        assert work.filter(responsible=hr.body).count() == 2
        assert work.get(title__startswith="Thriving").responsible_other == "RISE"
        feedback_round = FeedbackRound.objects.get(association__slug="vasternorrland")
        assert not feedback_round.is_open()
        results = queries.feedback_results(feedback_round)
        assert [p["count"] for p in results["promises"]] == [6, 6, 6]
        assert results["promises"][0]["text"].startswith("Efter 2021 kommer länets kommuner")
    # The demo committee member sits in the social services network: its members' page,
    # not the education network's.
    from association.models import User

    client.force_login(User.objects.get(email="beredningsledamot@demo.samverka.se"))
    assert client.get("/norrbotten/natverk/natverk-socialtjanst/medlemmar/").status_code == 200
    assert client.get("/norrbotten/natverk/natverk-utbildning/medlemmar/").status_code == 403
    page = client.get("/norrbotten/natverk/mina/")
    assert "Strategiskt nätverk socialtjänst" in page.text
