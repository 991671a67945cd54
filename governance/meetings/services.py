"""Every change to meetings and their agendas: one transaction each, with history; e-mails
leave after commit (``notifications`` holds one small function per occasion)."""

import datetime
import secrets
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.documents import add_document, add_version
from association.models import DocumentVersion, User
from association.services import ConcurrentEditError, record_history
from governance.meetings.models import (
    Absence,
    AgendaItem,
    BodyMeetingSettings,
    CalendarToken,
    ConflictOfInterest,
    Decision,
    ItemDocument,
    ItemNote,
    Meeting,
    MeetingStatus,
    Minutes,
)
from governance.models import Assignment, Body, Person, Role

__all__ = ["ConcurrentEditError"]

NOT_AWARE = _("Times must carry a time zone.")
CANCELLED = _("The meeting is cancelled.")
ALREADY_SENT = _("The notice has already been sent.")
NOT_SEATED = _("You have no assignment in this body on the day of the meeting.")
ALREADY_ABSENT = _("Your absence is already reported.")
WRONG_CONTINUES = _("An item can continue only an item of another body's meeting.")
ROOM_NEEDS_LOGIN = _("A room can be booked only by a logged-in person.")
CONFLICT_RECORDED = _(
    "The meeting's record has been started, so the conflict of interest can no longer be "
    "withdrawn here. Ask the secretary to correct it."
)
NO_CONFLICT = _("You have declared no conflict of interest on this item.")
NUMBERED_STAYS = _("An item with a § number stays on the agenda.")
DECIDED_STAYS = _("An item with a recorded decision stays on the agenda.")
MINUTES_ADJUSTED = _("The minutes of this meeting are adjusted; the record can no longer change.")
# Fields whose change matters to the attendees' calendars (SEQUENCE is raised).
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "video_url")
ITEM_FIELDS = (
    "title",
    "description",
    "proposed_decision",
    "presenter",
    "case_number",
    "kind",
    "is_public",
    "continues",
)


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def _check_times(starts_at, ends_at) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(NOT_AWARE, code="naive")


# --- settings -----------------------------------------------------------------------------


def settings_of(body: Body) -> BodyMeetingSettings:
    found = BodyMeetingSettings.objects.select_related("preparatory_body").filter(body=body).first()
    return found or BodyMeetingSettings(association=body.association, body=body)


@transaction.atomic
def save_settings(*, body: Body, actor: User | None, data: dict[str, Any]) -> BodyMeetingSettings:
    current = settings_of(body)
    changes = {k: (getattr(current, k), v) for k, v in data.items() if getattr(current, k) != v}
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean(exclude=["association", "body"])
    if current.pk:
        current.version += 1
    current.save()
    if changes:
        record_history(
            association=body.association,
            actor=actor,
            action="updated",
            obj=current,
            changes={k: (str(a), str(b)) for k, (a, b) in changes.items()},
        )
    return current


# --- meetings -----------------------------------------------------------------------------


@transaction.atomic
def create_meeting(
    *,
    body: Body,
    actor: User | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    video_url: str = "",
    title: str = "",
    resource=None,
    prepares: Meeting | None = None,
) -> Meeting:
    """Plan a meeting; its agenda starts with the body's standing items. A ``resource``
    (a room) is booked for the meeting through the rooms app, which refuses overlaps."""
    _check_times(starts_at, ends_at)
    meeting = Meeting(
        association=body.association,
        body=body,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        video_url=video_url.strip(),
        title=title.strip(),
        prepares=prepares,
    )
    meeting.full_clean(exclude=["association", "body", "booking", "prepares"])
    meeting.save()
    if resource is not None:
        _book_room(meeting, resource, actor)
    for position, item_title in enumerate(settings_of(body).standing_titles(), start=1):
        AgendaItem.objects.create(
            association=body.association,
            meeting=meeting,
            body=body,
            year=meeting.year,
            position=position,
            title=item_title,
            kind="information",
            is_standing=True,
        )
    record_history(
        association=body.association,
        actor=actor,
        action="created",
        obj=meeting,
        changes={
            "starts_at": (None, _plain(starts_at)),
            "ends_at": (None, _plain(ends_at)),
            "place": (None, meeting.place),
        },
    )
    return meeting


