"""Every change to directions, plans and their approval: one transaction each, with its
history (``association.services.record_history``).

Who may take a step is the view's question (each page declares its ``access``); whether the
plan is in the state for the step is asked here, so no page and no script can skip one:

| step | from | to | who (page access) |
|---|---|---|---|
| ``propose`` | draft | proposed | staff editor |
| ``return_to_draft`` | proposed | draft | staff editor |
| ``circulate_to_board`` | proposed | proposed (a per capsulam proposal is open) | staff editor |
| ``record_board_approval`` | proposed | board_approved | staff editor, from the board's decision |
| ``adopt`` | board_approved | adopted (locked) | staff editor, with the assembly's decision |
| ``publish`` | adopted | published | staff editor (as agreements are published) |
| ``start_revision`` | adopted/published | a new draft revision | staff editor, with a reason |

The board's decision is a decision at a board meeting (``meetings.Decision``, so its minutes
paragraph) or a passed per capsulam proposal, which the board members answer themselves in
the decisions app and which passes by the body's rule.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.locking import RecordLocked
from association.models import Association, User
from association.services import record_history, update_versioned
from planning.models import (
    Activity,
    BudgetLine,
    Challenge,
    Direction,
    Goal,
    GoalArea,
    Indicator,
    LineCategory,
    Plan,
    PlanPublication,
    PlanStatus,
    Promise,
    SdgLink,
    Strategy,
    SustainableGoal,
)

BOARD_KINDS = ("board", "council")

WRONG_STATUS = _("This step is not possible while the plan is “%(status)s”.")
YEAR_OUTSIDE_DIRECTION = _("The year is outside the direction's period (%(first)s–%(last)s).")
NOTHING_TO_COPY = _("There is no plan of %(year)s to copy.")
ONE_DECISION = _("Name either the board's decision at a meeting or a per capsulam proposal.")
NOT_THE_BOARD = _("The decision must be the board's.")
NOT_ADJUSTED = _(
    "The decision's paragraph is not adjusted yet: take it once the minutes are adjusted "
    "or the paragraph is adjusted at once."
)
NOT_THE_ASSEMBLY = _("The plan is adopted by a decision of this association's assembly.")
PROPOSAL_NOT_PASSED = _("The per capsulam proposal has not passed.")
NO_BOARD = _("The association has no board to circulate the proposal to.")
REASON_REQUIRED = _("Give the reason for the revision.")
ALREADY_REVISED = _("This plan already has a revision.")
ASSEMBLY_REQUIRED = _("Name the assembly's decision.")
DUPLICATE_DIRECTION = _("A direction starting that year already exists.")
PART_OF_ANOTHER_DIRECTION = _("The goal belongs to another direction.")


def _refuse_unless(plan: Plan, *allowed: str) -> None:
    if plan.is_locked and PlanStatus.DRAFT in allowed:
        raise RecordLocked(Plan.locked_message)
    if plan.status not in allowed:
        raise ValidationError(
            WRONG_STATUS, code="wrong_status", params={"status": plan.get_status_display()}
        )


def _lock_for_update(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _touch(plan: Plan) -> None:
    """A change under the plan is a new version of it (its PDF is made again)."""
    plan.version += 1
    plan.save(update_fields=["version"])


def _set_status(plan: Plan, actor: User | None, status: str, **fields: Any) -> Plan:
    before = plan.status
    changes = {"status": (before, status)}
    for name, value in fields.items():
        changes[name] = (getattr(plan, name), value)
        setattr(plan, name, value)
    plan.status = status
    plan.version += 1
    plan.save()
    record_history(
        association=plan.association, actor=actor, action=f"plan_{status}", obj=plan,
        changes=changes,
    )  # fmt: skip
    return plan


# --- direction ----------------------------------------------------------------------------


@transaction.atomic
def create_direction(*, association: Association, actor: User | None, **fields: Any) -> Direction:
    direction = Direction(association=association, **fields)
    direction.full_clean()
    direction.save()
    record_history(
        association=association, actor=actor, action="created", obj=direction,
        changes={k: (None, v) for k, v in fields.items()},
    )  # fmt: skip
    return direction


def update_direction(
    *, direction: Direction, actor: User | None, expected_version: int, data: dict
) -> Direction:
    def check(edited: Direction) -> None:
        # update_versioned validates without the association, so the rule that spans
        # the association's rows is asked here.
        others = Direction.objects.filter(association=edited.association_id).exclude(pk=edited.pk)
        if others.filter(first_year=edited.first_year).exists():
            raise ValidationError({"first_year": DUPLICATE_DIRECTION})

    return update_versioned(
        obj=direction, actor=actor, expected_version=expected_version, data=data, check=check
    )


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def add_goal_area(
    *, direction: Direction, actor: User | None, title: str, description: str = ""
) -> GoalArea:
    area = GoalArea(
        association=direction.association, direction=direction, title=title.strip(),
        description=description.strip(), position=_next_position(direction.areas.all()),
    )  # fmt: skip
    area.full_clean(exclude=["association", "direction"])
    area.save()
    record_history(
        association=direction.association, actor=actor, action="created", obj=area,
        changes={"title": (None, area.title)},
    )  # fmt: skip
    return area


@transaction.atomic
def add_goal(
    *, direction: Direction, actor: User | None, text: str, area: GoalArea | None = None
) -> Goal:
    if area is not None and area.direction_id != direction.pk:
        raise ValidationError({"area": ValidationError(PART_OF_ANOTHER_DIRECTION)})
    goal = Goal(
        association=direction.association, direction=direction, area=area, text=text.strip(),
        position=_next_position(direction.goals.all()),
    )  # fmt: skip
    goal.full_clean(exclude=["association", "direction", "area"])
    goal.save()
    record_history(
        association=direction.association, actor=actor, action="created", obj=goal,
        changes={"text": (None, goal.text), "area": (None, str(area) if area else None)},
    )  # fmt: skip
    return goal


@transaction.atomic
def add_strategy(
    *, direction: Direction, actor: User | None, title: str, text: str = ""
) -> Strategy:
    strategy = Strategy(
        association=direction.association, direction=direction, title=title.strip(),
        text=text.strip(), position=_next_position(direction.strategies.all()),
    )  # fmt: skip
    strategy.full_clean(exclude=["association", "direction"])
    strategy.save()
    record_history(
        association=direction.association, actor=actor, action="created", obj=strategy,
        changes={"title": (None, strategy.title)},
    )  # fmt: skip
    return strategy


@transaction.atomic
def link_sdg(
    *,
    direction: Direction,
    actor: User | None,
    number: int,
    is_primary: bool,
    area: GoalArea | None = None,
) -> SdgLink:
    """Link the direction (or one of its goal areas) to a global goal, or change whether
    the link is primary."""
    from planning.sdgs import load_goals

    if area is not None and area.direction_id != direction.pk:
        raise ValidationError({"area": ValidationError(PART_OF_ANOTHER_DIRECTION)})
    load_goals()
    sdg = SustainableGoal.objects.get(number=number)
    link, created = SdgLink.objects.update_or_create(
        association=direction.association, direction=direction, area=area, sdg=sdg,
        defaults={"is_primary": is_primary},
    )  # fmt: skip
    record_history(
        association=direction.association, actor=actor,
        action="created" if created else "updated",
        obj=link, changes={"sdg": (None, number), "is_primary": (None, is_primary)},
    )  # fmt: skip
    return link


# --- budget income from the other apps ----------------------------------------------------


def fee_income(association: Association, year: int) -> int:
    """The year's member fees in whole kronor: the adopted fee schedule when there is one,
    else the preliminary one (members.services.fee_schedule)."""
    from members.services import fee_schedule

    total = fee_schedule(association=association, year=year).total or Decimal(0)
    return int(Decimal(total).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def project_funding_income(association: Association, year: int) -> int:
    """The external funding of the association's projects in the year, every source."""
    from agreements.queries import external_funding

    return sum(external_funding(association, year).values())


