from datetime import date

import pytest

from association.tenancy import scopes_disabled
from tests import factories


def make_direction(association, first_year=2023, **fields):
    from planning import services

    fields.setdefault("title", f"Inriktning {first_year}–{first_year + 3}")
    with scopes_disabled():
        direction = services.create_direction(
            association=association, actor=None, first_year=first_year,
            last_year=first_year + 3, vision="En stark region", **fields,
        )  # fmt: skip
        area = services.add_goal_area(direction=direction, actor=None, title="Attraktiv region")
        services.add_goal(direction=direction, actor=None, area=area,
                          text="Vi bidrar till en god livsmiljö.")  # fmt: skip
        services.link_sdg(direction=direction, actor=None, number=11, is_primary=True)
    return direction


def make_plan(association, year=2025, direction=None):
    from planning import services

    direction = direction or make_direction(association)
    with scopes_disabled():
        plan = services.create_plan(direction=direction, actor=None, year=year)
        goal = direction.goals.first()
        services.add_part(plan=plan, actor=None, kind="activity", title="Regional dialog",
                          goal=goal)  # fmt: skip
        services.add_part(plan=plan, actor=None, kind="promise", title="Vi lyssnar")
    return plan


@pytest.fixture
def direction(association):
    return make_direction(association)


@pytest.fixture
def plan(association, direction):
    return make_plan(association, direction=direction)


@pytest.fixture
def board(association):
    return factories.make_body(association, "styrelse", kind="board")


@pytest.fixture
def board_decision(board):
    meeting = factories.make_meeting(board)
    item = factories.make_item(meeting)
    return factories.make_decision(item, is_locked=True)


@pytest.fixture
def editor(association):
    return factories.make_staff(association, "editor", "redaktor@example.org")


def adopted(plan, decision):
    from planning import services

    with scopes_disabled():
        plan = services.propose(plan=plan, actor=None)
        plan = services.record_board_approval(plan=plan, actor=None, decision=decision)
        return services.adopt(plan=plan, actor=None, adopted_on=date(2024, 11, 20),
                              reference="Förbundsmötet 2024-11-20 § 7")  # fmt: skip
