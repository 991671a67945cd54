"""Every change to recommendations' answers and to per capsulam proposals: one transaction
each, with history."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from association.calendar import STOCKHOLM
from association.models import User
from association.notifications.services import notify
from association.services import ConcurrentEditError, record_history
from governance.decisions import queries
from governance.decisions.models import (
    DECIDED_OUTCOMES,
    Answer,
    MemberResponse,
    PerCapsulamRule,
    PerCapsulamSettings,
    Proposal,
    ProposalStatus,
)
from governance.meetings.models import AgendaItem, Decision, Meeting
from governance.models import MEMBER_ROLES, Assignment, Body, Person, Role

NOT_A_RECOMMENDATION = _("This decision is not a recommendation to the member municipalities.")
NOT_A_MEMBER_MUNICIPALITY = _(
    "A municipality in the form was not a member on the day of the decision; reload the page."
)
DATE_NEEDED = _("Give the date the council decided.")
OUTCOME_NEEDED = _("Choose the outcome the date belongs to.")
BEFORE_RECOMMENDATION = _("The council cannot have decided before the recommendation (%(day)s).")
IN_THE_FUTURE = _("The date cannot be in the future.")
CLOSES_IN_THE_PAST = _("The closing time must be in the future.")
CLOSES_TOO_LATE = _("A proposal may be open for at most 90 days.")
NO_MEMBERS = _("The body has no members today to answer a proposal.")
NOT_A_MEMBER = _("Only the body's members on the day the proposal was circulated may answer.")
CLOSED = _("The proposal is closed; answers can no longer be given or changed.")
NOT_PASSED = _("Only a passed proposal becomes a decision.")
ALREADY_ATTACHED = _("The decision is already on a meeting's agenda.")
NO_MEETING = _("The body has no meeting planned after the closing; plan one first.")

MAX_OPEN = datetime.timedelta(days=90)


class ResponsesConflict(ConcurrentEditError):
    """Someone saved some of these municipalities' answers after this editor loaded them."""

    def __init__(self, municipality_ids: list[int]):
        super().__init__()
        self.municipality_ids = municipality_ids


# --- recommendations ------------------------------------------------------------------------


def check_response(
    *, outcome: str, decided_on: datetime.date | None, day: datetime.date
) -> dict[str, str]:
    """The errors of one municipality's answer, by field (empty when it is right)."""
    errors: dict[str, Any] = {}
    if outcome in DECIDED_OUTCOMES and decided_on is None:
        errors["decided_on"] = DATE_NEEDED
    if decided_on is not None and not outcome:
        errors["outcome"] = OUTCOME_NEEDED
    if decided_on is not None and decided_on < day:
        errors["decided_on"] = BEFORE_RECOMMENDATION % {"day": day.isoformat()}
    if decided_on is not None and decided_on > timezone.localdate():
        errors["decided_on"] = IN_THE_FUTURE
    return errors


RESPONSE_FIELDS = ("outcome", "decided_on", "decision_url", "note")