# --- plans --------------------------------------------------------------------------------


def _check_year(direction: Direction, year: int) -> None:
    if not direction.covers(year):
        raise ValidationError(
            {"year": ValidationError(YEAR_OUTSIDE_DIRECTION,
                                     params={"first": direction.first_year,
                                             "last": direction.last_year})}
        )  # fmt: skip


def _copy_parts(source: Plan, target: Plan) -> None:
    """Copy the activities, promises, challenges and indicators; the budget lines keep their
    amounts (income from the other apps is filled again by the caller)."""
    association = target.association
    for model, fields in (
        (Activity, ["position", "goal_id", "title", "description", "responsible_body_id",
                    "responsible_staff_id"]),
        (Promise, ["position", "title", "text"]),
        (Challenge, ["position", "title", "text"]),
        (Indicator, ["position", "goal_id", "name", "unit", "baseline", "target"]),
    ):  # fmt: skip
        model.objects.bulk_create(
            model(association=association, plan=target, **{f: getattr(row, f) for f in fields})
            for row in model.objects.filter(plan=source).order_by("position", "pk")
        )
    amounts = dict(BudgetLine.objects.filter(plan=source).values_list("category", "amount"))
    notes = dict(BudgetLine.objects.filter(plan=source).values_list("category", "note"))
    BudgetLine.objects.bulk_create(
        BudgetLine(
            association=association,
            plan=target,
            category=category,
            position=position,
            amount=amounts.get(category, 0),
            note=notes.get(category, ""),
        )
        for position, category in enumerate(LineCategory.values, start=1)
    )


def _fill_income(plan: Plan) -> dict[str, tuple[int, int]]:
    changes = {}
    for category, amount in (
        (LineCategory.MEMBER_FEES, fee_income(plan.association, plan.year)),
        (LineCategory.PROJECT_FUNDING, project_funding_income(plan.association, plan.year)),
    ):
        line = BudgetLine.objects.get(plan=plan, category=category)
        if line.amount != amount:
            changes[category.value] = (line.amount, amount)
            line.amount = amount
            line.save(update_fields=["amount"])
    return changes


