"""The meeting's record and its minutes: attendance, decisions, drafting, adjustment.

Every function that changes state runs in one transaction and writes history. The life of
the minutes: ``draft_minutes`` (from the record: nobody retypes attendance, items or
decisions) → ``update_minutes`` (wording, adjusters) → ``send_for_adjustment`` →
``approve`` by each named adjuster (who logged in with a second factor) → when the last has
approved, the minutes are adjusted: they, the meeting's decisions with their votes and
statements, and the attendance are locked (application and trigger), and
``signals.minutes_adjusted`` goes out after commit. ``start_correction`` makes a new version
that supersedes an adjusted one and goes through the same steps.

Who may call which step is decided by the views (``permissions.may_record``,
``Adjuster.person.user``); ``approve`` checks the adjuster itself, as it is the step that
must never be taken for someone else.
"""

import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.models import User
from association.services import ConcurrentEditError, record_history
from association.tenancy import tenant_scope
from governance.meetings import notifications, quorum
from governance.meetings.models import (
    Absence,
    Adjuster,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ConflictOfInterest,
    Decision,
    DecisionMethod,
    Meeting,
    Minutes,
    MinutesStatus,
    Statement,
    Vote,
)
from governance.models import Assignment, Person, Role

CANCELLED = _("The meeting is cancelled.")
RECORD_CLOSED = _("The minutes of this meeting are adjusted; the record can no longer change.")
DECISION_LOCKED = _("This decision is adjusted and can no longer change.")
NOT_IN_BODY = _("%(name)s has no assignment in the body on the day of the meeting.")
SERVES_FOR_MEMBER = _("A substitute can serve only for a member of the body.")
ONLY_SUBSTITUTE_SERVES = _("Only a substitute serves for someone.")
LEAVES_BEFORE_ARRIVING = _("%(name)s cannot leave before arriving.")
NOT_A_VOTER = _("%(name)s takes no part in this decision.")
VOTE_NEEDS_VOTES = _("A vote needs the votes of those present.")
TIE_NEEDS_CASTING = _("The vote is tied: record the chair's casting vote.")
CONSENSUS_NEEDS_ANSWER = _("Say whether consensus was reached.")
STATEMENT_BY_PRESENT = _("Only someone present at the item can enter a reservation or statement.")
MINUTES_EXIST = _("The minutes are already drafted.")
NOT_DRAFT = _("Only a draft can be changed; these minutes are sent for adjustment or adjusted.")
NEEDS_ADJUSTERS = _("Name at least one adjuster.")
ADJUSTER_NEEDS_LOGIN = _("%(name)s has no login and cannot approve in the portal.")
NOT_OUT = _("These minutes are not out for adjustment.")
NOT_ADJUSTER = _("You are not named to adjust these minutes.")
ALREADY_APPROVED = _("You have already approved these minutes.")
NEEDS_SECOND_FACTOR = _(
    "Approving minutes requires that you logged in with a second factor (an authenticator "
    "app or a security key). Log out and in again with it, or set one up under your account."
)
ONLY_ADJUSTED_CORRECTED = _("Only the latest adjusted version can be corrected.")
REASON_REQUIRED = _("Say why the minutes are corrected.")