@transaction.atomic
def record_responses(
    *, decision: Decision, actor: User | None, rows: list[dict[str, Any]]
) -> list[MemberResponse]:
    """Save the member municipalities' answers to a recommendation, all or none.

    Each row has ``municipality_id``, ``version`` (the one the editor loaded; 0 for a
    municipality that had no answer) and the fields. Rows whose version is no longer the
    stored one are refused together (``ResponsesConflict``), so two people editing the page
    at once never overwrite each other; the decision row is locked first, so two saves of one
    recommendation run one after the other.
    """
    locked = Decision.objects.select_for_update(of=("self",)).select_related("item__meeting")
    locked = locked.get(pk=decision.pk)
    if not locked.is_recommendation:
        raise ValidationError(NOT_A_RECOMMENDATION, code="not_recommendation")
    ids = [row["municipality_id"] for row in rows]
    if len(set(ids)) != len(ids):
        raise ValidationError(NOT_A_MEMBER_MUNICIPALITY, code="twice")
    day = queries.meeting_day(locked)
    members = {m.pk: m for m in queries.members_on(locked.association_id, day)}
    existing = {r.municipality_id: r for r in MemberResponse.objects.filter(decision=locked)}
    stale = [
        row["municipality_id"]
        for row in rows
        if (existing[row["municipality_id"]].version if row["municipality_id"] in existing else 0)
        != row["version"]
    ]
    if stale:
        raise ResponsesConflict(stale)
    saved = []
    for row in rows:
        municipality = members.get(row["municipality_id"])
        if municipality is None:
            raise ValidationError(NOT_A_MEMBER_MUNICIPALITY, code="not_member")
        data = {name: row.get(name) or "" for name in RESPONSE_FIELDS}
        data["decided_on"] = data["decided_on"] or None
        errors = check_response(outcome=data["outcome"], decided_on=data["decided_on"], day=day)
        if errors:
            raise ValidationError(
                {name: ValidationError(message) for name, message in errors.items()}
            )
        response = existing.get(municipality.pk) or MemberResponse(
            association=locked.association, decision=locked, municipality=municipality
        )
        changes = {
            name: (getattr(response, name), value)
            for name, value in data.items()
            if getattr(response, name) != value
        }
        if not changes:
            continue
        for name, value in data.items():
            setattr(response, name, value)
        response.full_clean(exclude=["association", "decision", "municipality"])
        response.version += 1
        response.save()
        record_history(
            association=locked.association,
            actor=actor,
            action="updated" if response.version > 1 else "created",
            obj=response,
            changes={k: (_plain(a), _plain(b)) for k, (a, b) in changes.items()},
        )
        saved.append(response)
    return saved


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


# --- per capsulam: the body's rule ----------------------------------------------------------


@transaction.atomic
def save_rule(
    *, body: Body, actor: User | None, expected_version: int, rule: str
) -> PerCapsulamSettings:
    current = PerCapsulamSettings.objects.select_for_update().filter(
        body=body
    ).first() or PerCapsulamSettings(association=body.association, body=body)
    if current.pk and current.version != expected_version:
        raise ConcurrentEditError
    previous = current.rule if current.pk else PerCapsulamRule.ALL
    current.rule = rule
    current.full_clean(exclude=["association", "body"])
    if current.pk:
        current.version += 1
    current.save()
    if previous != rule:
        record_history(
            association=body.association,
            actor=actor,
            action="updated",
            obj=current,
            changes={"rule": (previous, rule)},
        )
    return current


# --- per capsulam: circulating and answering ---------------------------------------------------


def chair_of(body: Body, day: datetime.date) -> Person | None:
    assignment = (
        Assignment.objects.filter(body=body, role=Role.CHAIR, starts_on__lte=day, ends_on__gte=day)
        .select_related("person")
        .first()
    )
    return assignment.person if assignment else None


def is_chair(body: Body, user: User) -> bool:
    if not user.is_authenticated:
        return False
    today = timezone.localdate()
    return Assignment.objects.filter(
        body=body, role=Role.CHAIR, person__user=user, starts_on__lte=today, ends_on__gte=today
    ).exists()


def chaired_bodies(association, user: User) -> set[int]:
    """Ids of the bodies the user chairs today."""
    if not user.is_authenticated:
        return set()
    today = timezone.localdate()
    return set(
        Assignment.objects.filter(
            association=association, role=Role.CHAIR, person__user=user,
            starts_on__lte=today, ends_on__gte=today,
        ).values_list("body_id", flat=True)
    )  # fmt: skip


