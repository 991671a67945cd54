"""Every change to networks, their members, assignments, yearly reports and feedback
rounds: one transaction each, with its history (``association.services.record_history``).

Feedback answers are the exception on purpose: they write no history row, because the
history pages show who did what, and no page may show who answered what.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.documents import add_document
from association.services import record_history, update_versioned
from governance import queries as governance_queries
from governance import services as governance_services
from governance.models import MEMBER_ROLES, Assignment, Body, BodyKind, Role, Seat
from networks.models import (
    FeedbackAnswer,
    FeedbackPromise,
    FeedbackRound,
    Network,
    NetworkKind,
    WorkAssignment,
    WorkAssignmentUpdate,
    WorkStatus,
    YearlyReport,
)

NETWORK_FIELDS = ("kind", "purpose", "coordinator", "member_list_public", "reports_yearly",
                  "parent")  # fmt: skip
WORK_FIELDS = ("title", "description", "given_by", "responsible", "responsible_other",
               "heading", "starts_on", "ends_on", "ordering")  # fmt: skip
MAX_PROMISES = 20

NO_TERM = _("No term of office covers %(day)s; add the term first.")
ROUND_CLOSED = _("The round closed on %(closes)s; answers can no longer be given or changed.")
NOT_ASKED = _("You are not among those asked in this round.")
NO_PROMISES = _("Enter at least one promise.")
TOO_MANY_PROMISES = _("At most %(count)s promises in one round.")
NO_GROUPS = _("Choose at least one network or body to ask.")
CLOSES_IN_PAST = _("The closing time must be in the future.")
PARENT_LOOP = _("A network cannot be its own operational group.")
OTHER_ASSOCIATION = _("Choose one of the association's own.")
BAD_SCORE = _("Give a score from 1 to 5.")


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


def _body_kind(kind: str) -> str:
    if kind in (NetworkKind.WORKING_GROUP, NetworkKind.OPERATIONAL):
        return BodyKind.WORKING_GROUP
    return BodyKind.NETWORK


def _check_network(network: Network) -> None:
    seen = {network.pk}
    current = network.parent
    while current is not None:
        if current.pk in seen:
            raise ValidationError({"parent": PARENT_LOOP})
        seen.add(current.pk)
        current = current.parent
    for name in ("parent", "coordinator"):
        related = getattr(network, name)
        if related is not None and related.association_id != network.association_id:
            raise ValidationError({name: OTHER_ASSOCIATION})


# --- networks -----------------------------------------------------------------------------


@transaction.atomic
def create_network(
    *,
    association,
    actor,
    name: str,
    slug: str,
    kind: str,
    purpose: str = "",
    reports_to: Body | None = None,
    coordinator=None,
    member_list_public: bool = False,
    reports_yearly: bool = True,
    parent: Network | None = None,
    ordering: int = 100,
) -> Network:
    """The network and its body together: the body carries the meetings and members."""
    if parent is not None and reports_to is None:
        # An operational group answers to the network that appointed it.
        reports_to = parent.body
    body = governance_services.create_body(
        association=association, actor=actor, name=name, slug=slug, kind=_body_kind(kind),
        reports_to=reports_to, is_formal=False, quorum_rule="none", ordering=ordering,
    )  # fmt: skip
    network = Network(
        association=association, body=body, kind=kind, purpose=purpose, coordinator=coordinator,
        member_list_public=member_list_public, reports_yearly=reports_yearly, parent=parent,
    )  # fmt: skip
    network.full_clean(exclude=["association", "body"])
    _check_network(network)
    network.save()
    record_history(
        association=association, actor=actor, action="created", obj=network,
        changes={"body": (None, body.pk),
                 **{name: (None, _plain(getattr(network, name))) for name in NETWORK_FIELDS}},
    )  # fmt: skip
    return network


@transaction.atomic
def update_network(
    *, network: Network, actor, expected_version: int, data: dict[str, Any]
) -> Network:
    """Network fields with optimistic locking; the body's name and reporting line through
    governance's own service."""
    body_data = {k: data[k] for k in ("name", "reports_to") if k in data}
    if "kind" in data:
        body_data["kind"] = _body_kind(data["kind"])
    network_data = {k: data[k] for k in NETWORK_FIELDS if k in data}
    network = update_versioned(
        obj=network, actor=actor, expected_version=expected_version, data=network_data,
        check=_check_network,
    )  # fmt: skip
    body = network.body
    if body_data and any(_plain(getattr(body, k)) != _plain(v) for k, v in body_data.items()):
        network.body = governance_services.update_body(
            body=body, actor=actor, expected_version=body.version, data=body_data
        )
    return network


def _seat_for(body: Body, municipality, actor) -> Seat:
    seat = Seat.objects.filter(body=body, municipality=municipality).first()
    if seat is None:
        if municipality is None:
            seat = Seat.objects.filter(body=body, municipality=None).first()
            if seat is None:
                seat = governance_services.create_seat(
                    body=body, actor=actor, label="Övriga deltagare", members=1
                )
        else:
            seat = governance_services.create_seat(
                body=body, actor=actor, municipality=municipality, members=1
            )
    return seat


