"""Querysets and plain results for the networks pages, tasks and other apps (planning's
annual report reads ``feedback_results``)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from governance.models import MEMBER_ROLES, NETWORK_KINDS, Assignment, Body, Role, Seat
from networks.models import (
    FeedbackAnswer,
    FeedbackPromise,
    FeedbackRound,
    Network,
    WorkAssignment,
    WorkAssignmentUpdate,
    YearlyReport,
)

# A group's breakdown with fewer answers than this is not shown: in a small group a
# distribution or a mean can tell who answered what.
MIN_GROUP_ANSWERS = 3


def networks(association) -> QuerySet[Network]:
    return (
        Network.objects.filter(association=association)
        .select_related("body", "body__reports_to", "parent__body", "coordinator")
        .order_by("body__ordering", "body__name")
    )


def network(association, slug: str) -> QuerySet[Network]:
    return networks(association).filter(body__slug=slug)


def members(network: Network, on: date) -> list[Assignment]:
    """Who sits in the network on ``on``, with their municipality (one query)."""
    from governance.queries import ROLE_ORDER

    return list(
        Assignment.objects.filter(body=network.body_id, starts_on__lte=on, ends_on__gte=on)
        .select_related("person", "person__municipality", "seat__municipality")
        .annotate(role_order=ROLE_ORDER)
        .order_by("seat__municipality__name", "role_order", "person__last_name")
    )


def municipalities_taking_part(body_ids: list[int]) -> dict[int, list[str]]:
    """Body id -> names of the municipalities with a seat in it (a seat is the
    municipality's place in the network, filled or not)."""
    rows = (
        Seat.objects.filter(body__in=body_ids)
        .exclude(municipality=None)
        .values_list("body_id", "municipality__name")
        .distinct()
        .order_by("municipality__name")
    )
    result: dict[int, list[str]] = {}
    for body_id, name in rows:
        result.setdefault(body_id, []).append(name)
    return result


def member_counts(body_ids: list[int], on: date) -> dict[int, int]:
    rows = (
        Assignment.objects.filter(
            body__in=body_ids, starts_on__lte=on, ends_on__gte=on, role__in=MEMBER_ROLES
        )
        .values("body_id")
        .annotate(n=Count("id"))
    )
    return {row["body_id"]: row["n"] for row in rows}


@dataclass
class Group:
    """Networks under the body they report to (None: reporting to no body)."""

    body: Body | None
    networks: list[Network] = field(default_factory=list)


def grouped(rows: list[Network]) -> list[Group]:
    """Top-level networks grouped under their body; operational groups stay under their
    network (``child_groups``)."""
    children: dict[int, list[Network]] = {}
    for row in rows:
        row.child_groups = []
    by_pk = {row.pk: row for row in rows}
    groups: dict[int | None, Group] = {}
    for row in rows:
        if row.parent_id in by_pk:
            children.setdefault(row.parent_id, []).append(row)
            continue
        key = row.body.reports_to_id
        if key not in groups:
            groups[key] = Group(body=row.body.reports_to)
        groups[key].networks.append(row)
    for parent_id, rows_under in children.items():
        by_pk[parent_id].child_groups = rows_under
    return sorted(groups.values(), key=lambda g: (g.body is None, g.body.name if g.body else ""))


def networks_of_user(association, user, on: date) -> list[Network]:
    if not user.is_authenticated:
        return []
    body_ids = Assignment.objects.filter(
        association=association, person__user=user, starts_on__lte=on, ends_on__gte=on,
        body__kind__in=NETWORK_KINDS,
    ).values("body_id")  # fmt: skip
    return list(networks(association).filter(body__in=body_ids))


# --- assignments --------------------------------------------------------------------------


def work_assignments(association) -> QuerySet[WorkAssignment]:
    return WorkAssignment.objects.filter(association=association).select_related(
        "given_by", "responsible"
    )


def work_assignment(association, pk: int) -> QuerySet[WorkAssignment]:
    return (
        work_assignments(association)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("updates", queryset=WorkAssignmentUpdate.objects.select_related("author"))
        )
    )


def work_assignments_of(network: Network) -> QuerySet[WorkAssignment]:
    return work_assignments(network.association).filter(responsible=network.body_id)


# --- yearly reports -----------------------------------------------------------------------


def yearly_reports(network: Network) -> QuerySet[YearlyReport]:
    return YearlyReport.objects.filter(network=network).select_related("document__current_version")


def missing_yearly_reports(association, year: int) -> list[Network]:
    """Networks that report yearly and have no report for ``year``, with their body,
    the body they report to and their coordinator."""
    reported = YearlyReport.objects.filter(association=association, year=year).values("network_id")
    return list(networks(association).filter(reports_yearly=True).exclude(pk__in=reported))


# --- feedback -----------------------------------------------------------------------------


def feedback_rounds(association) -> QuerySet[FeedbackRound]:
    return FeedbackRound.objects.filter(association=association).annotate(
        promise_count=Count("promises", distinct=True)
    )


def feedback_round(association, pk: int) -> QuerySet[FeedbackRound]:
    return FeedbackRound.objects.filter(association=association, pk=pk).prefetch_related(
        Prefetch("promises", queryset=FeedbackPromise.objects.order_by("position")),
        Prefetch("networks", queryset=Network.objects.select_related("body")),
        "bodies",
    )


