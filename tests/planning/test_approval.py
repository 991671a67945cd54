"""The plan's approval flow: each step from the right state only, the board's decision at a
meeting or per capsulam, the lock after adoption (application and database), revisions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from association.locking import RecordLocked
from association.tenancy import scopes_disabled
from planning import services
from planning.models import Activity, BudgetLine, Plan, PlanStatus, Promise
from tests import factories
from tests.planning.conftest import adopted

pytestmark = pytest.mark.django_db


def test_steps_go_in_order(plan, board_decision):
    with scopes_disabled():
        with pytest.raises(ValidationError):
            services.adopt(plan=plan, actor=None, adopted_on=date(2024, 11, 20), reference="§ 1")
        with pytest.raises(ValidationError):
            services.record_board_approval(plan=plan, actor=None, decision=board_decision)
        plan = services.propose(plan=plan, actor=None)
        assert plan.status == PlanStatus.PROPOSED
        with pytest.raises(ValidationError):
            services.propose(plan=plan, actor=None)
        with pytest.raises(ValidationError):  # neither a decision nor a proposal
            services.record_board_approval(plan=plan, actor=None)
        plan = services.record_board_approval(plan=plan, actor=None, decision=board_decision)
        assert plan.status == PlanStatus.BOARD_APPROVED
        assert plan.board_decision == board_decision
        with pytest.raises(ValidationError):  # the assembly's decision must be named
            services.adopt(plan=plan, actor=None, adopted_on=date(2024, 11, 20))
        plan = services.adopt(plan=plan, actor=None, adopted_on=date(2024, 11, 20),
                              reference="Förbundsmötet § 7")  # fmt: skip
        assert plan.status == PlanStatus.ADOPTED and plan.is_locked
        services.publish(plan=plan, actor=None)
        plan = Plan.objects.select_related("publication").get(pk=plan.pk)
        assert plan.stage == PlanStatus.PUBLISHED
        with pytest.raises(ValidationError):
            services.publish(plan=plan, actor=None)
        from association.models import AuditEntry

        actions = list(
            AuditEntry.objects.filter(object_type="planning.plan", object_id=str(plan.pk))
            .order_by("pk").values_list("action", flat=True)
        )  # fmt: skip
    assert actions == ["created", "plan_proposed", "plan_board_approved", "plan_adopted",
                       "plan_published"]  # fmt: skip


def test_a_decision_of_another_body_is_not_the_boards(association, plan):
    group = factories.make_body(association, "grupp", kind="steering_group")
    item = factories.make_item(factories.make_meeting(group))
    decision = factories.make_decision(item)
    with scopes_disabled():
        plan = services.propose(plan=plan, actor=None)
        with pytest.raises(ValidationError) as raised:
            services.record_board_approval(plan=plan, actor=None, decision=decision)
    assert raised.value.error_dict["decision"][0].code == "not_board"


def test_a_board_decision_of_another_association_is_refused(association, plan):
    other = factories.make_association("annat")
    item = factories.make_item(
        factories.make_meeting(factories.make_body(other, "s", kind="board"))
    )
    decision = factories.make_decision(item, is_locked=True)
    with scopes_disabled():
        plan = services.propose(plan=plan, actor=None)
        with pytest.raises(ValidationError) as raised:
            services.record_board_approval(plan=plan, actor=None, decision=decision)
    assert raised.value.error_dict["decision"][0].code == "not_board"


def test_an_unadjusted_board_decision_is_refused_and_at_once_adjusted_taken(
    association, plan, board
):
    meeting = factories.make_meeting(board)
    open_decision = factories.make_decision(factories.make_item(meeting, "Plan"))
    at_once = factories.make_decision(factories.make_item(meeting, "Plan 2"), adjusted_at_once=True)
    with scopes_disabled():
        plan = services.propose(plan=plan, actor=None)
        with pytest.raises(ValidationError) as raised:
            services.record_board_approval(plan=plan, actor=None, decision=open_decision)
        assert raised.value.error_dict["decision"][0].code == "not_adjusted"
        plan = services.record_board_approval(plan=plan, actor=None, decision=at_once)
    assert plan.status == PlanStatus.BOARD_APPROVED


def test_adoption_only_by_an_adjusted_assembly_decision(association, plan, board, board_decision):
    assembly = factories.make_body(association, "stamma", kind="assembly")
    meeting = factories.make_meeting(assembly)
    board_item = factories.make_item(factories.make_meeting(board), "Antagande")
    by_board = factories.make_decision(board_item, is_locked=True)
    unadjusted = factories.make_decision(
        factories.make_item(factories.make_meeting(assembly), "VP")
    )
    good = factories.make_decision(factories.make_item(meeting, "VP"), is_locked=True)
    with scopes_disabled():
        plan = services.propose(plan=plan, actor=None)
        plan = services.record_board_approval(plan=plan, actor=None, decision=board_decision)
        for wrong, code in ((by_board, "not_assembly"), (unadjusted, "not_adjusted")):
            with pytest.raises(ValidationError) as raised:
                services.adopt(plan=plan, actor=None, adopted_on=date(2024, 11, 20), decision=wrong)
            assert raised.value.error_dict["assembly_decision"][0].code == code
        plan = services.adopt(plan=plan, actor=None, adopted_on=date(2024, 11, 20), decision=good)
    assert plan.assembly_decision == good
    assert "§" in plan.assembly_reference


def test_board_approval_per_capsulam(association, plan, board):
    """Circulated to the board's members; approval needs the proposal to have passed."""
    from governance.decisions import services as decisions
    from governance.decisions.models import Answer

    people = [factories.make_person(association, user=factories.make_user()) for _ in range(3)]
    seat = factories.make_post(board, members=3)
    for person in people:
        factories.assign(board, person, seat=seat, **_span())
    with scopes_disabled():
        plan = services.propose(plan=plan, actor=None)
        plan = services.circulate_to_board(
            plan=plan, actor=None, closes_at=timezone.now() + timedelta(days=3)
        )
        proposal = plan.board_proposal
        with pytest.raises(ValidationError) as raised:
            services.record_board_approval(plan=plan, actor=None)
        assert raised.value.code == "not_passed"
        for person in people:
            decisions.answer(proposal=proposal, user=person.user, yes=True)
        proposal = decisions.close(proposal=proposal, now=proposal.closes_at)
        assert proposal.status == "passed"
        assert Answer.objects.filter(proposal=proposal, answer=True).count() == 3
        plan = services.record_board_approval(plan=plan, actor=None)
    assert plan.status == PlanStatus.BOARD_APPROVED
    assert plan.board_proposal == proposal