def _meeting_day(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date()


def _check_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(CANCELLED, code="cancelled")
    if Minutes.objects.filter(meeting=meeting, is_adjusted=True).exists():
        raise ValidationError(RECORD_CLOSED, code="adjusted")


# --- attendance -----------------------------------------------------------------------------


def body_assignments(meeting: Meeting) -> list[Assignment]:
    """The body's assignments on the meeting's day (every role), ordered for the roll."""
    day = _meeting_day(meeting)
    order = {Role.CHAIR: 0, Role.VICE_CHAIR: 1, Role.MEMBER: 2, Role.SUBSTITUTE: 3}
    rows = list(
        Assignment.objects.filter(body=meeting.body_id, starts_on__lte=day, ends_on__gte=day)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    rows.sort(key=lambda a: order.get(a.role, 4))
    seen, result = set(), []
    for row in rows:
        if row.person_id not in seen:
            seen.add(row.person_id)
            result.append(row)
    return result


def member_count(meeting: Meeting, assignments: list[Assignment] | None = None) -> int:
    rows = assignments if assignments is not None else body_assignments(meeting)
    return sum(1 for a in rows if a.role in quorum.MEMBER_ROLES)


def proposed_attendance(
    meeting: Meeting, assignments: list[Assignment] | None = None
) -> list[dict[str, Any]]:
    """The roll before anything is recorded: members present unless they reported absence;
    the substitutes called up present and serving for the absent; other substitutes
    absent (they are listed, as minutes list the substitutes)."""
    absences = {a.person_id: a for a in Absence.objects.filter(meeting=meeting)}
    called = {a.substitute_id: a.person_id for a in absences.values() if a.substitute_id}
    rows = []
    if assignments is None:
        assignments = body_assignments(meeting)
    for assignment in assignments:
        person_id = assignment.person_id
        if assignment.role in quorum.MEMBER_ROLES:
            present = person_id not in absences
            serves_for = None
        else:
            present = person_id in called
            serves_for = called.get(person_id)
        rows.append(
            {
                "person": assignment.person,
                "role": assignment.role,
                "status": AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
                "serves_for": serves_for,
                "arrived_before": None,
                "left_after": None,
            }
        )
    return rows


@transaction.atomic
def save_attendance(
    *, meeting: Meeting, actor: User | None, expected_version: int, rows: list[dict[str, Any]]
) -> list[Attendance]:
    """Record the roll: ``rows`` of ``person`` (id), ``status``, ``serves_for`` (id or
    None), ``arrived_before`` and ``left_after`` (item ids or None). People not in the
    body on the meeting's day are refused."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError
    _check_open(locked)
    assignments = {a.person_id: a for a in body_assignments(locked)}
    items = {i.pk: i for i in AgendaItem.objects.filter(meeting=locked)}
    before = {
        a.person_id: (a.status, a.serves_for_id, a.arrived_before_id, a.left_after_id)
        for a in Attendance.objects.filter(meeting=locked)
    }
    errors, new = [], []
    for row in rows:
        assignment = assignments.get(row["person"])
        if assignment is None:
            errors.append(ValidationError(NOT_IN_BODY, params={"name": row.get("name", "?")}))
            continue
        serves_for = row.get("serves_for")
        if serves_for is not None:
            if assignment.role != Role.SUBSTITUTE:
                errors.append(ValidationError(ONLY_SUBSTITUTE_SERVES))
                continue
            target = assignments.get(serves_for)
            if target is None or target.role not in quorum.MEMBER_ROLES:
                errors.append(ValidationError(SERVES_FOR_MEMBER))
                continue
        arrived = items.get(row.get("arrived_before"))
        left = items.get(row.get("left_after"))
        if arrived and left and (left.position, left.pk) < (arrived.position, arrived.pk):
            errors.append(
                ValidationError(LEAVES_BEFORE_ARRIVING, params={"name": assignment.person})
            )
            continue
        new.append(
            Attendance(
                association=locked.association,
                meeting=locked,
                person_id=assignment.person_id,
                role=assignment.role,
                status=row["status"],
                serves_for_id=serves_for,
                arrived_before=arrived,
                left_after=left,
            )
        )
    if errors:
        raise ValidationError(errors)
    Attendance.objects.filter(meeting=locked).delete()
    created = Attendance.objects.bulk_create(new)
    after = {
        a.person_id: (a.status, a.serves_for_id, a.arrived_before_id, a.left_after_id)
        for a in created
    }
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    # One entry per person whose (status, serves for, arrived before, left after) changed.
    changes = {
        f"attendance: {assignments[pk].person}": (str(before.get(pk)), str(after.get(pk)))
        for pk in set(before) | set(after)
        if before.get(pk) != after.get(pk) and pk in assignments
    }
    if changes:
        record_history(
            association=locked.association,
            actor=actor,
            action="updated",
            obj=locked,
            changes=changes,
        )
    return created


def presences(meeting: Meeting, attendance: list[Attendance] | None = None) -> list:
    """The recorded roll as ``quorum.Presence`` values (item ids turned into positions)."""
    rows = (
        attendance
        if attendance is not None
        else list(
            Attendance.objects.filter(meeting=meeting).select_related(
                "arrived_before", "left_after"
            )
        )
    )
    return [
        quorum.Presence(
            person_id=row.person_id,
            role=row.role,
            present=row.status == AttendanceStatus.PRESENT,
            serves_for=row.serves_for_id,
            arrived=row.arrived_before.position if row.arrived_before_id else None,
            left=row.left_after.position if row.left_after_id else None,
        )
        for row in rows
    ]


def conflicted_people(item: AgendaItem) -> set[int]:
    return set(ConflictOfInterest.objects.filter(item=item).values_list("person_id", flat=True))


# --- decisions ------------------------------------------------------------------------------

DECISION_FIELDS = (
    "text",
    "method",
    "consensus_reached",
    "adjusted_at_once",
    "is_public",
    "is_recommendation",
    "casting_vote",
)


@transaction.atomic
def save_decision(
    *,
    item: AgendaItem,
    actor: User | None,
    expected_version: int | None,
    data: dict[str, Any],
    votes: dict[int, str] | None = None,
    statements: list[dict[str, Any]] | None = None,
) -> Decision:
    """Record the decision on ``item`` (``expected_version`` None for the first time), its
    votes by name (person id -> yes/no/abstain; only voters at the item) and its
    reservations and statements (``person``, ``kind``, ``text``). Adjusted at once
    (omedelbar justering) locks the decision with its votes and statements there and then."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _check_open(meeting)
    decision = Decision.objects.select_for_update().filter(item=item).first()
    if decision is not None and decision.is_locked:
        raise ValidationError(DECISION_LOCKED, code="locked")
    if (decision.version if decision else None) != expected_version:
        raise ConcurrentEditError
    votes = votes or {}
    statements = statements or []
    if decision is None:
        decision = Decision(association=item.association, item=item)
        before = {}
    else:
        before = {name: getattr(decision, name) for name in DECISION_FIELDS}
        decision.version += 1
    for name in DECISION_FIELDS:
        if name in data:
            setattr(decision, name, data[name])
    if decision.method != DecisionMethod.CONSENSUS:
        decision.consensus_reached = None
    if decision.method != DecisionMethod.VOTE:
        votes = {}
        decision.casting_vote = ""
    decision.full_clean(exclude=["association", "item"])

    rows = presences(meeting)
    voters = quorum.voters_at(rows, item.position, conflicted_people(item))
    present = quorum.present_at(rows, item.position)
    names = {
        p.pk: str(p)
        for p in Person.objects.filter(pk__in=set(votes) | {s["person"] for s in statements})
    }
    errors: dict[str, list] = {}

    def refuse(field, message, **params):
        errors.setdefault(field, []).append(ValidationError(message, params=params or None))

    for pk in votes:
        if pk not in voters:
            refuse(NON_FIELD_ERRORS, NOT_A_VOTER, name=names.get(pk, pk))
    if decision.method == DecisionMethod.VOTE:
        if not votes:
            refuse(NON_FIELD_ERRORS, VOTE_NEEDS_VOTES)
        counts = quorum.count_votes(votes.values())
        if quorum.vote_outcome(counts["yes"], counts["no"], decision.casting_vote) == quorum.TIED:
            refuse("casting_vote", TIE_NEEDS_CASTING)
    if decision.method == DecisionMethod.CONSENSUS and decision.consensus_reached is None:
        refuse("consensus_reached", CONSENSUS_NEEDS_ANSWER)
    if any(s["person"] not in present for s in statements):
        refuse(NON_FIELD_ERRORS, STATEMENT_BY_PRESENT)
    if errors:
        raise ValidationError(errors)

    decision.save()
    old_votes = dict(Vote.objects.filter(decision=decision).values_list("person_id", "choice"))
    Vote.objects.filter(decision=decision).delete()
    Statement.objects.filter(decision=decision).delete()
    Vote.objects.bulk_create(
        Vote(association=item.association, decision=decision, person_id=pk, choice=choice)
        for pk, choice in votes.items()
    )
    Statement.objects.bulk_create(
        Statement(
            association=item.association,
            decision=decision,
            person_id=s["person"],
            kind=s["kind"],
            text=s.get("text", "")[:4000],
        )
        for s in statements
    )
    changes = {
        name: (str(before.get(name, "")), str(getattr(decision, name)))
        for name in DECISION_FIELDS
        if before.get(name) != getattr(decision, name)
    }
    if old_votes != votes:
        changes["votes"] = (str(old_votes), str(votes))
    record_history(
        association=item.association,
        actor=actor,
        action="updated" if before else "created",
        obj=decision,
        changes=changes,
    )
    if decision.adjusted_at_once:
        _lock_decisions(Decision.objects.filter(pk=decision.pk))
        decision.refresh_from_db()
        record_history(
            association=item.association,
            actor=actor,
            action="locked",
            obj=decision,
            changes={"is_locked": (False, True)},
        )
    return decision


def _lock_decisions(decisions) -> None:
    ids = list(decisions.filter(is_locked=False).values_list("pk", flat=True))
    Vote.objects.filter(decision_id__in=ids, is_locked=False).update(is_locked=True)
    Statement.objects.filter(decision_id__in=ids, is_locked=False).update(is_locked=True)
    Decision.objects.filter(pk__in=ids).update(is_locked=True)


# --- minutes --------------------------------------------------------------------------------


def current_minutes(meeting: Meeting) -> Minutes | None:
    """The meeting's latest minutes version."""
    return Minutes.objects.filter(meeting=meeting).order_by("-number").first()


def adjusted_minutes(meeting: Meeting) -> Minutes | None:
    """The latest adjusted version: the minutes that count."""
    return (
        Minutes.objects.filter(meeting=meeting, is_adjusted=True)
        .select_related("supersedes")
        .order_by("-number")
        .first()
    )


def _suggested_adjusters(meeting: Meeting) -> list[int]:
    """The chair and one other member present (before attendance is recorded: of the
    body), as adjusters are usually named."""
    present = set(
        Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).values_list(
            "person_id", flat=True
        )
    )
    order = {Role.CHAIR: 0, Role.VICE_CHAIR: 1, Role.MEMBER: 2}
    candidates = sorted(
        (
            a
            for a in body_assignments(meeting)
            if a.role in order and (not present or a.person_id in present)
        ),
        key=lambda a: order[a.role],
    )
    return [a.person_id for a in candidates[:2]]


@transaction.atomic
def draft_minutes(*, meeting: Meeting, actor: User | None) -> Minutes:
    """The first minutes version of ``meeting``, drafted from its record."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(CANCELLED, code="cancelled")
    if Minutes.objects.filter(meeting=locked).exists():
        raise ValidationError(MINUTES_EXIST, code="exists")
    association = locked.association
    minutes = Minutes.objects.create(
        association=association,
        meeting=locked,
        number=1,
        kept_at=_default_kept_at(association),
        opening=str(_("The chair opened the meeting.")),
        closing=str(_("The chair closed the meeting.")),
    )
    for person_id in _suggested_adjusters(locked):
        Adjuster.objects.create(association=association, minutes=minutes, person_id=person_id)
    record_history(
        association=association,
        actor=actor,
        action="created",
        obj=minutes,
        changes={"status": (None, minutes.status)},
    )
    return minutes


def _default_kept_at(association) -> str:
    address = ", ".join(p for p in (association.street_address, association.city) if p)
    return f"{association.display_name}, {address}"[:300] if address else ""


@transaction.atomic
def update_minutes(
    *,
    minutes: Minutes,
    actor: User | None,
    expected_version: int,
    data: dict[str, Any],
    adjusters: list[Person] | None = None,
) -> Minutes:
    """Change a draft's wording (``opening``, ``closing``, ``kept_at``) and its adjusters."""
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if locked.version != expected_version:
        raise ConcurrentEditError
    if locked.status != MinutesStatus.DRAFT:
        raise ValidationError(NOT_DRAFT, code="not_draft")
    changes = {k: (getattr(locked, k), v) for k, v in data.items() if getattr(locked, k) != v}
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["association", "meeting", "supersedes"])
    locked.version += 1
    locked.save()
    if adjusters is not None:
        current = set(Adjuster.objects.filter(minutes=locked).values_list("person_id", flat=True))
        wanted = {p.pk for p in adjusters}
        if current != wanted:
            Adjuster.objects.filter(minutes=locked).exclude(person_id__in=wanted).delete()
            Adjuster.objects.bulk_create(
                Adjuster(association=locked.association, minutes=locked, person_id=pk)
                for pk in wanted - current
            )
            changes["adjusters"] = (sorted(current), sorted(wanted))
    if changes:
        record_history(
            association=locked.association,
            actor=actor,
            action="updated",
            obj=locked,
            changes={k: (str(a), str(b)) for k, (a, b) in changes.items()},
        )
    return locked