@transaction.atomic
def create_plan(
    *,
    direction: Direction,
    actor: User | None,
    year: int,
    title: str = "",
    introduction: str = "",
    copy_from: Plan | None = None,
) -> Plan:
    """A new draft plan for ``year`` under the direction: one budget line per category, the
    member fees from the year's fee schedule and the projects' external funding filled in.
    With ``copy_from``, last year's activities, promises, challenges, indicators and budget
    amounts are copied (Staff start a year from last year's plan)."""
    _check_year(direction, year)
    plan = Plan(
        association=direction.association,
        direction=direction,
        year=year,
        title=title.strip() or str(_("Operational plan and budget %(year)s") % {"year": year}),
        introduction=introduction.strip() or (copy_from.introduction if copy_from else ""),
    )
    plan.full_clean(exclude=["association", "direction"])
    plan.save()
    if copy_from is not None:
        _copy_parts(copy_from, plan)
    else:
        BudgetLine.objects.bulk_create(
            BudgetLine(
                association=plan.association, plan=plan, category=category, position=position
            )
            for position, category in enumerate(LineCategory.values, start=1)
        )
    _fill_income(plan)
    record_history(
        association=plan.association, actor=actor, action="created", obj=plan,
        changes={"year": (None, year), "title": (None, plan.title),
                 "copied_from": (None, str(copy_from) if copy_from else None)},
    )  # fmt: skip
    return plan


def start_year(*, direction: Direction, actor: User | None, year: int) -> Plan:
    """Start ``year`` by copying last year's plan (its latest revision)."""
    previous = (
        Plan.objects.filter(association=direction.association, year=year - 1)
        .order_by("-number")
        .first()
    )
    if previous is None:
        raise ValidationError(NOTHING_TO_COPY, params={"year": year - 1}, code="nothing")
    return create_plan(direction=direction, actor=actor, year=year, copy_from=previous)


def update_plan(*, plan: Plan, actor: User | None, expected_version: int, data: dict) -> Plan:
    """Edit the plan's own text; only a draft (a locked plan refuses in any case)."""
    _refuse_unless(plan, PlanStatus.DRAFT)
    return update_versioned(obj=plan, actor=actor, expected_version=expected_version, data=data)


@transaction.atomic
def refresh_income(*, plan: Plan, actor: User | None) -> Plan:
    """Fill member fees and project funding again from the other apps (a draft only)."""
    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.DRAFT)
    changes = _fill_income(plan)
    if changes:
        _touch(plan)
        record_history(
            association=plan.association, actor=actor, action="updated", obj=plan,
            changes=changes,
        )  # fmt: skip
    return plan


@transaction.atomic
def set_budget(*, plan: Plan, actor: User | None, amounts: dict[str, int]) -> Plan:
    """Set the amounts of the lines staff enter (member fees and project funding come from
    the other apps and are not taken here)."""
    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.DRAFT)
    changes = {}
    computed = {LineCategory.MEMBER_FEES, LineCategory.PROJECT_FUNDING}
    for line in BudgetLine.objects.filter(plan=plan):
        if line.category in computed or line.category not in amounts:
            continue
        amount = int(amounts[line.category])
        if amount < 0:
            raise ValidationError({line.category: _("Enter zero or more.")})
        if amount != line.amount:
            changes[line.category] = (line.amount, amount)
            line.amount = amount
            line.save(update_fields=["amount"])
    if changes:
        _touch(plan)
        record_history(
            association=plan.association, actor=actor, action="updated", obj=plan,
            changes=changes,
        )  # fmt: skip
    return plan


PART_MODELS = {"activity": Activity, "promise": Promise, "challenge": Challenge,
               "indicator": Indicator}  # fmt: skip


@transaction.atomic
def add_part(*, plan: Plan, actor: User | None, kind: str, **fields: Any):
    """Add an activity, promise, challenge or indicator to a draft plan."""
    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.DRAFT)
    model = PART_MODELS[kind]
    goal = fields.get("goal")
    if goal is not None and goal.direction_id != plan.direction_id:
        raise ValidationError({"goal": ValidationError(PART_OF_ANOTHER_DIRECTION)})
    part = model(
        association=plan.association, plan=plan,
        position=_next_position(model.objects.filter(plan=plan)), **fields,
    )  # fmt: skip
    part.full_clean(exclude=["association", "plan"])
    part.save()
    _touch(plan)
    record_history(
        association=plan.association, actor=actor, action="created", obj=part,
        changes={k: (None, str(v) if v is not None else None) for k, v in fields.items()},
    )  # fmt: skip
    return part


@transaction.atomic
def delete_part(*, part, actor: User | None) -> None:
    plan = _lock_for_update(part.plan)
    _refuse_unless(plan, PlanStatus.DRAFT)
    record_history(
        association=plan.association, actor=actor, action="deleted", obj=part,
        changes={"plan": (str(plan), None)},
    )  # fmt: skip
    part.delete()
    _touch(plan)


EDIT_MODELS = {**PART_MODELS, "budget_line": BudgetLine}
DIRECTION_MODELS = {"area": GoalArea, "goal": Goal, "strategy": Strategy, "sdg": SdgLink}
DIRECTION_LOCKED = _(
    "The direction is locked: a plan under it is adopted. Start a new direction to change it."
)
COMPUTED_LINE = _("This line is filled from the other apps and cannot be typed.")
GOAL_IN_USE = _("The goal has activities or indicators in a plan; move or remove them first.")


