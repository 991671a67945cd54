"""Querysets and read models for the planning pages (with their related rows)."""

from dataclasses import dataclass, field

from django.db.models import CharField, Prefetch, QuerySet
from django.db.models.functions import Cast

from association.models import AuditEntry
from planning.models import (
    COST_CATEGORIES,
    INCOME_CATEGORIES,
    Activity,
    BudgetLine,
    Challenge,
    Direction,
    Goal,
    GoalArea,
    Indicator,
    Plan,
    PlanStatus,
    Promise,
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
        Prefetch(
            "sdg_links",
            queryset=SdgLink.objects.filter(area=None).select_related("sdg"),
            to_attr="direction_sdg_links",
        ),
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
    """Adopted and published plans, newest first; a year's published revisions are all
    listed (the highest number first), since each was adopted in its turn."""
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
    last_year_outcome: int | None = None
    outcome: int | None = None
    difference: int | None = None
    pk: int | None = None


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
    """The plan's budget lines in category order with last year's budget and last year's
    outcome (its annual report) beside each."""
    from planning.models import LineCategory

    lines = {line.category: line for line in BudgetLine.objects.filter(plan=plan)}
    previous = previous_plan(plan)
    last = (
        dict(BudgetLine.objects.filter(plan=previous).values_list("category", "amount"))
        if previous
        else {}
    )
    last_outcome = {}
    if previous:
        from planning.models import BudgetOutcome, Period

        last_outcome = dict(
            BudgetOutcome.objects.filter(report__plan=previous, report__period=Period.ANNUAL)
            .values_list("category", "amount")
        )  # fmt: skip
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
                    last_year_outcome=last_outcome.get(category),
                    note=line.note if line else "",
                    pk=line.pk if line else None,
                )
            )
    return result


def goals_with_activities(plan: Plan) -> list[Goal]:
    """The direction's goals in order (area first), each with ``plan_activities`` and
    ``plan_indicators`` of the plan: the goal-by-goal view."""
    goals = list(
        Goal.objects.filter(direction=plan.direction_id)
        .select_related("area")
        .order_by("area__position", "area_id", "position", "pk")
    )
    by_goal: dict[int | None, list] = {}
    for activity in activities(plan):
        by_goal.setdefault(activity.goal_id, []).append(activity)
    plan.loose_activities = by_goal.get(None, [])
    indicators: dict[int | None, list] = {}
    for indicator in Indicator.objects.filter(plan=plan):
        indicators.setdefault(indicator.goal_id, []).append(indicator)
    assignments = assignments_by_goal(plan.direction_id)
    for goal in goals:
        goal.plan_activities = by_goal.get(goal.pk, [])
        goal.plan_indicators = indicators.get(goal.pk, [])
        goal.network_assignments = assignments.get(goal.pk, [])
    return goals


def plan_contents(plan: Plan) -> dict:
    """Everything a plan's page (staff or public) shows, in a fixed number of queries."""
    from agreements.queries import staff_names

    names = staff_names(plan.association)
    goals = goals_with_activities(plan)
    loose = plan.loose_activities
    for activity in [a for goal in goals for a in goal.plan_activities] + loose:
        activity.staff_name = names.get(activity.responsible_staff_id)
    areas: list[dict] = []
    for goal in goals:
        if not areas or areas[-1]["area"] != goal.area:
            areas.append({"area": goal.area, "goals": []})
        areas[-1]["goals"].append(goal)
    return {
        "plan": plan,
        "areas": areas,
        "loose_activities": loose,
        "challenges": list(Challenge.objects.filter(plan=plan)),
        "budget": budget(plan),
        "reports": list(plan.reports.order_by("period")),
        **_promises_with_feedback(plan),
    }


def goal_statuses(plan: Plan) -> tuple[object | None, dict[int, object]]:
    """The plan's latest published report and its status entry per goal (the public
    goal-by-goal view of how the association is doing this year)."""
    from planning.models import StatusEntry

    rank = {"annual": 0, "t2": 1, "t1": 2}
    published = sorted(
        plan.reports.filter(is_published=True).exclude(correction__is_published=True),
        key=lambda r: (rank[r.period], -r.number),
    )
    report = published[0] if published else None
    if report is None:
        return None, {}
    entries = StatusEntry.objects.filter(report=report, goal__isnull=False)
    return report, {entry.goal_id: entry for entry in entries}