@transaction.atomic
def send_for_adjustment(*, minutes: Minutes, actor: User | None) -> Minutes:
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if locked.status != MinutesStatus.DRAFT:
        raise ValidationError(NOT_DRAFT, code="not_draft")
    adjusters = list(Adjuster.objects.filter(minutes=locked).select_related("person"))
    if not adjusters:
        raise ValidationError(NEEDS_ADJUSTERS, code="adjusters")
    missing = [a.person for a in adjusters if a.person.user_id is None]
    if missing:
        raise ValidationError(
            [ValidationError(ADJUSTER_NEEDS_LOGIN, params={"name": p}) for p in missing]
        )
    locked.status = MinutesStatus.OUT_FOR_ADJUSTMENT
    locked.sent_at = timezone.now()
    locked.version += 1
    locked.save()
    record_history(
        association=locked.association,
        actor=actor,
        action="sent_for_adjustment",
        obj=locked,
        changes={"status": (MinutesStatus.DRAFT, locked.status)},
    )
    notifications.sent_for_adjustment(locked)
    return locked


@transaction.atomic
def approve(*, minutes: Minutes, user: User, second_factor: bool) -> Minutes:
    """The adjuster ``user`` approves; ``second_factor`` says whether they logged in with
    one in this session (the view reads it from allauth's authentication records). The
    last approval adjusts and locks the minutes and the meeting's record."""
    locked = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    if locked.status != MinutesStatus.OUT_FOR_ADJUSTMENT:
        raise ValidationError(NOT_OUT, code="not_out")
    adjuster = (
        Adjuster.objects.select_for_update().filter(minutes=locked, person__user=user).first()
    )
    if adjuster is None:
        raise ValidationError(NOT_ADJUSTER, code="not_adjuster")
    if adjuster.approved_at is not None:
        raise ValidationError(ALREADY_APPROVED, code="approved")
    if not second_factor:
        raise ValidationError(NEEDS_SECOND_FACTOR, code="second_factor")
    now = timezone.now()
    adjuster.approved_at = now
    adjuster.approved_by = user
    adjuster.is_locked = True
    adjuster.save()
    record_history(
        association=locked.association,
        actor=user,
        action="approved",
        obj=locked,
        changes={"adjuster": (None, str(adjuster.person))},
    )
    if Adjuster.objects.filter(minutes=locked, approved_at__isnull=True).exists():
        return locked
    return complete_adjustment(minutes=locked, actor=user, when=now)


