"""Querysets and read models for the decision pages: a fixed number of queries whatever the
number of members, decisions or answers."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from association.calendar import STOCKHOLM
from governance.decisions.models import (
    Answer,
    MemberResponse,
    Outcome,
    PerCapsulamSettings,
    Proposal,
    ProposalStatus,
)
from governance.meetings.models import Decision, Meeting, MeetingStatus, Minutes
from members.models import Membership, Municipality


def meeting_day(decision: Decision) -> datetime.date:
    return decision.item.meeting.starts_at.astimezone(STOCKHOLM).date()


def members_on(association, day: datetime.date) -> list[Municipality]:
    """The association's member municipalities on ``day``, by name (one query)."""
    rows = (
        Membership.objects.filter(association=association, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .select_related("municipality")
        .order_by("municipality__name", "municipality_id")
    )
    found: dict[int, Municipality] = {}
    for membership in rows:
        found.setdefault(membership.municipality_id, membership.municipality)
    return list(found.values())


def _decisions(association) -> QuerySet[Decision]:
    return Decision.objects.filter(association=association).select_related(
        "item__meeting__body", "item__per_capsulam"
    )


def public_condition() -> Q:
    """Public decisions (decision and item public) whose minutes are adjusted, or which
    were adjusted at once (both lock the decision)."""
    adjusted = Minutes.objects.filter(meeting=OuterRef("item__meeting"), is_adjusted=True)
    return Q(is_public=True, item__is_public=True) & (Q(is_locked=True) | Q(Exists(adjusted)))


def visible_decisions(association, *, internal: bool, bodies) -> QuerySet[Decision]:
    """Staff see every decision; members of a body all of that body's; others the public
    ones."""
    rows = _decisions(association)
    if internal:
        return rows
    return rows.filter(public_condition() | Q(item__body_id__in=list(bodies)))


def decision(association, pk: int) -> QuerySet[Decision]:
    return _decisions(association).filter(pk=pk)


def register(rows: QuerySet[Decision], *, year=None, body=None, words: str = "") -> QuerySet:
    """The register, newest meeting first; ``words`` searched with PostgreSQL's Swedish
    full-text search in the decision text and the item's title."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    if year:
        rows = rows.filter(item__year=year)
    if body is not None:
        rows = rows.filter(item__body=body)
    if words:
        vector = SearchVector("text", config="swedish") + SearchVector(
            "item__title", config="swedish"
        )
        query = SearchQuery(words, config="swedish", search_type="websearch")
        rows = rows.annotate(search=vector).filter(search=query)
    return rows.order_by("-item__meeting__starts_at", "-item__number", "-pk")


def register_years(rows: QuerySet[Decision]) -> list[int]:
    years = rows.order_by().values_list("item__year", flat=True).distinct()
    return sorted(set(years), reverse=True)


# --- recommendations ------------------------------------------------------------------------


@dataclass
class MemberRow:
    municipality: Municipality
    response: MemberResponse | None

    @property
    def settled(self) -> bool:
        return self.response is not None and self.response.is_settled


@dataclass
class RecommendationStatus:
    decision: Decision
    rows: list[MemberRow]
    counts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def members(self) -> int:
        return len(self.rows)

    @property
    def settled(self) -> int:
        return sum(row.settled for row in self.rows)

    @property
    def pending(self) -> int:
        return self.members - self.settled

    @property
    def is_open(self) -> bool:
        return self.pending > 0


def recommendation_status(decision: Decision) -> RecommendationStatus:
    """Every member on the decision's meeting day with its answer (two queries)."""
    members = members_on(decision.association_id, meeting_day(decision))
    responses = {
        r.municipality_id: r for r in MemberResponse.objects.filter(decision=decision).order_by()
    }
    rows = [MemberRow(m, responses.get(m.pk)) for m in members]
    tally = dict.fromkeys(Outcome.values, 0)
    for row in rows:
        if row.settled:
            tally[row.response.outcome] += 1
    status = RecommendationStatus(decision, rows)
    status.counts = [(label, tally[value]) for value, label in Outcome.choices]
    return status


def recommendations(rows: QuerySet[Decision], *, open_only: bool = True) -> list:
    """Recommendations with how many members have settled them (three queries)."""
    decisions = list(
        rows.filter(is_recommendation=True).order_by("-item__meeting__starts_at", "-item__number")
    )
    if not decisions:
        return []
    association = decisions[0].association_id
    memberships = list(
        Membership.objects.filter(association=association).values_list(
            "municipality_id", "joined_on", "left_on"
        )
    )
    settled = _settled_by_member(decisions)
    result = []
    for row in decisions:
        day = meeting_day(row)
        members = {
            m for m, joined, left in memberships if joined <= day and (left is None or left >= day)
        }
        row.member_count = len(members)
        row.settled_count = len(settled.get(row.pk, set()) & members)
        row.pending_count = row.member_count - row.settled_count
        if row.pending_count > 0 or not open_only:
            result.append(row)
    return result


def _settled_by_member(decisions) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for decision_id, municipality_id in (
        MemberResponse.objects.filter(decision__in=[d.pk for d in decisions])
        .exclude(outcome="")
        .values_list("decision_id", "municipality_id")
    ):
        found.setdefault(decision_id, set()).add(municipality_id)
    return found


# --- per capsulam -----------------------------------------------------------------------------


def rule_of(body):
    found = PerCapsulamSettings.objects.filter(body=body).first()
    return found or PerCapsulamSettings(association=body.association, body=body)


def proposals(association, *, internal: bool, bodies) -> QuerySet[Proposal]:
    rows = Proposal.objects.filter(association=association).select_related("body", "item__meeting")
    if not internal:
        rows = rows.filter(body_id__in=list(bodies))
    return rows.annotate(
        yes=Count("answers", filter=Q(answers__answer=True)),
        no=Count("answers", filter=Q(answers__answer=False)),
        members=Count("answers"),
    ).order_by("-closes_at", "-pk")


def proposal(association, pk: int) -> QuerySet[Proposal]:
    return Proposal.objects.filter(association=association, pk=pk).select_related(
        "body", "chair", "item__meeting", "circulated_by"
    )


def answers(proposal: Proposal) -> list[Answer]:
    return list(
        Answer.objects.filter(proposal=proposal)
        .select_related("person__municipality")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def awaiting_meeting(association) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(
            association=association, status=ProposalStatus.PASSED, item__isnull=True
        )
        .select_related("body")
        .order_by("closes_at")
    )


def next_meeting(body, after: datetime.datetime) -> Meeting | None:
    """The body's first meeting after ``after`` that is not cancelled and whose minutes are
    not adjusted yet (so it can still take a paragraph)."""
    adjusted = Minutes.objects.filter(meeting=OuterRef("pk"), is_adjusted=True)
    return (
        Meeting.objects.filter(body=body, starts_at__gt=after)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(Exists(adjusted))
        .order_by("starts_at", "pk")
        .first()
    )


def due_proposals(association, now=None) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        association=association, status=ProposalStatus.OPEN, closes_at__lte=now or timezone.now()
    )


def open_proposals(association, now=None) -> QuerySet[Proposal]:
    """Proposals still open for answers at ``now``."""
    return Proposal.objects.filter(
        association=association, status=ProposalStatus.OPEN, closes_at__gt=now or timezone.now()
    ).select_related("body")
