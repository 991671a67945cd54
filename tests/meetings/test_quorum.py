"""The per-item rules without a database: who is present, who takes part, quorum, votes."""

from types import SimpleNamespace

import pytest

from governance.meetings.quorum import (
    ADOPTED,
    REJECTED,
    TIED,
    Presence,
    count_votes,
    item_quorum,
    present_at,
    vote_outcome,
    voters_at,
)
from governance.models import Body, QuorumRule

# Five members (1-5), two substitutes (11, 12), a secretary (20).
ROLL = [
    Presence(1, "chair"),
    Presence(2, "member"),
    Presence(3, "member", arrived=3),  # arrived before item 3
    Presence(4, "member", left=2),  # left after item 2
    Presence(5, "member", present=False),
    Presence(11, "substitute", serves_for=5),
    Presence(12, "substitute"),  # present, serving for nobody
    Presence(20, "secretary"),
]


def body(rule=QuorumRule.MORE_THAN_HALF):
    return Body(quorum_rule=rule)


def test_present_follows_arrivals_and_departures():
    assert present_at(ROLL, 1) == {1, 2, 4, 11, 12, 20}
    assert present_at(ROLL, 3) == {1, 2, 3, 11, 12, 20}
    assert present_at(ROLL, 2) == {1, 2, 4, 11, 12, 20}


def test_voters_are_members_present_and_serving_substitutes():
    assert voters_at(ROLL, 1) == {1, 2, 4, 11}
    assert voters_at(ROLL, 3) == {1, 2, 3, 11}


def test_jav_takes_the_member_out_of_the_decision_and_the_count():
    assert voters_at(ROLL, 1, conflicted={2}) == {1, 4, 11}
    assert item_quorum(body(), 5, ROLL, 1, conflicted={2}).count == 3


def test_a_late_member_takes_over_from_the_substitute():
    roll = [Presence(1, "member"), Presence(5, "member", arrived=2), Presence(11, "substitute",
            serves_for=5)]  # fmt: skip
    assert voters_at(roll, 1) == {1, 11}
    assert voters_at(roll, 2) == {1, 5}


def test_quorum_per_item_with_departures_and_jav():
    # Five members: more than half is three.
    assert item_quorum(body(), 5, ROLL, 1).reached  # 1, 2, 4, 11
    assert item_quorum(body(), 5, ROLL, 1, conflicted={1, 2}).reached is False  # 4, 11
    roll = [Presence(1, "chair"), Presence(2, "member"), Presence(3, "member", left=1)]
    assert item_quorum(body(), 5, roll, 1).reached
    quorum = item_quorum(body(), 5, roll, 2)
    assert (quorum.count, quorum.required, quorum.reached) == (2, 3, False)


@pytest.mark.parametrize(
    ("rule", "members", "required"),
    [
        (QuorumRule.MORE_THAN_HALF, 4, 3),
        (QuorumRule.MORE_THAN_HALF, 5, 3),
        (QuorumRule.AT_LEAST_HALF, 4, 2),
        (QuorumRule.TWO_THIRDS, 6, 4),
        (QuorumRule.ALL, 7, 7),
    ],
)
def test_the_bodys_rule_sets_the_number(rule, members, required):
    assert item_quorum(body(rule), members, [], 1).required == required


@pytest.mark.parametrize(
    ("yes", "no", "casting", "outcome"),
    [
        (3, 2, "", ADOPTED),
        (2, 3, "", REJECTED),
        (2, 3, "yes", REJECTED),  # the casting vote decides ties only
        (2, 2, "", TIED),
        (2, 2, "yes", ADOPTED),
        (2, 2, "no", REJECTED),
        (0, 0, "no", REJECTED),
    ],
)
def test_every_vote_outcome(yes, no, casting, outcome):
    assert vote_outcome(yes, no, casting) == outcome


def test_abstentions_are_counted_apart():
    counts = count_votes(["yes", "abstain", "no", "yes", "abstain"])
    assert counts == {"yes": 2, "no": 1, "abstain": 2}
    assert vote_outcome(counts["yes"], counts["no"]) == ADOPTED


def test_body_stub_is_not_needed_beyond_quorum():
    stub = SimpleNamespace(quorum=lambda members: 2)
    assert item_quorum(stub, 3, [Presence(1, "member"), Presence(2, "member")], 1).reached