@transaction.atomic
def update_part(*, part, actor: User | None, expected_version: int, data: dict):
    """Edit a row of a draft plan (activity, promise, challenge, indicator or budget line);
    refused once the plan has left draft, and a concurrent edit is refused."""
    plan = _lock_for_update(part.plan)
    _refuse_unless(plan, PlanStatus.DRAFT)
    goal = data.get("goal")
    if goal is not None and goal.direction_id != plan.direction_id:
        raise ValidationError({"goal": ValidationError(PART_OF_ANOTHER_DIRECTION)})
    if isinstance(part, BudgetLine) and part.category in (
        LineCategory.MEMBER_FEES, LineCategory.PROJECT_FUNDING
    ) and "amount" in data and data["amount"] != part.amount:  # fmt: skip
        raise ValidationError({"amount": ValidationError(COMPUTED_LINE)})
    updated = update_versioned(obj=part, actor=actor, expected_version=expected_version, data=data)
    _touch(plan)
    return updated


def direction_is_locked(direction: Direction) -> bool:
    """A direction is locked once a plan under it is adopted: the adopted plan's goals,
    goal areas and links must read as they were adopted."""
    return Plan.objects.filter(direction=direction, is_locked=True).exists()


def _refuse_if_direction_locked(direction: Direction) -> None:
    Direction.objects.select_for_update().filter(pk=direction.pk).first()
    if direction_is_locked(direction):
        raise RecordLocked(DIRECTION_LOCKED)


@transaction.atomic
def update_direction_part(*, part, actor: User | None, expected_version: int, data: dict):
    """Edit a goal area, goal, strategy or SDG link while no plan under the direction is
    adopted (a concurrent edit is refused)."""
    _refuse_if_direction_locked(part.direction)
    area = data.get("area")
    if area is not None and area.direction_id != part.direction_id:
        raise ValidationError({"area": ValidationError(PART_OF_ANOTHER_DIRECTION)})
    return update_versioned(obj=part, actor=actor, expected_version=expected_version, data=data)


@transaction.atomic
def delete_direction_part(*, part, actor: User | None) -> None:
    """Remove a goal area (with its goals), goal, strategy or SDG link while no plan under
    the direction is adopted; a goal a plan still uses is refused."""
    from django.db.models import ProtectedError

    _refuse_if_direction_locked(part.direction)
    record_history(
        association=part.association, actor=actor, action="deleted", obj=part,
        changes={"direction": (str(part.direction), None)},
    )  # fmt: skip
    try:
        with transaction.atomic():
            part.delete()
    except ProtectedError as error:
        raise ValidationError(GOAL_IN_USE, code="in_use") from error


# --- approval -----------------------------------------------------------------------------


@transaction.atomic
def propose(*, plan: Plan, actor: User | None) -> Plan:
    """The staff's draft goes to the board."""
    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.DRAFT)
    return _set_status(plan, actor, PlanStatus.PROPOSED, proposed_at=timezone.now())


@transaction.atomic
def return_to_draft(*, plan: Plan, actor: User | None) -> Plan:
    """Take a proposed plan back to draft (the board asked for changes)."""
    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.PROPOSED)
    return _set_status(plan, actor, PlanStatus.DRAFT, proposed_at=None, board_proposal=None)


def board_of(association: Association):
    """The body that approves the plan: the board (or Umeåregionen's council)."""
    from governance.models import Body

    return (
        Body.objects.filter(association=association, kind__in=BOARD_KINDS)
        .order_by("kind", "pk")
        .first()
    )


@transaction.atomic
def circulate_to_board(*, plan: Plan, actor: User | None, closes_at: datetime.datetime) -> Plan:
    """Ask the board per capsulam (governance/decisions): each member answers in the
    portal; the proposal passes by the body's own rule, and ``record_board_approval`` then
    takes it as the board's decision."""
    from governance.decisions.services import circulate

    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.PROPOSED)
    board = board_of(plan.association)
    if board is None:
        raise ValidationError(NO_BOARD, code="no_board")
    proposal = circulate(
        body=board, actor=actor, closes_at=closes_at,
        title=str(_("Approval of %(plan)s") % {"plan": plan}),
        text=str(_("The board approves %(plan)s and proposes that the assembly adopts it.")
                 % {"plan": plan}),
    )  # fmt: skip
    plan.board_proposal = proposal
    plan.version += 1
    plan.save(update_fields=["board_proposal", "version"])
    record_history(
        association=plan.association, actor=actor, action="plan_circulated", obj=plan,
        changes={"board_proposal": (None, str(proposal))},
    )  # fmt: skip
    return plan


@transaction.atomic
def record_board_approval(
    *,
    plan: Plan,
    actor: User | None,
    decision=None,
    proposal=None,
) -> Plan:
    """The board approved the plan: at a meeting (its decision, so its minutes paragraph)
    or per capsulam (a passed proposal; by default the one circulated for this plan)."""
    from governance.decisions.models import ProposalStatus

    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.PROPOSED)
    if decision is None and proposal is None:
        proposal = plan.board_proposal
    if (decision is None) == (proposal is None):
        raise ValidationError(ONE_DECISION, code="one_decision")
    if decision is not None:
        body = decision.item.meeting.body
        day = timezone.localdate(decision.item.meeting.starts_at)
    else:
        body = proposal.body
        if proposal.status != ProposalStatus.PASSED:
            raise ValidationError(PROPOSAL_NOT_PASSED, code="not_passed")
        day = timezone.localdate(proposal.closed_at or proposal.closes_at)
    if body.kind not in BOARD_KINDS or body.association_id != plan.association_id:
        raise ValidationError({"decision": ValidationError(NOT_THE_BOARD, code="not_board")})
    if decision is not None and not _adjusted(decision):
        raise ValidationError({"decision": ValidationError(NOT_ADJUSTED, code="not_adjusted")})
    return _set_status(
        plan, actor, PlanStatus.BOARD_APPROVED,
        board_decision=decision, board_proposal=proposal, board_approved_on=day,
    )  # fmt: skip


