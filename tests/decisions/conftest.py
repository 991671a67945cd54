import datetime
from zoneinfo import ZoneInfo

import pytest

from association.tenancy import scopes_disabled
from tests import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NORRBOTTEN = ["2505", "2506", "2510", "2513", "2514", "2518", "2521", "2523", "2560", "2580",
              "2581", "2582", "2583", "2584"]  # fmt: skip


@pytest.fixture
def board(association):
    return factories.make_body(association, "styrelse", kind="board", name="Styrelsen")


@pytest.fixture
def past_meeting(board):
    """A board meeting in May 2026 whose notice went out."""
    return factories.make_meeting(
        board, datetime.datetime(2026, 5, 12, 10, tzinfo=STOCKHOLM), notice=True
    )


@pytest.fixture
def members(association):
    return [factories.make_membership(association, code) for code in NORRBOTTEN[:5]]


def members_of(association, count: int):
    """``count`` member municipalities (the first codes of the register)."""
    from members.models import Municipality

    with scopes_disabled():
        codes = list(Municipality.objects.order_by("code").values_list("code", flat=True)[:count])
    return [factories.make_membership(association, code) for code in codes]


@pytest.fixture
def recommendation(past_meeting):
    item = factories.make_item(past_meeting, "Rekommendation om gemensam upphandling")
    return factories.make_decision(
        item, "Styrelsen rekommenderar kommunerna att delta i upphandlingen.",
        is_recommendation=True, is_locked=True,
    )  # fmt: skip