def complete_adjustment(*, minutes: Minutes, actor: User | None, when) -> Minutes:
    """Adjust ``minutes`` once every adjuster has approved (called inside ``approve``'s
    transaction, and by the demo data for approvals it records as given): lock it, the
    meeting's decisions with their votes and statements and the attendance, and send
    ``minutes_adjusted`` after commit."""
    meeting = minutes.meeting
    minutes.status = MinutesStatus.ADJUSTED
    minutes.adjusted_at = when
    minutes.is_adjusted = True
    minutes.version += 1
    minutes.save()
    _lock_decisions(Decision.objects.filter(item__meeting=meeting))
    Attendance.objects.filter(meeting=meeting, is_locked=False).update(is_locked=True)
    record_history(
        association=minutes.association,
        actor=actor,
        action="adjusted",
        obj=minutes,
        changes={"status": (MinutesStatus.OUT_FOR_ADJUSTMENT, MinutesStatus.ADJUSTED)},
    )
    from governance.meetings.signals import minutes_adjusted

    minutes_id, association = minutes.pk, minutes.association

    def announce():
        # After commit, perhaps outside the request's scope (a command's transaction):
        # the listeners get the association's scope opened for them.
        with tenant_scope(association):
            fresh = Minutes.objects.select_related("meeting__body").get(pk=minutes_id)
            minutes_adjusted.send(sender=Minutes, minutes=fresh, actor=actor)

    transaction.on_commit(announce)
    return minutes


