"""Querysets and read models for the planning pages (with their related rows)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from planning.models import (
    COST_CATEGORIES,
    INCOME_CATEGORIES,
    Activity,
    BudgetLine,
    Direction,
    Goal,
    GoalArea,
    Plan,
    PlanStatus,
    SdgLink,
)


def directions(association) -> QuerySet[Direction]:
    return Direction.objects.filter(association=association).order_by("-first_year")


def direction(association, pk: int) -> QuerySet[Direction]:
    """One direction with its areas, goals (by area), SDG links and strategies."""
    return Direction.objects.filter(association=association, pk=pk).prefetch_related(
        Prefetch(
            "areas",
            queryset=GoalArea.objects.prefetch_related(
                Prefetch("goals", queryset=Goal.objects.order_by("position", "pk")),
                Prefetch("sdg_links", queryset=SdgLink.objects.select_related("sdg")),
            ),
        ),
        Prefetch("goals", queryset=Goal.objects.filter(area=None), to_attr="loose_goals"),
        "strategies",
    )


def published_directions(association) -> QuerySet[Direction]:
    return directions(association).filter(is_published=True)


def plans(association) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(association=association)
        .select_related("direction", "publication")
        .order_by("-year", "-number")
    )


def plan(association, pk: int) -> QuerySet[Plan]:
    return (
        plans(association)
        .filter(pk=pk)
        .select_related(
            "board_decision__item__meeting__body", "board_proposal", "supersedes", "revision"
        )
    )


def published_plans(association) -> QuerySet[Plan]:
    """Adopted and published plans; of each year only the latest published revision."""
    return plans(association).filter(status=PlanStatus.ADOPTED, publication__isnull=False)


def activities(plan: Plan) -> QuerySet[Activity]:
    return Activity.objects.filter(plan=plan).select_related("goal", "responsible_body")


@dataclass
class BudgetRow:
    category: str
    label: str
    amount: int
    last_year: int | None
    note: str = ""


@dataclass
class Budget:
    income_rows: list[BudgetRow] = field(default_factory=list)
    cost_rows: list[BudgetRow] = field(default_factory=list)

    @property
    def income(self) -> int:
        return sum(row.amount for row in self.income_rows)

    @property
    def costs(self) -> int:
        return sum(row.amount for row in self.cost_rows)

    @property
    def result(self) -> int:
        return self.income - self.costs

    @property
    def is_deficit(self) -> bool:
        return self.result < 0

    @property
    def last_year_income(self) -> int | None:
        values = [row.last_year for row in self.income_rows if row.last_year is not None]
        return sum(values) if values else None

    @property
    def last_year_costs(self) -> int | None:
        values = [row.last_year for row in self.cost_rows if row.last_year is not None]
        return sum(values) if values else None


def previous_plan(plan: Plan) -> Plan | None:
    """Last year's plan as adopted (its latest adopted revision), else its latest draft."""
    rows = Plan.objects.filter(association=plan.association, year=plan.year - 1)
    return (rows.filter(is_locked=True).order_by("-number").first()
            or rows.order_by("-number").first())  # fmt: skip


def budget(plan: Plan) -> Budget:
    """The plan's budget lines in category order with last year's budget beside each.
    (Last year's outcome joins here when the follow-up records budget outcomes.)"""
    from planning.models import LineCategory

    lines = {line.category: line for line in BudgetLine.objects.filter(plan=plan)}
    previous = previous_plan(plan)
    last = (
        dict(BudgetLine.objects.filter(plan=previous).values_list("category", "amount"))
        if previous
        else {}
    )
    result = Budget()
    for categories, rows in ((INCOME_CATEGORIES, result.income_rows),
                             (COST_CATEGORIES, result.cost_rows)):  # fmt: skip
        for category in categories:
            line = lines.get(category)
            rows.append(
                BudgetRow(
                    category=category,
                    label=str(LineCategory(category).label),
                    amount=line.amount if line else 0,
                    last_year=last.get(category),
                    note=line.note if line else "",
                )
            )
    return result