def _history(association, object_type: str, ids: list) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(
            association=association, object_type=object_type, object_id__in=[str(pk) for pk in ids]
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def plan_history(plan: Plan) -> QuerySet[AuditEntry]:
    """Every step of the plan: who did what when (parts added show as their own rows)."""
    from django.db.models import Q

    parts = Q()
    for name, model in (("activity", Activity), ("promise", Promise), ("challenge", Challenge),
                        ("indicator", Indicator)):  # fmt: skip
        parts |= Q(object_type=f"planning.{name}",
                   object_id__in=model.objects.filter(plan=plan).values("pk")
                   .annotate(text=Cast("pk", CharField())).values("text"))  # fmt: skip
    return (
        AuditEntry.objects.filter(association=plan.association_id)
        .filter(Q(object_type="planning.plan", object_id=str(plan.pk)) | parts)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def direction_history(direction: Direction) -> QuerySet[AuditEntry]:
    return _history(direction.association_id, "planning.direction", [direction.pk])


def _adjusted_decisions(association, kinds):
    from django.db.models import Q

    from governance.meetings.models import Decision

    return (
        Decision.objects.filter(association=association, item__meeting__body__kind__in=kinds)
        .filter(Q(is_locked=True) | Q(adjusted_at_once=True))
        .select_related("item__meeting__body")
        .order_by("-item__meeting__starts_at", "-item__number")
    )


def board_decisions(association):
    """Adjusted decisions of the board (or council) at its meetings, newest first (the
    ones that can approve a plan)."""
    return _adjusted_decisions(association, ("board", "council"))


def assembly_decisions(association):
    """Adjusted decisions of the assembly, newest first (the ones that can adopt a plan)."""
    return _adjusted_decisions(association, ("assembly",))


def passed_board_proposals(association):
    from governance.decisions.models import Proposal, ProposalStatus

    return Proposal.objects.filter(
        association=association, status=ProposalStatus.PASSED,
        body__kind__in=("board", "council"),
    ).order_by("-closes_at")  # fmt: skip


def available_steps(plan: Plan) -> list[str]:
    """The approval steps open to the plan in its state (what the page offers)."""
    from planning.forms import Step

    if plan.status == PlanStatus.DRAFT:
        return [Step.PROPOSE, Step.REFRESH]
    if plan.status == PlanStatus.PROPOSED:
        steps = [Step.APPROVE, Step.RETURN]
        return steps if plan.board_proposal_id else [*steps, Step.CIRCULATE]
    if plan.status == PlanStatus.BOARD_APPROVED:
        return [Step.ADOPT]
    steps = [] if plan.is_published else [Step.PUBLISH]
    has_revision = Plan.objects.filter(supersedes=plan).exists()
    return steps if has_revision else [*steps, Step.REVISE]


# --- follow-up ----------------------------------------------------------------------------


def reports(association):
    from planning.models import FollowUpReport

    return FollowUpReport.objects.filter(association=association).select_related(
        "plan__direction", "plan__publication"
    )


def published_reports(association):
    """The published reports, each in its latest published version (a published correction
    takes the place of the version it corrects)."""
    return (
        reports(association)
        .filter(is_published=True, plan__publication__isnull=False)
        .exclude(correction__is_published=True)
    )


def report_contents(report) -> dict:
    """A report's statuses (goals with their activities), indicator values and budget
    outcome against the budget, in a fixed number of queries."""
    from planning.models import BudgetOutcome, IndicatorValue, StatusEntry

    entries = list(
        StatusEntry.objects.filter(report=report)
        .select_related("goal__area", "activity")
        .order_by("goal__area__position", "goal__position", "activity__position", "pk")
    )
    goals = [e for e in entries if e.goal_id]
    activities_by_goal: dict[int | None, list] = {}
    for entry in entries:
        if entry.activity_id:
            activities_by_goal.setdefault(entry.activity.goal_id, []).append(entry)
    for entry in goals:
        entry.activity_entries = activities_by_goal.get(entry.goal_id, [])
    values = {v.indicator_id: v.value for v in IndicatorValue.objects.filter(report=report)}
    indicators = list(Indicator.objects.filter(plan=report.plan_id))
    for indicator in indicators:
        indicator.outcome = values.get(indicator.pk)
    outcomes = dict(BudgetOutcome.objects.filter(report=report).values_list("category", "amount"))
    plan_budget = budget(report.plan)
    for row in plan_budget.income_rows + plan_budget.cost_rows:
        row.outcome = outcomes.get(row.category)
        row.difference = None if row.outcome is None else row.outcome - row.amount
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.status or "none"] = counts.get(entry.status or "none", 0) + 1
    return {
        "report": report,
        "plan": report.plan,
        "goal_entries": goals,
        "loose_entries": activities_by_goal.get(None, []),
        "entries": entries,
        "indicators": indicators,
        "budget": plan_budget,
        "status_counts": counts,
        **_promises_with_feedback(report.plan),
    }


def _promises_with_feedback(plan: Plan) -> dict:
    feedback = promise_feedback(plan)
    promises = list(Promise.objects.filter(plan=plan))
    for promise in promises:
        promise.feedback_result = feedback["promise_feedback"].get(promise.pk)
    return {"promises": promises, **feedback}


def promise_feedback(plan: Plan) -> dict:
    """The networks' feedback on the plan's promises, as networks computes it (anonymous:
    counts, mean, distribution and sorted comments; ``networks.queries.feedback_results``).
    ``{"feedback_round": round or None, "promise_feedback": {promise id: result row}}``."""
    from networks.queries import feedback_results
    from planning.models import PromiseFeedback

    links = list(
        PromiseFeedback.objects.filter(promise__plan=plan).select_related("feedback_promise__round")
    )
    if not links:
        return {"feedback_round": None, "promise_feedback": {}}
    feedback_round = links[0].feedback_promise.round
    rows = {row["position"]: row for row in feedback_results(feedback_round)["promises"]}
    return {
        "feedback_round": feedback_round,
        "promise_feedback": {
            link.promise_id: rows.get(link.feedback_promise.position) for link in links
        },
    }


def assignments_by_goal(direction_id: int) -> dict[int, list]:
    """The networks' assignments serving each goal of the direction (the plan's
    "assignments from the networks work"), in the networks' order."""
    from planning.models import AssignmentGoal

    links = (
        AssignmentGoal.objects.filter(goal__direction=direction_id)
        .select_related("assignment__responsible")
        .order_by("assignment__heading", "assignment__ordering", "assignment__pk")
    )
    found: dict[int, list] = {}
    for link in links:
        found.setdefault(link.goal_id, []).append(link.assignment)
    return found


def report_history(report) -> QuerySet[AuditEntry]:
    return _history(report.association_id, "planning.followupreport", [report.pk])


def outcome_import(report, pk: int):
    from planning.models import OutcomeImport

    return OutcomeImport.objects.filter(report=report, pk=pk)


def outcome_import_rows(staged) -> list[dict]:
    """The preview: each budget line and indicator in the file with its value now and in
    the file, in the plan's order."""
    from planning.models import BudgetOutcome, IndicatorValue, LineCategory

    now_lines = dict(
        BudgetOutcome.objects.filter(report=staged.report_id).values_list("category", "amount")
    )
    now_values = dict(
        IndicatorValue.objects.filter(report=staged.report_id).values_list("indicator", "value")
    )
    rows = [
        {"name": LineCategory(category).label, "now": now_lines.get(category),
         "new": staged.lines[category]}
        for category in LineCategory.values if category in staged.lines
    ]  # fmt: skip
    for indicator in Indicator.objects.filter(pk__in=[int(k) for k in staged.indicators]):
        rows.append({"name": indicator.name, "now": now_values.get(indicator.pk),
                     "new": staged.indicators[str(indicator.pk)]})  # fmt: skip
    return rows