def _span():
    from tests.factories import TERM_END, TERM_START

    return {"starts_on": TERM_START, "ends_on": TERM_END}


def test_an_adopted_plan_is_locked_in_the_application(plan, board_decision):
    plan = adopted(plan, board_decision)
    with scopes_disabled():
        plan.title = "Ändrad"
        with pytest.raises(RecordLocked):
            plan.save()
        activity = Activity.objects.get(plan=plan)
        activity.title = "Ändrad"
        with pytest.raises(RecordLocked):
            activity.save()
        with pytest.raises(RecordLocked):
            BudgetLine.objects.filter(plan=plan).first().delete()
        with pytest.raises(ValidationError):
            services.add_part(plan=plan, actor=None, kind="promise", title="Nytt löfte")
        with pytest.raises(ValidationError):
            services.set_budget(plan=plan, actor=None, amounts={"staff": 1})


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE planning_plan SET title = 'x' WHERE id = %(plan)s",
        "DELETE FROM planning_plan WHERE id = %(plan)s",
        "UPDATE planning_activity SET title = 'x' WHERE plan_id = %(plan)s",
        "DELETE FROM planning_promise WHERE plan_id = %(plan)s",
        "UPDATE planning_budgetline SET amount = 1 WHERE plan_id = %(plan)s",
        "INSERT INTO planning_challenge (association_id, plan_id, position, is_locked, title, text)"
        " VALUES (%(association)s, %(plan)s, 9, false, 'x', '')",
    ],
)
def test_an_adopted_plan_is_locked_in_the_database(plan, board_decision, sql):
    plan = adopted(plan, board_decision)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"plan": plan.pk, "association": plan.association_id})


def test_orm_bulk_update_of_an_adopted_plan_is_refused(plan, board_decision):
    plan = adopted(plan, board_decision)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Promise.objects.filter(plan=plan).update(title="x")


def test_a_revision_goes_through_the_same_flow(plan, board_decision):
    plan = adopted(plan, board_decision)
    with scopes_disabled():
        with pytest.raises(ValidationError):
            services.start_revision(plan=plan, actor=None, reason=" ")
        revision = services.start_revision(
            plan=plan, actor=None, reason="Rådets första möte: nya uppdrag"
        )
        assert (revision.number, revision.status, revision.supersedes) == (2, "draft", plan)
        assert not revision.is_locked
        assert list(Activity.objects.filter(plan=revision).values_list("title", flat=True)) == [
            "Regional dialog"
        ]
        services.add_part(plan=revision, actor=None, kind="promise", title="Nytt löfte")
        with pytest.raises(ValidationError):
            services.start_revision(plan=plan, actor=None, reason="igen")
        revision = services.propose(plan=revision, actor=None)
        with pytest.raises(ValidationError):  # not yet approved by the board
            services.adopt(plan=revision, actor=None, adopted_on=date(2025, 2, 1), reference="x")
        # The adopted plan stays as it was.
        assert Promise.objects.filter(plan=plan).count() == 1
        assert Plan.objects.get(pk=plan.pk).is_locked


def test_starting_a_year_copies_last_years_plan(association, plan):
    with scopes_disabled():
        services.set_budget(
            plan=plan, actor=None, amounts={"staff": 4_000_000, "premises": 300_000}
        )
        next_year = services.start_year(direction=plan.direction, actor=None, year=2026)
        assert next_year.year == 2026 and next_year.status == PlanStatus.DRAFT
        assert Activity.objects.filter(plan=next_year).count() == 1
        assert BudgetLine.objects.get(plan=next_year, category="staff").amount == 4_000_000
        with pytest.raises(ValidationError):  # outside the direction 2023–2026
            services.create_plan(direction=plan.direction, actor=None, year=2027)
        with pytest.raises(ValidationError):  # nothing in 2023 to copy
            services.start_year(direction=plan.direction, actor=None, year=2024)
