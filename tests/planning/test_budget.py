"""The budget: income from the members' fee schedule and the projects' external funding,
sums and the balance."""

import pytest

from association.tenancy import scopes_disabled
from planning import queries, services
from planning.models import BudgetLine
from tests.members.conftest import make_figures, make_members, make_rule
from tests.planning.conftest import make_plan

pytestmark = pytest.mark.django_db


def test_the_fee_line_equals_the_fee_schedule_and_funding_comes_from_projects(association):
    from agreements import services as agreements
    from members.services import fee_schedule

    codes = ["2580", "2581", "2582"]
    make_members(association, codes)
    make_rule(association)
    make_figures(codes, 2024, population=50_000)
    with scopes_disabled():
        project = agreements.create_project(association=association, actor=None, name="Projekt")
        agreements.add_funding(
            project=project, actor=None, source="erdf", year=2025, amount=400_000
        )
        agreements.add_funding(project=project, actor=None, source="own", year=2025, amount=99)
        plan = make_plan(association, year=2025)
        schedule = fee_schedule(association=association, year=2025)
        fees = BudgetLine.objects.get(plan=plan, category="member_fees").amount
        funding = BudgetLine.objects.get(plan=plan, category="project_funding").amount
    assert schedule.total > 0
    assert fees == round(schedule.total)
    assert funding == 400_000  # the association's own budget is not external funding


def test_sums_and_balance(association):
    with scopes_disabled():
        plan = make_plan(association, year=2025)
        services.set_budget(
            plan=plan, actor=None,
            amounts={"state_grants": 1_000_000, "other_income": 50_000, "staff": 900_000,
                     "premises": 100_000, "activities": 80_000, "member_fees": 7},
        )  # fmt: skip
        budget = queries.budget(plan)
    assert budget.income == 1_050_000  # member fees are not typed in: they come from members
    assert budget.costs == 1_080_000
    assert budget.result == -30_000 and budget.is_deficit
    assert [row.category for row in budget.income_rows] == [
        "member_fees",
        "state_grants",
        "project_funding",
        "other_income",
    ]


def test_last_years_budget_stands_beside_each_line(association):
    with scopes_disabled():
        last = make_plan(association, year=2024)
        services.set_budget(plan=last, actor=None, amounts={"staff": 800_000})
        plan = services.start_year(direction=last.direction, actor=None, year=2025)
        services.set_budget(plan=plan, actor=None, amounts={"staff": 900_000})
        budget = queries.budget(plan)
    staff = next(row for row in budget.cost_rows if row.category == "staff")
    assert (staff.amount, staff.last_year) == (900_000, 800_000)


def test_last_years_outcome_comes_from_its_annual_report(association, board_decision):
    from tests.planning.conftest import adopted

    with scopes_disabled():
        last = make_plan(association, year=2024)
        services.set_budget(plan=last, actor=None, amounts={"staff": 800_000})
    last = adopted(last, board_decision)
    with scopes_disabled():
        annual = services.create_report(plan=last, actor=None, period="annual")
        services.import_outcomes(report=annual, actor=None, content=b"staff;812345\n",
                                 file_name="utfall.csv")  # fmt: skip
        plan = services.start_year(direction=last.direction, actor=None, year=2025)
        staff = next(row for row in queries.budget(plan).cost_rows if row.category == "staff")
    assert (staff.last_year, staff.last_year_outcome) == (800_000, 812_345)