def _book_room(meeting: Meeting, resource, actor) -> None:
    from governance.rooms import services as rooms

    if actor is None or not actor.is_authenticated:
        raise ValidationError(ROOM_NEEDS_LOGIN, code="login")
    meeting.booking = rooms.book(
        resource=resource,
        actor=actor,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        title=str(meeting)[:200],
        meeting_reference=f"meeting:{meeting.pk}",
    )
    if not meeting.place:
        meeting.place = ", ".join(p for p in (resource.name, resource.location) if p)
    meeting.save(update_fields=["booking", "place"])


def _release_room(meeting: Meeting, actor) -> None:
    from governance.rooms import services as rooms

    if meeting.booking_id and meeting.booking.cancelled_at is None:
        rooms.cancel_booking(booking=meeting.booking, actor=actor)


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    actor: User | None,
    expected_version: int,
    data: dict[str, Any],
    reason: str = "",
) -> Meeting:
    """Edit or move a meeting. A change of time or place raises the calendar SEQUENCE (the
    UID stays) and, after the notice, is announced to every member and substitute."""
    locked = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body", "booking")
        .get(pk=meeting.pk)
    )
    if locked.version != expected_version:
        raise ConcurrentEditError
    if locked.is_cancelled:
        raise ValidationError(CANCELLED, code="cancelled")
    _check_times(data.get("starts_at", locked.starts_at), data.get("ends_at", locked.ends_at))
    changes = {k: (getattr(locked, k), v) for k, v in data.items() if getattr(locked, k) != v}
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["association", "body", "booking", "prepares"])
    moved = any(name in changes for name in CALENDAR_FIELDS)
    if moved:
        locked.sequence += 1
        locked.move_reason = reason.strip()[:500]
        changes["sequence"] = (locked.sequence - 1, locked.sequence)
    times_changed = "starts_at" in changes or "ends_at" in changes
    if times_changed and locked.booking_id:
        resource = locked.booking.resource
        _release_room(locked, actor)
        locked.booking = None
        locked.save()
        _book_room(locked, resource, actor)
    if times_changed:
        AgendaItem.objects.filter(meeting=locked, number__isnull=True).update(year=locked.year)
    locked.version += 1
    locked.save()
    if changes:
        record_history(
            association=locked.association,
            actor=actor,
            action="updated",
            obj=locked,
            changes={k: (_plain(a), _plain(b)) for k, (a, b) in changes.items()},
        )
    if moved and locked.notice_sent:
        _after_commit_announce(locked, "moved")
    return locked


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, actor: User | None, reason: str) -> Meeting:
    locked = (
        Meeting.objects.select_for_update(of=("self",)).select_related("booking").get(pk=meeting.pk)
    )
    if locked.is_cancelled:
        raise ValidationError(CANCELLED, code="cancelled")
    _release_room(locked, actor)
    previous = locked.status
    locked.status = MeetingStatus.CANCELLED
    locked.cancel_reason = reason.strip()[:500]
    locked.sequence += 1
    locked.version += 1
    locked.save()
    record_history(
        association=locked.association,
        actor=actor,
        action="updated",
        obj=locked,
        changes={"status": (previous, locked.status), "cancel_reason": ("", locked.cancel_reason)},
    )
    if locked.notice_sent:
        _after_commit_announce(locked, "cancelled")
    return locked


def preparatory_proposal(
    meeting: Meeting,
    *,
    settings: BodyMeetingSettings | None = None,
    has_preparatory: bool | None = None,
) -> tuple[Body, datetime.datetime] | None:
    """The preparatory meeting the body's settings propose before ``meeting`` (same time of
    day, the set number of days before), unless one exists already. A page listing many
    meetings passes the body's ``settings`` and each meeting's ``has_preparatory`` (see
    ``queries.body_year``), so the list costs no query per meeting."""
    found = settings if settings is not None else settings_of(meeting.body)
    if found.preparatory_body_id is None or meeting.is_cancelled:
        return None
    if has_preparatory is None:
        has_preparatory = meeting.preparatory_meetings.exclude(
            status=MeetingStatus.CANCELLED
        ).exists()
    if has_preparatory:
        return None
    local = timezone.localtime(meeting.starts_at)
    day = local.date() - datetime.timedelta(days=found.preparatory_days_before)
    starts = datetime.datetime.combine(day, local.time(), tzinfo=local.tzinfo)
    return found.preparatory_body, starts


@transaction.atomic
def confirm_preparatory(*, meeting: Meeting, actor: User | None) -> Meeting | None:
    proposal = preparatory_proposal(meeting)
    if proposal is None:
        return None
    body, starts = proposal
    length = meeting.ends_at - meeting.starts_at
    return create_meeting(
        body=body,
        actor=actor,
        starts_at=starts,
        ends_at=starts + length,
        place=meeting.place,
        video_url=meeting.video_url,
        prepares=meeting,
    )