def round_body_ids(feedback_round: FeedbackRound) -> QuerySet:
    """Ids of the bodies whose members the round asks (networks' bodies and presidia)."""
    return Body.objects.filter(
        Q(network__feedback_rounds=feedback_round) | Q(feedback_rounds=feedback_round)
    ).values("pk")


def respondent_user_ids(feedback_round: FeedbackRound, on: date) -> set[int]:
    return set(
        Assignment.objects.filter(
            body__in=round_body_ids(feedback_round), starts_on__lte=on, ends_on__gte=on,
            person__user__isnull=False, person__user__is_active=True,
        ).exclude(role=Role.SECRETARY).values_list("person__user_id", flat=True)
    )  # fmt: skip


def open_rounds_for(association, user, now) -> list[FeedbackRound]:
    """Open rounds that ask ``user`` (a member of one of their groups today)."""
    if not user.is_authenticated:
        return []
    on = now.date()
    body_ids = Assignment.objects.filter(
        association=association, person__user=user, starts_on__lte=on, ends_on__gte=on
    ).values("body_id")
    return list(
        FeedbackRound.objects.filter(association=association, closes_at__gt=now)
        .filter(Q(networks__body__in=body_ids) | Q(bodies__in=body_ids))
        .distinct()
        .order_by("closes_at")
    )


def answers_of(feedback_round: FeedbackRound, user) -> dict[int, FeedbackAnswer]:
    """The user's own answers, to fill in their form (never anyone else's)."""
    return {
        answer.promise_id: answer
        for answer in FeedbackAnswer.objects.filter(promise__round=feedback_round, respondent=user)
    }


def _summary(scores: list[int]) -> dict:
    counts = Counter(scores)
    count = len(scores)
    return {
        "count": count,
        "distribution": {score: counts.get(score, 0) for score in range(1, 6)},
        "mean": round(sum(scores) / count, 2) if count else None,
    }


def feedback_results(feedback_round: FeedbackRound) -> dict:
    """Results as plain data, never naming who answered: per promise the count, the
    distribution over 1–5, the mean and the comments (sorted, so their order says nothing
    about who wrote them), and the same per network and body asked; a group with fewer
    than ``MIN_GROUP_ANSWERS`` answers to a promise is marked ``hidden`` without figures,
    and so is a group that would give such a small group away (``_hidden_groups``).

    ``{"title", "year", "closes_at", "promises": [{"position", "text", "count",
    "distribution": {1..5: n}, "mean", "comments": [...], "groups": [{"name", "kind",
    "hidden", "count", "distribution", "mean"}]}]}``
    """
    promises = list(FeedbackPromise.objects.filter(round=feedback_round).order_by("position"))
    answers = list(
        FeedbackAnswer.objects.filter(promise__round=feedback_round)
        .only("id", "promise_id", "score", "comment")
        .prefetch_related(
            Prefetch("networks", queryset=Network.objects.only("id")),
            Prefetch("bodies", queryset=Body.objects.only("id")),
        )
    )
    round_networks = list(feedback_round.networks.select_related("body").order_by("body__name"))
    round_bodies = list(feedback_round.bodies.order_by("name"))
    result = {
        "title": feedback_round.title,
        "year": feedback_round.year,
        "closes_at": feedback_round.closes_at,
        "promises": [],
    }
    for promise in promises:
        own = [a for a in answers if a.promise_id == promise.pk]
        row = {
            "position": promise.position,
            "text": promise.text,
            **_summary([a.score for a in own]),
            "comments": sorted(a.comment for a in own if a.comment),
            "groups": [],
        }
        groups = [("network", n.pk, str(n), "networks") for n in round_networks] + [
            ("body", b.pk, b.name, "bodies") for b in round_bodies
        ]
        members = [
            [a for a in own if any(o.pk == pk for o in getattr(a, relation).all())]
            for _kind, pk, _name, relation in groups
        ]
        hidden = _hidden_groups(own, members)
        for index, (kind, _pk, name, _relation) in enumerate(groups):
            summary = _summary([] if index in hidden else [a.score for a in members[index]])
            row["groups"].append({"name": name, "kind": kind, "hidden": index in hidden,
                                  **summary})  # fmt: skip
        result["promises"].append(row)
    return result


def _hidden_groups(answers: list, members: list[list]) -> set[int]:
    """Indexes of the groups not to break down: those with fewer than ``MIN_GROUP_ANSWERS``
    answers, and then the smallest shown ones until the answers outside every shown group
    are none or at least that many, since the total minus the shown groups would otherwise
    give a small group's answers (a differencing of the tables)."""
    hidden = {i for i, rows in enumerate(members) if len(rows) < MIN_GROUP_ANSWERS}
    while True:
        shown = [i for i in range(len(members)) if i not in hidden]
        covered = {a.pk for i in shown for a in members[i]}
        rest = len(answers) - len(covered)
        if not shown or rest == 0 or rest >= MIN_GROUP_ANSWERS:
            return hidden
        hidden.add(min(shown, key=lambda i: (len(members[i]), i)))
