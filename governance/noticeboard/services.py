"""Posting notices on the board, and the board's settings: one transaction each, with
history. The board listens to ``governance.meetings.signals.minutes_adjusted``."""

import datetime
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association.models import Association, User
from association.services import ConcurrentEditError, record_history
from association.tenancy import tenant_scope
from governance.meetings.models import Minutes
from governance.noticeboard.models import NoticeBoardSettings, Posting, comes_down_on, swedish_date

__all__ = [
    "ConcurrentEditError",
    "on_minutes_adjusted",
    "post_notice",
    "post_on_adjustment",
    "save_settings",
    "settings_of",
]

logger = logging.getLogger(__name__)

NOT_ADJUSTED = _("Only adjusted minutes are posted on the notice board.")
ALREADY_POSTED = _("The notice of these minutes is already posted.")
BEFORE_ADJUSTMENT = _("A notice cannot be posted before the minutes were adjusted.")
IN_THE_FUTURE = _("A notice is posted today or was posted earlier, never later.")


def settings_of(association: Association) -> NoticeBoardSettings:
    """The association's settings, or the defaults (unsaved) while it has none."""
    found = NoticeBoardSettings.objects.filter(association=association).first()
    return found or NoticeBoardSettings(association=association)


@transaction.atomic
def save_settings(
    *, association: Association, actor: User | None, expected_version: int, data: dict[str, Any]
) -> NoticeBoardSettings:
    current = settings_of(association)
    if current.pk is not None:
        current = NoticeBoardSettings.objects.select_for_update().get(pk=current.pk)
        if current.version != expected_version:
            raise ConcurrentEditError
    changes = {k: (getattr(current, k), v) for k, v in data.items() if getattr(current, k) != v}
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean(exclude=["association"])
    if current.pk is not None:
        current.version += 1
        current.save()
    else:
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:  # someone saved the first settings at the same moment
            raise ConcurrentEditError from None
    if changes:
        record_history(
            association=association, actor=actor, action="updated", obj=current,
            changes=changes,
        )  # fmt: skip
    return current


def _kept_at(minutes: Minutes, board: NoticeBoardSettings, association: Association) -> str:
    """Where the minutes are kept: as the minutes say, else the board's default, else the
    association's address."""
    address = ", ".join(
        part
        for part in (
            association.name,
            association.street_address,
            f"{association.postal_code} {association.city}".strip(),
        )
        if part
    )
    return (minutes.kept_at or board.default_kept_at or address)[:300]


@transaction.atomic
def post_notice(
    *,
    minutes: Minutes,
    actor: User | None,
    kept_at: str = "",
    posted_on: datetime.date | None = None,
    automatic: bool = False,
) -> Posting:
    """Post the notice that ``minutes`` (an adjusted version) are adjusted, today.

    ``posted_on`` is for the demo data and for recording a notice that was posted earlier by
    other means; it can never lie in the future or before the adjustment. Refuses minutes
    that are not adjusted and minutes whose notice is already posted.
    """
    association = Association.objects.get(pk=minutes.association_id)
    # Locks the minutes' row, so two postings of one version cannot race (the one-to-one
    # key would refuse the second anyway).
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting__body")
        .get(pk=minutes.pk, association=association)
    )
    if not minutes.is_adjusted or minutes.adjusted_at is None:
        raise ValidationError(NOT_ADJUSTED, code="not_adjusted")
    if Posting.objects.filter(minutes=minutes).exists():
        raise ValidationError(ALREADY_POSTED, code="already_posted")
    today = timezone.localdate()
    posted_on = posted_on or today
    adjusted_on = swedish_date(minutes.adjusted_at)
    if posted_on > today:
        raise ValidationError(IN_THE_FUTURE, code="future")
    if posted_on < adjusted_on:
        raise ValidationError(BEFORE_ADJUSTMENT, code="before_adjustment")
    board = settings_of(association)
    meeting = minutes.meeting
    posting = Posting(
        association=association,
        minutes=minutes,
        meeting=meeting,
        minutes_number=minutes.number,
        body_name=meeting.body.name,
        meeting_date=swedish_date(meeting.starts_at),
        adjusted_on=adjusted_on,
        kept_at=(kept_at.strip() or _kept_at(minutes, board, association))[:300],
        posted_on=posted_on,
        appeal_days=board.appeal_days,
        comes_down_on=comes_down_on(posted_on, board.appeal_days),
        automatic=automatic,
        posted_by=actor if actor is not None and actor.is_authenticated else None,
    )
    posting.full_clean(exclude=["association", "minutes", "meeting", "posted_by"])
    posting.save()
    record_history(
        association=association,
        actor=actor,
        action="posted",
        obj=posting,
        changes={
            name: (None, getattr(posting, name))
            for name in ("body_name", "meeting_date", "adjusted_on", "kept_at", "posted_on",
                         "comes_down_on", "automatic")
        },
    )  # fmt: skip
    return posting


def post_on_adjustment(*, minutes: Minutes, actor: User | None) -> Posting | None:
    """What the board does when minutes are adjusted: post the notice at once when the
    association posts automatically (None otherwise, or when it is already posted)."""
    association = Association.objects.get(pk=minutes.association_id)
    with tenant_scope(association):
        if not settings_of(association).automatic:
            return None
        if Posting.objects.filter(minutes_id=minutes.pk).exists():
            return None
        return post_notice(minutes=minutes, actor=actor, automatic=True)


def on_minutes_adjusted(sender, minutes: Minutes, actor: User | None = None, **kwargs) -> None:
    """Receiver of ``minutes_adjusted`` (sent after the adjustment committed). A failure
    here must not undo or hide the adjustment: it is logged, and the minutes show on the
    staff's list of notices not posted, where they can be posted by hand."""
    try:
        post_on_adjustment(minutes=minutes, actor=actor)
    except ValidationError as refusal:  # e.g. sent for minutes that are not adjusted
        logger.warning("notice board: minutes %s not posted: %s", minutes.pk, refusal.messages)
    except Exception:
        logger.exception("notice board: the notice of minutes %s was not posted", minutes.pk)