@transaction.atomic
def add_member(
    *,
    network: Network,
    actor,
    person,
    municipality=None,
    role: str = Role.MEMBER,
    starts_on: date,
    ends_on: date | None = None,
) -> Assignment:
    """A person in the network for a municipality: the municipality's seat (made, or given
    one more place, as needed: a network has no fixed number per municipality) and an
    assignment in the term of office covering ``starts_on``."""
    body = network.body
    term = governance_queries.term_on(network.association, starts_on)
    if term is None:
        raise ValidationError({"starts_on": ValidationError(
            NO_TERM, params={"day": starts_on.isoformat()})})  # fmt: skip
    ends_on = min(ends_on or term.ends_on, term.ends_on)
    if municipality is None:
        municipality = person.municipality
    seat = None
    if role not in (Role.SECRETARY, Role.CO_OPTED):
        seat = _seat_for(body, municipality, actor)
        taken = Assignment.objects.filter(
            seat=seat, role__in=MEMBER_ROLES if role != Role.SUBSTITUTE else [Role.SUBSTITUTE],
            starts_on__lte=ends_on, ends_on__gte=starts_on,
        ).count()  # fmt: skip
        places = seat.substitutes if role == Role.SUBSTITUTE else seat.members
        if taken + 1 > places:
            field = "substitutes" if role == Role.SUBSTITUTE else "members"
            Seat.objects.filter(pk=seat.pk).update(
                **{field: taken + 1, "version": F("version") + 1}
            )
            record_history(
                association=network.association, actor=actor, action="updated", obj=seat,
                changes={field: (places, taken + 1)},
            )  # fmt: skip
            seat.refresh_from_db()
    return governance_services.create_assignment(
        body=body, actor=actor, person=person, seat=seat, term=term, role=role,
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip


# --- assignments (uppdrag) ------------------------------------------------------------------


def _check_work(assignment: WorkAssignment) -> None:
    for name in ("given_by", "responsible"):
        related = getattr(assignment, name)
        if related is not None and related.association_id != assignment.association_id:
            raise ValidationError({name: OTHER_ASSOCIATION})


@transaction.atomic
def create_work_assignment(
    *, association, actor, status: str = WorkStatus.NOT_STARTED, comment: str = "",
    **fields: Any,
) -> WorkAssignment:  # fmt: skip
    assignment = WorkAssignment(
        association=association, status=status, **{k: fields[k] for k in WORK_FIELDS if k in fields}
    )
    assignment.full_clean(exclude=["association"])
    _check_work(assignment)
    assignment.save()
    WorkAssignmentUpdate.objects.create(
        association=association, assignment=assignment, day=timezone.localdate(), status=status,
        comment=comment, author=actor if actor and actor.is_authenticated else None,
    )  # fmt: skip
    record_history(
        association=association, actor=actor, action="created", obj=assignment,
        changes={"status": (None, status),
                 **{k: (None, _plain(getattr(assignment, k))) for k in WORK_FIELDS}},
    )  # fmt: skip
    return assignment


def update_work_assignment(
    *, assignment: WorkAssignment, actor, expected_version: int, data: dict[str, Any]
) -> WorkAssignment:
    data = {k: data[k] for k in WORK_FIELDS if k in data}
    return update_versioned(
        obj=assignment, actor=actor, expected_version=expected_version, data=data,
        check=_check_work,
    )  # fmt: skip


@transaction.atomic
def set_work_status(
    *, assignment: WorkAssignment, actor, status: str, comment: str = "", day: date | None = None
) -> WorkAssignmentUpdate:
    """A dated status with its comment; the assignment shows the latest status."""
    if status not in WorkStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    locked = WorkAssignment.objects.select_for_update().get(pk=assignment.pk)
    update = WorkAssignmentUpdate(
        association=locked.association, assignment=locked, day=day or timezone.localdate(),
        status=status, comment=comment.strip(),
        author=actor if actor and actor.is_authenticated else None,
    )  # fmt: skip
    update.full_clean(exclude=["association", "assignment"])
    update.save()
    if locked.status != status:
        record_history(
            association=locked.association, actor=actor, action="updated", obj=locked,
            changes={"status": (locked.status, status)},
        )  # fmt: skip
        WorkAssignment.objects.filter(pk=locked.pk).update(status=status, version=F("version") + 1)
    return update


# --- yearly reports -----------------------------------------------------------------------


@transaction.atomic
def submit_yearly_report(
    *, network: Network, actor, year: int, text: str = "", upload=None
) -> YearlyReport:
    if not text.strip() and upload is None:
        raise ValidationError({"text": _("Write the report or attach it as a document.")})
    report = YearlyReport(
        association=network.association, network=network, year=year, text=text.strip(),
        submitted_by=actor if actor and actor.is_authenticated else None,
    )  # fmt: skip
    report.full_clean(exclude=["association", "network", "document"])
    if upload is not None:
        report.document = add_document(
            association=network.association, actor=actor, upload=upload,
            title=f"Årsrapport {year} {network.body.name}",
        )  # fmt: skip
    report.save()
    record_history(
        association=network.association, actor=actor, action="created", obj=report,
        changes={"network": (None, network.pk), "year": (None, year),
                 "document": (None, report.document_id)},
    )  # fmt: skip
    return report


# --- feedback on promises -----------------------------------------------------------------


@transaction.atomic
def open_feedback_round(
    *,
    association,
    actor,
    title: str,
    year: int,
    closes_at: datetime,
    promises: list[str],
    networks: Iterable[Network] = (),
    bodies: Iterable[Body] = (),
    now: datetime | None = None,
) -> FeedbackRound:
    """A round asking the members of ``networks`` and ``bodies`` how well each promise was
    kept. ``promises`` are plain texts (planning passes its plan's promises)."""
    texts = [text.strip() for text in promises if text and text.strip()]
    networks, bodies = list(networks), list(bodies)
    errors: dict[str, Any] = {}
    if not texts:
        errors["promises"] = NO_PROMISES
    elif len(texts) > MAX_PROMISES:
        errors["promises"] = ValidationError(TOO_MANY_PROMISES, params={"count": MAX_PROMISES})
    if not networks and not bodies:
        errors["networks"] = NO_GROUPS
    if closes_at is None or timezone.is_naive(closes_at) or closes_at <= (now or timezone.now()):
        errors["closes_at"] = CLOSES_IN_PAST
    if any(o.association_id != association.pk for o in [*networks, *bodies]):
        errors["networks"] = OTHER_ASSOCIATION
    if errors:
        raise ValidationError(errors)
    feedback_round = FeedbackRound(
        association=association, title=title.strip(), year=year, closes_at=closes_at
    )
    feedback_round.full_clean(exclude=["association"])
    feedback_round.save()
    feedback_round.networks.set(networks)
    feedback_round.bodies.set(bodies)
    for position, text in enumerate(texts, start=1):
        promise = FeedbackPromise(
            association=association, round=feedback_round, position=position, text=text
        )
        promise.full_clean(exclude=["association", "round"])
        promise.save()
    record_history(
        association=association, actor=actor, action="created", obj=feedback_round,
        changes={"title": (None, feedback_round.title), "year": (None, year),
                 "closes_at": (None, closes_at.isoformat()), "promises": (None, len(texts)),
                 "networks": (None, ", ".join(str(n) for n in networks)),
                 "bodies": (None, ", ".join(str(b) for b in bodies))},
    )  # fmt: skip
    return feedback_round


def respondent_groups(feedback_round: FeedbackRound, user, day: date) -> tuple[list, list]:
    """(networks, bodies) of the round in which ``user`` sits on ``day``: empty when the
    user is not asked."""
    from networks import queries

    body_ids = set(
        Assignment.objects.filter(
            person__user=user, starts_on__lte=day, ends_on__gte=day,
            body__in=queries.round_body_ids(feedback_round),
        ).values_list("body_id", flat=True)
    )  # fmt: skip
    networks = [n for n in feedback_round.networks.all() if n.body_id in body_ids]
    bodies = [b for b in feedback_round.bodies.all() if b.pk in body_ids]
    return networks, bodies


@transaction.atomic
def answer_feedback(
    *,
    feedback_round: FeedbackRound,
    user,
    answers: dict[int, tuple[int, str]],
    now: datetime | None = None,
) -> list[FeedbackAnswer]:
    """Save ``user``'s answers ({promise id: (score, comment)}): one per person and promise,
    changeable until the round closes and never after."""
    now = now or timezone.now()
    locked = FeedbackRound.objects.select_for_update().get(pk=feedback_round.pk)
    if not locked.is_open(now):
        closes = timezone.localtime(locked.closes_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(ROUND_CLOSED, params={"closes": closes}, code="closed")
    networks, bodies = respondent_groups(locked, user, timezone.localdate(now))
    if not networks and not bodies:
        raise ValidationError(NOT_ASKED, code="not_asked")
    promises = {p.pk: p for p in locked.promises.all()}
    saved = []
    for promise_id, (score, comment) in answers.items():
        promise = promises.get(promise_id)
        if promise is None:
            raise ValidationError(_("Answer only this round's promises."))
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise ValidationError({f"score_{promise_id}": BAD_SCORE})
        answer, _created = FeedbackAnswer.objects.update_or_create(
            promise=promise, respondent=user,
            defaults={"association": locked.association, "score": score,
                      "comment": (comment or "").strip()[:2000], "updated_at": now},
        )  # fmt: skip
        answer.networks.set(networks)
        answer.bodies.set(bodies)
        saved.append(answer)
    return saved