def voting_members(body: Body, day: datetime.date) -> list[Person]:
    """The body's members on ``day`` (chair, vice chair and members; not substitutes)."""
    return list(
        Person.objects.filter(
            assignments__body=body,
            assignments__role__in=MEMBER_ROLES,
            assignments__starts_on__lte=day,
            assignments__ends_on__gte=day,
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def circulate(
    *,
    body: Body,
    actor: User | None,
    title: str,
    text: str,
    closes_at: datetime.datetime,
    description: str = "",
    is_public: bool = True,
    now: datetime.datetime | None = None,
) -> Proposal:
    """Send a proposal to the body's members of today (each is e-mailed after commit). Who
    may (the chair, or staff on the chair's behalf) is the view's question; the chair of the
    day is recorded either way."""
    now = now or timezone.now()
    if closes_at <= now:
        raise ValidationError({"closes_at": ValidationError(CLOSES_IN_THE_PAST)})
    if closes_at - now > MAX_OPEN:
        raise ValidationError({"closes_at": ValidationError(CLOSES_TOO_LATE)})
    day = now.astimezone(STOCKHOLM).date()
    members = voting_members(body, day)
    if not members:
        raise ValidationError(NO_MEMBERS, code="no_members")
    proposal = Proposal(
        association=body.association,
        body=body,
        title=title.strip(),
        text=text.strip(),
        description=description.strip(),
        is_public=is_public,
        closes_at=closes_at,
        rule=queries.rule_of(body).rule,
        circulated_at=now,
        circulated_by=actor if actor and actor.is_authenticated else None,
        chair=chair_of(body, day),
    )
    proposal.full_clean(exclude=["association", "body"])
    proposal.save()
    Answer.objects.bulk_create(
        Answer(association=body.association, proposal=proposal, person=person) for person in members
    )
    notify(
        "decisions.proposal_circulated",
        association=body.association,
        occasion_key=f"proposal:{proposal.pk}:circulated",
        data={"proposal": proposal.pk},
    )
    record_history(
        association=body.association,
        actor=actor,
        action="created",
        obj=proposal,
        changes={
            "title": (None, proposal.title),
            "closes_at": (None, closes_at.isoformat()),
            "rule": (None, proposal.rule),
            "members": (None, len(members)),
        },
    )
    return proposal


@transaction.atomic
def answer(
    *,
    proposal: Proposal,
    user: User,
    yes: bool,
    person_id: int | None = None,
    now: datetime.datetime | None = None,
) -> Answer:
    """The member's yes or no; changeable until the closing time, refused after it.

    With ``person_id`` a staff editor records the answer a member gave in writing (the
    view checks the right); ``answered_by`` says who entered it."""
    now = now or timezone.now()
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.is_closed(now):
        raise ValidationError(CLOSED, code="closed")
    whose = {"person_id": person_id} if person_id is not None else {"person__user": user}
    row = (
        Answer.objects.select_for_update(of=("self",)).filter(proposal=locked, **whose).first()
        if user.is_authenticated
        else None
    )
    if row is None:
        raise ValidationError(NOT_A_MEMBER, code="not_member")
    previous = row.answer
    row.answer, row.answered_at, row.answered_by = yes, now, user
    row.save(update_fields=["answer", "answered_at", "answered_by"])
    record_history(
        association=locked.association,
        actor=user,
        action="updated",
        obj=row,
        changes={"answer": (previous, yes)},
    )
    return row


@dataclass
class Tally:
    yes: int
    no: int
    unanswered: int
    members: int
    rule: str

    @property
    def passed(self) -> bool:
        if self.rule == PerCapsulamRule.MAJORITY:
            return self.yes * 2 > self.members
        return self.members > 0 and self.yes == self.members


def tally(proposal: Proposal, rows: list[Answer] | None = None) -> Tally:
    rows = rows if rows is not None else list(Answer.objects.filter(proposal=proposal))
    yes = sum(1 for row in rows if row.answer is True)
    no = sum(1 for row in rows if row.answer is False)
    return Tally(yes, no, len(rows) - yes - no, len(rows), proposal.rule)


@transaction.atomic
def close(*, proposal: Proposal, now: datetime.datetime | None = None) -> Proposal:
    """Close a proposal whose closing time has come: record the outcome and, if it passed,
    put it on the body's next meeting (if there is one yet)."""
    now = now or timezone.now()
    locked = Proposal.objects.select_for_update().select_related("body").get(pk=proposal.pk)
    if locked.status != ProposalStatus.OPEN or locked.closes_at > now:
        return locked
    result = tally(locked)
    locked.status = ProposalStatus.PASSED if result.passed else ProposalStatus.FAILED
    locked.closed_at = now
    locked.version += 1
    locked.save(update_fields=["status", "closed_at", "version"])
    record_history(
        association=locked.association,
        actor=None,
        action="updated",
        obj=locked,
        changes={
            "status": (ProposalStatus.OPEN, locked.status),
            "yes": (None, result.yes),
            "no": (None, result.no),
            "unanswered": (None, result.unanswered),
        },
    )
    if result.passed:
        meeting = queries.next_meeting(locked.body, locked.closes_at)
        if meeting is not None:
            _attach(locked, meeting, actor=None)
    return locked


def close_due(*, association, now: datetime.datetime | None = None) -> int:
    """Close every proposal of the association whose closing time has come."""
    count = 0
    for row in queries.due_proposals(association, now):
        close(proposal=row, now=now)
        count += 1
    return count


@transaction.atomic
def attach(*, proposal: Proposal, actor: User | None) -> AgendaItem:
    """Put a passed proposal that awaits a meeting on the body's next meeting."""
    locked = Proposal.objects.select_for_update().select_related("body").get(pk=proposal.pk)
    if locked.status != ProposalStatus.PASSED:
        raise ValidationError(NOT_PASSED, code="not_passed")
    if locked.item_id is not None:
        raise ValidationError(ALREADY_ATTACHED, code="attached")
    meeting = queries.next_meeting(locked.body, locked.closes_at)
    if meeting is None:
        raise ValidationError(NO_MEETING, code="no_meeting")
    return _attach(locked, meeting, actor=actor)


def attach_waiting(*, meeting: Meeting) -> int:
    """Put every passed proposal of the meeting's body that closed before it and awaits a
    meeting on this one (called when a meeting is planned)."""
    count = 0
    for row in queries.awaiting_meeting(meeting.association).filter(
        body=meeting.body_id, closes_at__lt=meeting.starts_at
    ):
        with transaction.atomic():
            locked = Proposal.objects.select_for_update().get(pk=row.pk)
            if locked.item_id is None and queries.next_meeting(row.body, row.closes_at) == meeting:
                _attach(locked, meeting, actor=None)
                count += 1
    return count


def decision_text(proposal: Proposal, rows: list[Answer]) -> str:
    """The proposal's text and the answers by name, in the association's language (the
    minutes are in it, whoever closed the proposal)."""
    with translation.override(settings.LANGUAGE_CODE):
        closed = timezone.localtime(proposal.closes_at, STOCKHOLM)
        names = {
            value: ", ".join(str(row.person) for row in rows if row.answer is value) or "–"
            for value in (True, False, None)
        }
        return "\n\n".join(
            [
                proposal.text,
                gettext(
                    "Decided per capsulam (by circulation); answers closed %(closed)s. "
                    "Yes: %(yes)s. No: %(no)s. Did not answer: %(none)s."
                )
                % {
                    "closed": f"{closed:%Y-%m-%d %H:%M}",
                    "yes": names[True],
                    "no": names[False],
                    "none": names[None],
                },
            ]
        )


def new_decision(**fields) -> Decision:
    """Insert a ``Decision`` (an insert is never refused by the lock, even a locked one)."""
    return Decision.objects.create(**fields)


def _attach(proposal: Proposal, meeting: Meeting, actor: User | None) -> AgendaItem:
    from governance.meetings import services as meetings

    rows = list(Answer.objects.filter(proposal=proposal).select_related("person"))
    rows.sort(key=lambda row: (row.person.last_name, row.person.first_name, row.pk))
    with translation.override(settings.LANGUAGE_CODE):
        description = gettext("Decided per capsulam between meetings.")
    item = meetings.add_item(
        meeting=meeting,
        actor=actor,
        title=proposal.title,
        kind="decision",
        description="\n\n".join(p for p in (description, proposal.description) if p)[:8000],
        proposed_decision=proposal.text,
        is_public=proposal.is_public,
    )
    decision = new_decision(
        association=proposal.association,
        item=item,
        text=decision_text(proposal, rows)[:8000],
        is_public=proposal.is_public,
    )
    proposal.item = item
    proposal.version += 1
    proposal.save(update_fields=["item", "version"])
    record_history(
        association=proposal.association,
        actor=actor,
        action="updated",
        obj=proposal,
        changes={"meeting": (None, str(meeting)), "decision": (None, decision.pk)},
    )
    return item