# --- the agenda -----------------------------------------------------------------------------


def _next_number(body_id: int, year: int) -> int:
    # The body row is locked by the caller, so two notices of one body number one by one.
    highest = AgendaItem.objects.filter(body_id=body_id, year=year).aggregate(m=Max("number"))
    return (highest["m"] or 0) + 1


def _lock_body(body_id: int) -> None:
    Body.objects.select_for_update().filter(pk=body_id).first()


def _check_continues(item: AgendaItem) -> None:
    if item.continues_id and (
        item.continues.body_id == item.body_id or item.continues.meeting_id == item.meeting_id
    ):
        raise ValidationError({"continues": ValidationError(WRONG_CONTINUES)})


@transaction.atomic
def add_item(*, meeting: Meeting, actor: User | None, **fields: Any) -> AgendaItem:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(CANCELLED, code="cancelled")
    last = AgendaItem.objects.filter(meeting=locked).aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem(
        association=locked.association,
        meeting=locked,
        body_id=locked.body_id,
        year=locked.year,
        position=last + 1,
        **fields,
    )
    item.full_clean(exclude=["association", "meeting", "body", "number"])
    _check_continues(item)
    if locked.notice_sent:
        _lock_body(locked.body_id)
        item.number = _next_number(locked.body_id, locked.year)
        item.changed_after_notice = True
    item.save()
    record_history(
        association=locked.association,
        actor=actor,
        action="created",
        obj=item,
        changes={name: (None, str(fields[name])) for name in fields},
    )
    if locked.notice_sent:
        _after_commit_announce(locked, "changed")
    return item


@transaction.atomic
def update_item(
    *, item: AgendaItem, actor: User | None, expected_version: int, data: dict[str, Any]
) -> AgendaItem:
    locked = (
        AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    )
    if locked.version != expected_version:
        raise ConcurrentEditError
    changes = {k: (getattr(locked, k), v) for k, v in data.items() if getattr(locked, k) != v}
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["association", "meeting", "body", "number"])
    _check_continues(locked)
    if changes and locked.meeting.notice_sent:
        locked.changed_after_notice = True
    locked.version += 1
    locked.save()
    if changes:
        record_history(
            association=locked.association,
            actor=actor,
            action="updated",
            obj=locked,
            changes={k: (str(a), str(b)) for k, (a, b) in changes.items()},
        )
        if locked.meeting.notice_sent:
            _after_commit_announce(locked.meeting, "changed")
    return locked


@transaction.atomic
def reorder_items(*, meeting: Meeting, actor: User | None, order: list[int]) -> None:
    """Put the items in ``order`` (item ids; ids of other meetings are ignored, items left
    out keep their relative order at the end)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    items = list(AgendaItem.objects.filter(meeting=locked).order_by("position", "id"))
    by_id = {item.pk: item for item in items}
    wanted = [by_id[pk] for pk in dict.fromkeys(order) if pk in by_id]
    wanted += [item for item in items if item not in wanted]
    before = [item.pk for item in items]
    for position, item in enumerate(wanted, start=1):
        item.position = position
    AgendaItem.objects.bulk_update(wanted, ["position"])
    if before != [item.pk for item in wanted]:
        record_history(
            association=locked.association,
            actor=actor,
            action="updated",
            obj=locked,
            changes={"agenda_order": (before, [item.pk for item in wanted])},
        )


def move_item(
    *, item: AgendaItem, actor: User | None, step: int = 0, to: int | None = None
) -> None:
    """One place up (-1) or down (+1) (the buttons that work without JavaScript), or to
    the 0-based place ``to`` (drag and drop)."""
    ids = list(
        AgendaItem.objects.filter(meeting=item.meeting_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = ids.index(item.pk)
    target = max(0, min(len(ids) - 1, index + step if to is None else to))
    ids.insert(target, ids.pop(index))
    reorder_items(meeting=item.meeting, actor=actor, order=ids)


@transaction.atomic
def delete_item(*, item: AgendaItem, actor: User | None) -> None:
    from association.documents import delete_document

    if item.number is not None:
        raise ValidationError(NUMBERED_STAYS, code="numbered")
    if Decision.objects.filter(item=item).exists():
        raise ValidationError(DECIDED_STAYS, code="decided")
    for link in list(ItemDocument.objects.filter(item=item).select_related("document")):
        delete_document(document=link.document, actor=actor)
    record_history(
        association=item.association,
        actor=actor,
        action="deleted",
        obj=item,
        changes={"title": (item.title, None)},
    )
    item.delete()


@transaction.atomic
def attach_document(
    *, item: AgendaItem, actor: User | None, upload, title: str = "", is_public: bool = False
) -> ItemDocument:
    document = add_document(
        association=item.association,
        actor=actor,
        upload=upload,
        title=title,
        is_public=is_public,
    )
    link = ItemDocument.objects.create(association=item.association, item=item, document=document)
    if item.meeting.notice_sent:
        AgendaItem.objects.filter(pk=item.pk).update(changed_after_notice=True)
    _announce_documents(item.meeting)
    return link


@transaction.atomic
def add_document_version(
    *, link: ItemDocument, actor: User | None, upload, note: str = ""
) -> DocumentVersion:
    """A new version of an agenda item's document (the shared ``add_version``), announced
    to the members as a document published once the notice is out."""
    version = add_version(document=link.document, actor=actor, upload=upload, note=note)
    _announce_documents(Meeting.objects.get(pk=link.item.meeting_id))
    return version


def _announce_documents(meeting: Meeting) -> None:
    """A document published after the notice is told to every member and substitute (the
    required ``meetings.changed`` kind, occasion "documents"), while the meeting is ahead:
    before the notice the notice itself carries the documents; after the meeting, they
    are the record's."""
    if meeting.notice_sent and not meeting.is_cancelled and meeting.ends_at > timezone.now():
        _after_commit_announce(meeting, "documents")