@transaction.atomic
def start_correction(*, minutes: Minutes, actor: User | None, reason: str) -> Minutes:
    """A new version correcting the adjusted ``minutes``: drafted from it (wording, where
    kept, the same adjusters), to go through the same adjustment."""
    reason = reason.strip()[:500]
    if not reason:
        raise ValidationError({"correction_reason": REASON_REQUIRED})
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    latest = Minutes.objects.filter(meeting=locked.meeting_id).aggregate(m=Max("number"))["m"]
    if not locked.is_adjusted or latest != locked.number:
        raise ValidationError(ONLY_ADJUSTED_CORRECTED, code="not_latest")
    correction = Minutes.objects.create(
        association=locked.association,
        meeting_id=locked.meeting_id,
        number=locked.number + 1,
        supersedes=locked,
        correction_reason=reason,
        kept_at=locked.kept_at,
        opening=locked.opening,
        closing=locked.closing,
    )
    Adjuster.objects.bulk_create(
        Adjuster(association=locked.association, minutes=correction, person_id=pk)
        for pk in Adjuster.objects.filter(minutes=locked).values_list("person_id", flat=True)
    )
    record_history(
        association=locked.association,
        actor=actor,
        action="created",
        obj=correction,
        changes={"supersedes": (None, locked.number), "correction_reason": (None, reason)},
    )
    return correction