def _adjusted(decision) -> bool:
    """Whether the decision's paragraph is adjusted: its minutes adjusted, or adjusted at
    once at the meeting (both lock the decision; ``meetings.Decision``)."""
    return bool(decision.is_locked or decision.adjusted_at_once)


def _lock_parts(plan: Plan) -> None:
    # Setting the lock is the one UPDATE the triggers let through.
    for model in (*PART_MODELS.values(), BudgetLine):
        model.objects.filter(plan=plan).update(is_locked=True)


@transaction.atomic
def adopt(
    *,
    plan: Plan,
    actor: User | None,
    adopted_on: datetime.date,
    reference: str = "",
    decision=None,
) -> Plan:
    """The assembly adopted the plan (``reference`` names its decision, e.g. "Förbundsmötet
    2025-11-20 § 7", or ``decision`` is the assembly's decision at a meeting in the portal).
    The plan and every row under it are locked from here on."""
    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.BOARD_APPROVED)
    if decision is not None:
        body = decision.item.meeting.body
        if body.kind != "assembly" or body.association_id != plan.association_id:
            raise ValidationError(
                {"assembly_decision": ValidationError(NOT_THE_ASSEMBLY, code="not_assembly")}
            )
        if not _adjusted(decision):
            raise ValidationError(
                {"assembly_decision": ValidationError(NOT_ADJUSTED, code="not_adjusted")}
            )
    if decision is not None and not reference:
        meeting = decision.item.meeting
        reference = (
            f"{meeting.body} {timezone.localdate(meeting.starts_at)} § {decision.item.number}"
        )
    if not reference.strip():
        raise ValidationError({"reference": ValidationError(ASSEMBLY_REQUIRED)})
    _lock_parts(plan)
    return _set_status(
        plan, actor, PlanStatus.ADOPTED, adopted_on=adopted_on,
        assembly_reference=reference.strip()[:300], assembly_decision=decision, is_locked=True,
    )  # fmt: skip


@transaction.atomic
def publish(*, plan: Plan, actor: User | None) -> PlanPublication:
    """Publish an adopted plan on the public pages. The adopted plan is locked, so the
    publication is a row of its own (``Plan.stage`` reads it)."""
    plan = _lock_for_update(plan)
    _refuse_unless(plan, PlanStatus.ADOPTED)
    if PlanPublication.objects.filter(plan=plan).exists():
        raise ValidationError(WRONG_STATUS, params={"status": PlanStatus.PUBLISHED.label})
    publication = PlanPublication.objects.create(
        association=plan.association, plan=plan,
        published_by=actor if actor and actor.is_authenticated else None,
    )  # fmt: skip
    record_history(
        association=plan.association, actor=actor, action="plan_published", obj=plan,
        changes={"status": (PlanStatus.ADOPTED, PlanStatus.PUBLISHED)},
    )  # fmt: skip
    # The public PDFs are made ahead by the worker, so no visitor waits for them.
    from planning.tasks import make_public_pdfs

    make_public_pdfs.delay_on_commit(plan.association_id, "plan", plan.pk)
    return publication


@transaction.atomic
def start_revision(*, plan: Plan, actor: User | None, reason: str) -> Plan:
    """A change to an adopted plan: a new draft of the same year that supersedes it, with
    the reason, copied from it, approved by the same flow (Umeåregionen revises its plan
    at the council's first meeting each year). The adopted plan stays as it was."""
    plan = _lock_for_update(plan)
    if not plan.is_locked:
        _refuse_unless(plan, PlanStatus.ADOPTED, PlanStatus.PUBLISHED)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED)})
    if Plan.objects.filter(supersedes=plan).exists():
        raise ValidationError(ALREADY_REVISED, code="revised")
    revision = Plan(
        association=plan.association, direction=plan.direction, year=plan.year,
        number=plan.number + 1, supersedes=plan, revision_reason=reason.strip(),
        title=plan.title, introduction=plan.introduction,
    )  # fmt: skip
    revision.full_clean(exclude=["association", "direction", "supersedes"])
    revision.save()
    _copy_parts(plan, revision)
    record_history(
        association=plan.association, actor=actor, action="plan_revision_started",
        obj=revision, changes={"supersedes": (None, str(plan)), "revision_reason": (None, reason)},
    )  # fmt: skip
    return revision


# --- follow-up ----------------------------------------------------------------------------

REPORT_EXISTS = _("The plan already has this report.")
NOT_ADOPTED = _("Only an adopted plan is followed up.")
IMPORT_REFUSED = _("The file was not imported; correct these rows and try again.")