# --- the notice -----------------------------------------------------------------------------


@transaction.atomic
def send_notice(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Number the agenda (§ per body and year, in agenda order), mark the notice sent and
    e-mail every member and substitute after commit (a Celery task)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(CANCELLED, code="cancelled")
    if locked.notice_sent:
        raise ValidationError(ALREADY_SENT, code="sent")
    _lock_body(locked.body_id)
    number = _next_number(locked.body_id, locked.year)
    items = list(AgendaItem.objects.filter(meeting=locked).order_by("position", "id"))
    for item in items:
        item.year = locked.year
        item.number, number = number, number + 1
    AgendaItem.objects.bulk_update(items, ["number", "year"])
    locked.status = MeetingStatus.NOTICE_SENT
    locked.notice_sent_at = timezone.now()
    locked.version += 1
    locked.save()
    record_history(
        association=locked.association,
        actor=actor,
        action="notice_sent",
        obj=locked,
        changes={"status": (MeetingStatus.PLANNED, locked.status)},
    )
    _after_commit_announce(locked, "notice")
    return locked


def _after_commit_announce(meeting: Meeting, occasion: str) -> None:
    from governance.meetings.tasks import announce

    association_id, meeting_id = meeting.association_id, meeting.pk
    delivery = uuid.uuid4().hex
    transaction.on_commit(lambda: announce.delay(association_id, meeting_id, occasion, delivery))


def recipients(meeting: Meeting) -> list[Person]:
    """Every member and substitute of the body on the day of the meeting."""
    day = timezone.localtime(meeting.starts_at).date()
    return list(
        Person.objects.filter(
            assignments__body=meeting.body_id,
            assignments__starts_on__lte=day,
            assignments__ends_on__gte=day,
        )
        .select_related("user")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


# --- members: notes, absence, conflicts -----------------------------------------------------


@transaction.atomic
def save_note(*, item: AgendaItem, author: User, text: str) -> ItemNote | None:
    """The author's private note (an empty text removes it). No history: nobody else may
    ever read it, and the history is read by staff."""
    text = text.strip()[:8000]
    if not text:
        ItemNote.objects.filter(item=item, author=author).delete()
        return None
    note, _created = ItemNote.objects.update_or_create(
        item=item, author=author, defaults={"text": text, "association": item.association}
    )
    return note


def person_of(meeting: Meeting, user: User) -> tuple[Person, Assignment] | None:
    """The user's person and assignment in the meeting's body on the meeting's day."""
    if not user.is_authenticated:
        return None
    day = timezone.localtime(meeting.starts_at).date()
    assignment = (
        Assignment.objects.filter(
            body=meeting.body_id, person__user=user, starts_on__lte=day, ends_on__gte=day
        )
        .select_related("person")
        .first()
    )
    return (assignment.person, assignment) if assignment else None


def substitute_order(meeting: Meeting, assignment: Assignment) -> list[Assignment]:
    """Who is called up for ``assignment``'s person, in order: their personal substitutes,
    then the seat's ordered substitutes by their place in the order, then the body's other
    ordered substitutes. People already absent or already called up are passed over."""
    day = timezone.localtime(meeting.starts_at).date()
    active = Assignment.objects.filter(
        body=meeting.body_id, role=Role.SUBSTITUTE, starts_on__lte=day, ends_on__gte=day
    ).select_related("person__user")
    taken = set(Absence.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    taken |= set(
        Absence.objects.filter(meeting=meeting, substitute__isnull=False).values_list(
            "substitute_id", flat=True
        )
    )
    personal = [a for a in active if a.substitute_for_id == assignment.person_id]
    ordered = sorted(
        (a for a in active if a.substitute_order is not None),
        key=lambda a: (a.seat_id != assignment.seat_id, a.substitute_order, a.pk),
    )
    return [a for a in personal + ordered if a.person_id not in taken]


@transaction.atomic
def report_absence(*, meeting: Meeting, user: User) -> Absence:
    """Report the user absent and call up the substitute whose turn it is; staff are told."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(CANCELLED, code="cancelled")
    found = person_of(locked, user)
    if found is None:
        raise ValidationError(NOT_SEATED, code="not_seated")
    person, assignment = found
    if Absence.objects.filter(meeting=locked, person=person).exists():
        raise ValidationError(ALREADY_ABSENT, code="absent")
    order = [] if assignment.role == Role.SUBSTITUTE else substitute_order(locked, assignment)
    substitute = order[0].person if order else None
    absence = Absence.objects.create(
        association=locked.association, meeting=locked, person=person, substitute=substitute
    )
    record_history(
        association=locked.association,
        actor=user,
        action="created",
        obj=absence,
        changes={"person": (None, str(person)), "substitute": (None, str(substitute or ""))},
    )
    from governance.meetings import notifications

    notifications.absence_reported(absence)
    return absence


@transaction.atomic
def declare_conflict(*, item: AgendaItem, user: User, reason: str = "") -> ConflictOfInterest:
    # The minutes show who took no part because of jäv: adjusted minutes stay as they are.
    if Minutes.objects.filter(meeting=item.meeting_id, is_adjusted=True).exists():
        raise ValidationError(MINUTES_ADJUSTED, code="adjusted")
    found = person_of(item.meeting, user)
    if found is None:
        raise ValidationError(NOT_SEATED, code="not_seated")
    conflict, _created = ConflictOfInterest.objects.update_or_create(
        item=item,
        person=found[0],
        defaults={"reason": reason.strip()[:500], "association": item.association},
    )
    record_history(
        association=item.association,
        actor=user,
        action="created",
        obj=conflict,
        changes={"item": (None, str(item)), "reason": (None, conflict.reason)},
    )
    return conflict


@transaction.atomic
def withdraw_conflict(*, item: AgendaItem, user: User) -> ConflictOfInterest:
    """Take back the user's own declared conflict of interest on ``item``, while the
    meeting has no record yet: once minutes are drafted or a decision is written on the
    item, the declaration is part of the record and stays (the secretary corrects it)."""
    found = person_of(item.meeting, user)
    if found is None:
        raise ValidationError(NOT_SEATED, code="not_seated")
    # The meeting's row serialises this with whatever starts the record for it.
    Meeting.objects.select_for_update().filter(pk=item.meeting_id).first()
    if (
        Minutes.objects.filter(meeting=item.meeting_id).exists()
        or Decision.objects.filter(item=item).exists()
    ):
        raise ValidationError(CONFLICT_RECORDED, code="recorded")
    conflict = (
        ConflictOfInterest.objects.select_for_update().filter(item=item, person=found[0]).first()
    )
    if conflict is None:
        raise ValidationError(NO_CONFLICT, code="no_conflict")
    record_history(
        association=item.association,
        actor=user,
        action="deleted",
        obj=conflict,
        changes={"item": (str(item), None), "reason": (conflict.reason, None)},
    )
    conflict.delete()
    return conflict


# --- private calendar -----------------------------------------------------------------------


def calendar_token(user: User, *, renew: bool = False) -> CalendarToken:
    token = CalendarToken.objects.filter(user=user).first()
    if token is None or renew:
        value = secrets.token_urlsafe(32)
        token, _created = CalendarToken.objects.update_or_create(
            user=user, defaults={"token": value}
        )
    return token
