import io

import pytest

from agreements import queries
from agreements.models import Agreement, Project
from association.tenancy import scopes_disabled
from members.models import Municipality

pytestmark = pytest.mark.django_db


def seed():
    from agreements import demo
    from association import demo as association_demo
    from governance import demo as governance_demo
    from members import demo as members_demo

    association_demo.seed(io.StringIO())
    members_demo.seed(io.StringIO())
    governance_demo.seed(io.StringIO())
    demo.seed(io.StringIO())


def test_the_demo_agreements_and_projects_follow_the_sources():
    seed()
    with scopes_disabled():
        ltu = Agreement.objects.get(association__slug="norrbotten", kind="letter_of_intent")
        assert ltu.organisations.get().organisation_number == "202100-2841"
        assert (ltu.validity_kind, ltu.notice_months, ltu.status) == (
            "until_terminated", 3, "active",
        )  # fmt: skip
        titles = {f.title for f in ltu.follow_ups.all()}
        assert titles == {"Ledningsdialog", "Årlig uppföljning av samverkansstrukturen"}
        dialogues = ltu.follow_ups.filter(title="Ledningsdialog").count()
        assert dialogues == 4  # twice a year, this year and next
        visit = Agreement.objects.get(association__slug="umearegionen", kind="service")
        codes = set(visit.municipalities.values_list("code", flat=True))
        assert codes == {"2401", "2403", "2404", "2409", "2460", "2480"}  # not Örnsköldsvik
        assert visit.follow_ups.first().responsible == "Turismgruppen"
        projects = {p.name: p for p in Project.objects.filter(association__slug="umearegionen")}
        assert set(projects) == {
            "Studenter möter arbetsliv", "Attrahera flera", "Thriving Northern Capacities",
            "Arbetsmarknadskunskap i skolan",
        }  # fmt: skip
        students = projects["Studenter möter arbetsliv"]
        assert str(students.ends_on) == "2023-08-31"
        assert set(students.fundings.values_list("amount", flat=True)) == {100_000}
        attract = projects["Attrahera flera"]
        assert (str(attract.starts_on), str(attract.ends_on)) == ("2023-01-01", "2025-12-31")
        assert {"erdf", "region"} <= set(attract.fundings.values_list("source", flat=True))
        tnc = projects["Thriving Northern Capacities"]
        assert [p.name for p in tnc.partners.all()] == ["RISE"]
        assert {m.code for m in tnc.municipalities.all()} == {"2401", "2409", "2460"}
        umea = attract.association
        assert queries.external_funding(umea, 2024)["erdf"] == 1_000_000
        assert Municipality.objects.filter(code="2284").exists()
        count = Agreement.objects.count(), Project.objects.count()
    seed()  # again: nothing new
    with scopes_disabled():
        assert (Agreement.objects.count(), Project.objects.count()) == count