@transaction.atomic
def create_report(*, plan: Plan, actor: User | None, period: str):
    """A tertial report, or the annual report compiled from the tertials: each goal's and
    activity's latest status with the tertials' comments, the latest indicator values and
    budget outcomes, and the tertials' summaries; staff then edit it."""
    from planning.models import (
        BudgetOutcome,
        FollowUpReport,
        IndicatorValue,
        Period,
        StatusEntry,
    )

    if not plan.is_locked:
        raise ValidationError(NOT_ADOPTED, code="not_adopted")
    report = FollowUpReport(association=plan.association, plan=plan, period=period)
    report.full_clean(exclude=["association", "plan"])
    if FollowUpReport.objects.filter(plan=plan, period=period).exists():
        raise ValidationError(REPORT_EXISTS, code="exists")
    report.save()
    goals = list(Goal.objects.filter(direction=plan.direction_id).values_list("pk", flat=True))
    activities = list(Activity.objects.filter(plan=plan).values_list("pk", flat=True))
    compiled: dict[tuple[str, int], dict] = {}
    if period == Period.ANNUAL:
        tertials = FollowUpReport.objects.filter(
            plan=plan, period__in=[Period.TERTIAL_1, Period.TERTIAL_2], correction__isnull=True
        )
        tertials = list(tertials.order_by("period"))
        summaries = [f"{t.get_period_display()}:\n{t.summary}" for t in tertials if t.summary]
        report.summary = "\n\n".join(summaries)
        report.save(update_fields=["summary"])
        for entry in StatusEntry.objects.filter(report__in=tertials).select_related("report"):
            key = ("goal", entry.goal_id) if entry.goal_id else ("activity", entry.activity_id)
            row = compiled.setdefault(key, {"status": "", "comments": []})
            if entry.status:
                row["status"] = entry.status  # tertials in order: the latest wins
            if entry.comment:
                row["comments"].append(f"{entry.report.get_period_display()}: {entry.comment}")
        latest = tertials[-1] if tertials else None
        if latest is not None:
            IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    association=plan.association,
                    report=report,
                    indicator_id=v.indicator_id,
                    value=v.value,
                )
                for v in IndicatorValue.objects.filter(report=latest)
            )
            BudgetOutcome.objects.bulk_create(
                BudgetOutcome(
                    association=plan.association,
                    report=report,
                    category=o.category,
                    amount=o.amount,
                )
                for o in BudgetOutcome.objects.filter(report=latest)
            )
    rows = []
    for kind, ids in (("goal", goals), ("activity", activities)):
        for pk in ids:
            found = compiled.get((kind, pk), {"status": "", "comments": []})
            rows.append(
                StatusEntry(
                    association=plan.association,
                    report=report,
                    status=found["status"],
                    comment="\n".join(found["comments"])[:4000],
                    **{f"{kind}_id": pk},
                )
            )
    StatusEntry.objects.bulk_create(rows)
    record_history(
        association=plan.association, actor=actor, action="created", obj=report,
        changes={"period": (None, period), "plan": (None, str(plan))},
    )  # fmt: skip
    return report


@transaction.atomic
def save_statuses(*, report, actor: User | None, entries: dict[int, tuple[str, str]]) -> int:
    """Many statuses at once: ``entries`` maps a StatusEntry id of the report to (status,
    comment). Returns how many changed; the history lists each change."""
    from planning.models import Progress, StatusEntry

    _refuse_if_published(report)
    changes = {}
    rows = StatusEntry.objects.select_for_update().filter(report=report, pk__in=list(entries))
    changed = []
    for row in rows:
        status, comment = entries[row.pk]
        if status and status not in Progress.values:
            raise ValidationError(_("Unknown status."), code="status")
        if (row.status, row.comment) != (status, comment):
            changes[f"status {row.pk}"] = (f"{row.status} {row.comment}"[:200],
                                           f"{status} {comment}"[:200])  # fmt: skip
            row.status, row.comment = status, comment
            changed.append(row)
    StatusEntry.objects.bulk_update(changed, ["status", "comment"])
    if changed:
        report.version += 1
        report.save(update_fields=["version"])
        record_history(association=report.association, actor=actor, action="updated",
                       obj=report, changes=changes)  # fmt: skip
    return len(changed)


IMPORT_GONE = _("This import is no longer waiting for confirmation.")


@transaction.atomic
def stage_outcome_import(*, report, actor: User | None, content: bytes, file_name: str):
    """Parse a CSV or XLSX file of budget outcomes and indicator values and keep what it
    says, server-side, for the preview. A file with any bad row raises ValidationError
    listing every bad row, and nothing is kept."""
    from planning.imports import parse_outcomes
    from planning.models import OutcomeImport

    _refuse_if_published(report)
    indicators = {
        name.lower(): pk
        for pk, name in Indicator.objects.filter(plan=report.plan_id).values_list("pk", "name")
    }
    parsed = parse_outcomes(content, file_name=file_name, indicators=indicators)
    if not parsed.ok:
        messages = [
            _("Row %(line)s: %(message)s") % {"line": line, "message": message} if line
            else message
            for line, message in parsed.errors
        ]  # fmt: skip
        raise ValidationError([IMPORT_REFUSED, *messages], code="import_refused")
    return OutcomeImport.objects.create(
        association=report.association, report=report, file_name=file_name[:255],
        lines=parsed.lines, indicators={str(k): str(v) for k, v in parsed.indicators.items()},
        created_by=actor if actor and actor.is_authenticated else None,
    )  # fmt: skip


