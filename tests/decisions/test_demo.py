import pytest
from django.core.management import call_command

from association.tenancy import scopes_disabled
from governance.decisions.models import MemberResponse, Proposal, ProposalStatus
from governance.meetings.models import Decision

pytestmark = pytest.mark.django_db


def test_demo_recommendation_and_per_capsulam_decision(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        # The meetings demo marks every recommending matter; the latest one old enough
        # has the municipalities' answers.
        recommendation = (
            Decision.objects.filter(
                association__slug="norrbotten",
                is_recommendation=True,
                member_responses__isnull=False,
            )
            .distinct()
            .get()
        )
        settled = MemberResponse.objects.filter(decision=recommendation).exclude(outcome="")
        assert 0 < settled.count() < 14  # some municipalities have decided, not all
        passed = Proposal.objects.get(association__slug="norrbotten", status=ProposalStatus.PASSED)
        assert passed.item is not None and "per capsulam" in passed.item.decision.text
        assert Proposal.objects.filter(status=ProposalStatus.OPEN).count() == 1
        counts = (
            Decision.objects.count(),
            MemberResponse.objects.count(),
            Proposal.objects.count(),
        )
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        assert counts == (
            Decision.objects.count(),
            MemberResponse.objects.count(),
            Proposal.objects.count(),
        )
    # The recommendation is public (adjusted at once): anyone sees its status.
    page = client.get(f"/norrbotten/beslut/{recommendation.pk}/rekommendation/")
    assert page.status_code == 200
    assert "Antagen enligt rekommendationen" in page.content.decode()
    assert client.get("/norrbotten/beslut/rekommendationer/").status_code == 200
