"""Who is there for each item, whether the body may decide, and what a vote decided.

Pure functions over plain values, so the rules are tested without a database:

- A person is *present at* an item when recorded present, arrived before that item or
  earlier (``arrived`` is the position of the first item they were there for, ``None``: from
  the start) and left after it or later (``left``: the last item's position, ``None``: to
  the end).
- A *voter* at an item is a present member (chair, vice chair, member), or a present
  substitute serving for a member who is not present at that item: when the member arrives
  the substitute stops serving. A person with a declared conflict of interest (jäv) on the
  item takes no part and is not counted.
- *Quorum*: the body's rule (``Body.quorum(members)``, by default more than half) applied to
  the number of members of the body on the meeting's day; the voters at the item must
  reach it.
- A *vote* by name: more yes than no adopts the proposal, more no rejects it; a tie is
  decided by the chair's casting vote (ordförandens utslagsröst, Kommunallagen 5 kap. 57 §
  for the assembly, 6 kap. 33 § for committees); abstentions do not count.
"""

from collections.abc import Iterable
from dataclasses import dataclass

MEMBER_ROLES = frozenset({"chair", "vice_chair", "member"})

ADOPTED = "adopted"
REJECTED = "rejected"
TIED = "tied"  # a tie without the chair's casting vote: not yet decided


@dataclass(frozen=True)
class Presence:
    person_id: int
    role: str
    present: bool = True
    serves_for: int | None = None
    arrived: int | None = None  # position of the first item the person was there for
    left: int | None = None  # position of the last item the person was there for


def is_present_at(row: Presence, position: int) -> bool:
    if not row.present:
        return False
    if row.arrived is not None and position < row.arrived:
        return False
    return not (row.left is not None and position > row.left)


def present_at(rows: Iterable[Presence], position: int) -> set[int]:
    """Everybody recorded present at the item in ``position``."""
    return {row.person_id for row in rows if is_present_at(row, position)}


def voters_at(rows: Iterable[Presence], position: int, conflicted: Iterable[int] = ()) -> set[int]:
    """The people who take part in the decision of the item in ``position``."""
    rows = list(rows)
    here = {row.person_id for row in rows if is_present_at(row, position)}
    excluded = set(conflicted)
    voters = set()
    for row in rows:
        if row.person_id not in here or row.person_id in excluded:
            continue
        serving = row.serves_for is not None and row.serves_for not in here
        if row.role in MEMBER_ROLES or serving:
            voters.add(row.person_id)
    return voters


@dataclass(frozen=True)
class ItemQuorum:
    voters: frozenset[int]
    required: int

    @property
    def count(self) -> int:
        return len(self.voters)

    @property
    def reached(self) -> bool:
        return self.count >= self.required


def item_quorum(
    body, members: int, rows: Iterable[Presence], position: int, conflicted: Iterable[int] = ()
) -> ItemQuorum:
    """The voters at the item and the number the body's rule requires."""
    return ItemQuorum(frozenset(voters_at(rows, position, conflicted)), body.quorum(members))


def vote_outcome(yes: int, no: int, casting_vote: str = "") -> str:
    """``ADOPTED``, ``REJECTED`` or, for a tie without a casting vote, ``TIED``."""
    if yes > no:
        return ADOPTED
    if no > yes:
        return REJECTED
    if casting_vote == "yes":
        return ADOPTED
    if casting_vote == "no":
        return REJECTED
    return TIED


def count_votes(choices: Iterable[str]) -> dict[str, int]:
    counts = {"yes": 0, "no": 0, "abstain": 0}
    for choice in choices:
        counts[choice] = counts.get(choice, 0) + 1
    return counts