@transaction.atomic
def apply_outcome_import(*, outcome_import, actor: User | None) -> dict[str, int]:
    """Write the previewed figures to the report, all or nothing."""
    from planning.models import (
        BudgetOutcome,
        FollowUpReport,
        IndicatorValue,
        OutcomeImport,
        OutcomeImportStatus,
    )

    staged = OutcomeImport.objects.select_for_update().get(pk=outcome_import.pk)
    if staged.status != OutcomeImportStatus.PENDING:
        raise ValidationError(IMPORT_GONE, code="gone")
    report = FollowUpReport.objects.select_for_update().get(pk=staged.report_id)
    _refuse_if_published(report)
    for category, amount in staged.lines.items():
        BudgetOutcome.objects.update_or_create(
            association=report.association, report=report, category=category,
            defaults={"amount": int(amount)},
        )  # fmt: skip
    own = set(Indicator.objects.filter(plan=report.plan_id).values_list("pk", flat=True))
    for indicator_id, value in staged.indicators.items():
        if int(indicator_id) not in own:  # removed since the preview: refuse it all
            raise ValidationError(IMPORT_GONE, code="gone")
        IndicatorValue.objects.update_or_create(
            association=report.association, report=report, indicator_id=int(indicator_id),
            defaults={"value": Decimal(value)},
        )  # fmt: skip
    staged.status = OutcomeImportStatus.APPLIED
    staged.applied_at = timezone.now()
    staged.save(update_fields=["status", "applied_at"])
    report.version += 1
    report.save(update_fields=["version"])
    counts = {"lines": len(staged.lines), "indicators": len(staged.indicators)}
    record_history(
        association=report.association, actor=actor, action="figures_imported", obj=report,
        changes={"file": (None, staged.file_name[:100]), "lines": (None, counts["lines"]),
                 "indicators": (None, counts["indicators"])},
    )  # fmt: skip
    return counts


@transaction.atomic
def discard_outcome_import(*, outcome_import, actor: User | None) -> None:
    from planning.models import OutcomeImport, OutcomeImportStatus

    staged = OutcomeImport.objects.select_for_update().get(pk=outcome_import.pk)
    if staged.status != OutcomeImportStatus.PENDING:
        raise ValidationError(IMPORT_GONE, code="gone")
    staged.status = OutcomeImportStatus.DISCARDED
    staged.save(update_fields=["status"])


def discard_stale_outcome_imports(*, association, older_than: datetime.timedelta) -> int:
    """Discard the association's outcome files nobody confirmed, dropping their parsed
    figures; a discarded preview can no longer be confirmed."""
    from planning.models import OutcomeImport, OutcomeImportStatus

    cutoff = timezone.now() - older_than
    return OutcomeImport.objects.filter(
        association=association, status=OutcomeImportStatus.PENDING, created_at__lt=cutoff
    ).update(status=OutcomeImportStatus.DISCARDED, lines={}, indicators={})


@transaction.atomic
def import_outcomes(*, report, actor: User | None, content: bytes, file_name: str):
    """Stage and apply at once (scripts and tests; the page previews first)."""
    staged = stage_outcome_import(report=report, actor=actor, content=content, file_name=file_name)
    return apply_outcome_import(outcome_import=staged, actor=actor)


@transaction.atomic
def update_report(*, report, actor: User | None, expected_version: int, data: dict):
    _refuse_if_published(report)
    return update_versioned(obj=report, actor=actor, expected_version=expected_version, data=data)


def _refuse_if_published(report) -> None:
    from planning.models import FollowUpReport

    if FollowUpReport._base_manager.filter(pk=report.pk, is_locked=True).exists():
        raise RecordLocked(FollowUpReport.locked_message)


REPORT_PUBLISHED = _("The report is already published.")
REPORT_CORRECTED = _("This version already has a correction.")
CORRECTION_REASON_REQUIRED = _("Give the reason for the correction.")


@transaction.atomic
def publish_report(*, report, actor: User | None):
    """Publish the report on the public pages and lock it with its rows (a published
    correction takes the place of the version it corrects there)."""
    from planning.models import BudgetOutcome, FollowUpReport, IndicatorValue, StatusEntry

    report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
    if report.is_locked:
        raise ValidationError(REPORT_PUBLISHED, code="published")
    for model in (StatusEntry, IndicatorValue, BudgetOutcome):
        model.objects.filter(report=report).update(is_locked=True)
    # The one UPDATE the trigger lets through: the row was not locked yet.
    FollowUpReport.objects.filter(pk=report.pk).update(
        is_published=True, is_locked=True, version=report.version + 1
    )
    report.refresh_from_db()
    record_history(
        association=report.association, actor=actor, action="report_published", obj=report,
        changes={"is_published": (False, True)},
    )  # fmt: skip
    from planning.tasks import make_public_pdfs

    # Its public PDFs are made ahead once this commits, so no visitor waits for them.
    make_public_pdfs.delay_on_commit(report.association_id, "report", report.pk)
    return report


