"""The demo's directions and plans: the sources' text, the SDG links, the fee line."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from association.tenancy import scopes_disabled
from planning.models import AssignmentGoal, BudgetLine, Direction, Plan, SdgLink

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_sources_directions_and_plans():
    from members.services import fee_schedule

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  (runs twice)
    year = timezone.localdate().year
    with scopes_disabled():
        norrbotten = Direction.objects.get(association__slug="norrbotten", first_year=2023)
        assert [a.title for a in norrbotten.areas.all()] == [
            "Jämlik välfärd", "Strategisk kompetensförsörjning",
            "Hållbar samhällsutveckling och tillväxt",
        ]  # fmt: skip
        assert norrbotten.goals.count() == 10
        assert all(g.text.startswith("Vi ") for g in norrbotten.goals.all())
        assert norrbotten.strategies.count() == 6
        links = {
            (link.sdg.number, link.is_primary)
            for link in SdgLink.objects.filter(direction=norrbotten)
        }
        assert links == {(3, True), (4, True), (11, True), (5, False), (8, False), (9, False)}
        history = Direction.objects.get(association__slug="norrbotten", first_year=2019)
        assert history.goals.count() == 5 and history.last_year == 2022
        plan = Plan.objects.get(association__slug="norrbotten", year=year)
        fees = BudgetLine.objects.get(plan=plan, category="member_fees").amount
        schedule = fee_schedule(association=plan.association, year=year)
        assert fees == round(schedule.total) and fees > 0
        vn = Plan.objects.get(association__slug="vasternorrland", year=2021)
        assert vn.promises.count() == 3 and vn.challenges.count() == 3
        assert Direction.objects.get(association__slug="vasternorrland").vision == (
            "Tillsammans för välfärd och utveckling"
        )
        ur = Direction.objects.get(association__slug="umearegionen")
        assert [a.title for a in ur.areas.all()] == [
            "Gemensam arbetsmarknadsregion", "Effektivisera kommunal verksamhet"
        ]  # fmt: skip
        assert AssignmentGoal.objects.filter(goal__direction=ur).count() == 9
        civil = AssignmentGoal.objects.get(goal__direction=ur, goal__text="Civilt försvar")
        assert civil.assignment.title.startswith("Verka för gemensamma anställningar")


def test_the_demo_follows_up_vasternorrlands_2021_plan():
    """Approved by the board and adopted by the assembly (demo decisions, adjusted),
    published, a tertial and the annual report with the networks' feedback per promise."""
    from planning import queries

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115  (runs twice)
    with scopes_disabled():
        plan = Plan.objects.get(association__slug="vasternorrland", year=2021)
        assert plan.stage == "published"
        assert plan.board_decision.item.meeting.body.kind == "board"
        assert plan.board_decision.is_locked and plan.board_decision.text.startswith("(Demo)")
        assert plan.assembly_decision.item.meeting.body.kind == "assembly"
        assert sorted(plan.reports.values_list("period", flat=True)) == ["annual", "t1"]
        annual = plan.reports.get(period="annual")
        contents = queries.report_contents(annual)
        assert contents["feedback_round"].title == "Röster från kommunerna 2021"
        assert [p.feedback_result["count"] for p in contents["promises"]] == [6, 6, 6]
        assert contents["promises"][0].feedback_result["mean"] == 3.83


def test_the_demo_plans_pdf(settings):
    """The demo plan's PDF: the direction's text, the budget, contents with page numbers,
    tagged PDF/UA with title, language and author."""
    import io
    import re

    from pypdf import PdfReader

    from planning import pdfs
    from planning.models import Plan

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        plan = Plan.objects.select_related("association", "direction").get(
            association__slug="norrbotten", year=timezone.localdate().year
        )
        pdf = pdfs.render_document("plan", plan, "sv")
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() or "" for page in reader.pages]
    text = "\n".join(pages)
    for expected in ("Inriktning 2023–2026", "Jämlik välfärd", "Strategisk kompetensförsörjning",
                     "Vi stärker kommunerna i Norrbotten som en aktiv part i EU",
                     "Hälsa och välbefinnande", "Medlemsavgifter", "Innehåll",
                     f"Sida 1 av {len(pages)}"):  # fmt: skip
        assert expected in text, expected
    # The contents page lists each chapter with the page it starts on.
    contents = next(page for page in pages if "Innehåll" in page)
    budget_page = next(i for i, page in enumerate(pages, 1) if "Budget" in page and i > 2
                       and "Medlemsavgifter" in page)  # fmt: skip
    assert re.search(rf"Budget\W*{budget_page}\b", contents), contents
    assert reader.metadata.title == str(plan)
    assert reader.metadata.author == "Norrbottens Kommuner"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