@transaction.atomic
def correct_report(*, report, actor: User | None, reason: str):
    """A correction of a published report: a new, unpublished version copied from it with
    the reason; edited and published as the first. The published version stays as it was."""
    from planning.models import BudgetOutcome, FollowUpReport, IndicatorValue, StatusEntry

    report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_locked:
        raise ValidationError(WRONG_STATUS, params={"status": _("not published")}, code="draft")
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(CORRECTION_REASON_REQUIRED)})
    if FollowUpReport.objects.filter(supersedes=report).exists():
        raise ValidationError(REPORT_CORRECTED, code="corrected")
    correction = FollowUpReport.objects.create(
        association=report.association, plan=report.plan, period=report.period,
        number=report.number + 1, supersedes=report, correction_reason=reason.strip()[:2000],
        summary=report.summary,
    )  # fmt: skip
    copies = (
        (StatusEntry, ["goal_id", "activity_id", "status", "comment"]),
        (IndicatorValue, ["indicator_id", "value"]),
        (BudgetOutcome, ["category", "amount"]),
    )
    for model, fields in copies:
        model.objects.bulk_create(
            model(association=report.association, report=correction,
                  **{f: getattr(row, f) for f in fields})
            for row in model.objects.filter(report=report)
        )  # fmt: skip
    record_history(
        association=report.association, actor=actor, action="report_correction_started",
        obj=correction,
        changes={"supersedes": (None, str(report)), "correction_reason": (None, reason.strip())},
    )  # fmt: skip
    return correction


# --- the networks' work -------------------------------------------------------------------

NO_PLAN_PROMISES = _("The plan has no promises to ask about.")
FEEDBACK_EXISTS = _("The feedback round on these promises is already open.")
ROUND_DOES_NOT_MATCH = _("The round asks about %(round)s promises; the plan has %(plan)s.")


def _link_round_promises(plan: Plan, actor: User | None, promises: list, feedback_round) -> None:
    from networks.models import FeedbackPromise
    from planning.models import PromiseFeedback

    asked = list(FeedbackPromise.objects.filter(round=feedback_round).order_by("position"))
    if len(asked) != len(promises):
        raise ValidationError(
            ROUND_DOES_NOT_MATCH, code="mismatch",
            params={"round": len(asked), "plan": len(promises)},
        )  # fmt: skip
    PromiseFeedback.objects.bulk_create(
        PromiseFeedback(association=plan.association, promise=promise, feedback_promise=row)
        for promise, row in zip(promises, asked, strict=True)
    )
    record_history(
        association=plan.association, actor=actor, action="feedback_round_linked", obj=plan,
        changes={"feedback_round": (None, str(feedback_round))},
    )  # fmt: skip


def _promises_to_ask(plan: Plan) -> list[Promise]:
    from planning.models import PromiseFeedback

    promises = list(Promise.objects.filter(plan=plan).order_by("position", "pk"))
    if not promises:
        raise ValidationError(NO_PLAN_PROMISES, code="no_promises")
    if PromiseFeedback.objects.filter(promise__plan=plan).exists():
        raise ValidationError(FEEDBACK_EXISTS, code="feedback_exists")
    return promises


@transaction.atomic
def open_promise_feedback(
    *,
    plan: Plan,
    actor: User | None,
    closes_at: datetime.datetime,
    networks=(),
    bodies=(),
    title: str = "",
):
    """Open the networks' feedback round on the plan's promises (their texts, in order)
    and link each promise to the round's question about it; the annual report then shows
    the networks' results (``queries.promise_feedback``)."""
    from networks.services import open_feedback_round

    plan = _lock_for_update(plan)
    promises = _promises_to_ask(plan)
    feedback_round = open_feedback_round(
        association=plan.association, actor=actor,
        title=title.strip() or str(_("Our promises %(year)s") % {"year": plan.year}),
        year=plan.year, closes_at=closes_at,
        promises=[f"{p.title}: {p.text}" if p.text else p.title for p in promises],
        networks=networks, bodies=bodies,
    )  # fmt: skip
    _link_round_promises(plan, actor, promises, feedback_round)
    return feedback_round


@transaction.atomic
def link_feedback_round(*, plan: Plan, actor: User | None, feedback_round) -> None:
    """Link a round already opened in the networks app (its promises in the plan's order)."""
    if feedback_round.association_id != plan.association_id:
        raise ValidationError(ROUND_DOES_NOT_MATCH, params={"round": 0, "plan": 0})
    _link_round_promises(plan, actor, _promises_to_ask(plan), feedback_round)


@transaction.atomic
def link_assignment(*, goal: Goal, actor: User | None, assignment) -> None:
    """Say which goal of the direction a networks assignment serves (one goal each; a new
    link replaces the old)."""
    from planning.models import AssignmentGoal

    if assignment.association_id != goal.association_id:
        raise ValidationError(PART_OF_ANOTHER_DIRECTION, code="other_association")
    link, created = AssignmentGoal.objects.update_or_create(
        association=goal.association, assignment=assignment, defaults={"goal": goal}
    )
    record_history(
        association=goal.association, actor=actor, action="created" if created else "updated",
        obj=link, changes={"assignment": (None, str(assignment)), "goal": (None, str(goal))},
    )  # fmt: skip
