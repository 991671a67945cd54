"""Meetings of the association's bodies, their agendas, documents, notes and absences.

A meeting is planned, then its notice (kallelse) is sent, or it is cancelled; moving it keeps
its calendar UID and raises its SEQUENCE, so calendar programs update the event they have.

§ numbers: an agenda item gets its § when the notice goes out (in agenda order), or when it
is added after the notice (the next free number). Numbering runs per body and calendar year
of the meeting (``body``/``year`` are copied onto the item for the uniqueness rule). Before
the notice the agenda shows the items' order only, so reordering never renumbers a § that
anyone has been told about.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from association import locking
from association.tenancy import TenantModel
from governance.models import Role


class BodyMeetingSettings(TenantModel):
    """A body's meeting settings: standing items and the preparatory meeting before it."""

    body = models.OneToOneField(
        "governance.Body",
        on_delete=models.CASCADE,
        related_name="meeting_settings",
        verbose_name=_("body"),
    )
    preparatory_body = models.ForeignKey(
        "governance.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preparatory meeting held by"),
        help_text=_("e.g. the chief executives' group, which meets before each board meeting."),
    )
    preparatory_days_before = models.PositiveSmallIntegerField(
        _("days before"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How long before this body's meeting the preparatory meeting is proposed."),
    )
    standing_items = models.TextField(
        _("standing items"),
        blank=True,
        max_length=4000,
        help_text=_("One per line; every new meeting's agenda starts with them."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("meeting settings of a body")
        verbose_name_plural = _("meeting settings of bodies")

    def __str__(self) -> str:
        return str(self.body)

    def standing_titles(self) -> list[str]:
        return [line.strip()[:200] for line in self.standing_items.splitlines() if line.strip()]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    NOTICE_SENT = "notice_sent", _("Notice sent")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(TenantModel):
    """One meeting (sammanträde) of a body."""

    body = models.ForeignKey(
        "governance.Body",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("body"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True, max_length=500)
    booking = models.ForeignKey(
        "rooms.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room booking"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    move_reason = models.CharField(_("reason for moving"), max_length=500, blank=True)
    prepares = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preparatory_meetings",
        verbose_name=_("prepares the meeting"),
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting (sammanträde)")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["association", "body", "starts_at"])]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return self.title or f"{self.body.name} {start:%Y-%m-%d}"

    @property
    def year(self) -> int:
        return timezone.localtime(self.starts_at).year

    @property
    def notice_sent(self) -> bool:
        return self.notice_sent_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def calendar_uid(self) -> str:
        return f"meeting-{self.uid}@samverka"


class ItemKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    INFORMATION = "information", _("Information")
    DISCUSSION = "discussion", _("Discussion")


class AgendaItem(TenantModel):
    """A point on the agenda (ärende); its § is given when the notice goes out."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    # Copied from the meeting for the § uniqueness rule (per body and year).
    body = models.ForeignKey("governance.Body", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(_("order"))
    number = models.PositiveIntegerField(_("§"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=8000)
    proposed_decision = models.TextField(_("proposed decision"), blank=True, max_length=4000)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)
    case_number = models.CharField(_("case number (diarienummer)"), max_length=60, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.DECISION
    )
    is_public = models.BooleanField(_("public"), default=True)
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_by",
        verbose_name=_("continues the item"),
        help_text=_("The same matter on an earlier agenda of another body."),
    )
    is_standing = models.BooleanField(default=False, editable=False)
    # Set when the item was added or changed after the notice went out.
    changed_after_notice = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("agenda item (ärende)")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="one_paragraph_number_per_body_and_year"
            ),
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}" if self.number else self.title

    def trail(self) -> list["AgendaItem"]:
        """The earlier items this one continues, oldest first (at most ten steps)."""
        steps, item = [], self.continues
        while item is not None and len(steps) < 10:
            steps.append(item)
            item = item.continues
        return list(reversed(steps))


class ItemDocument(TenantModel):
    """A document (handling) attached to an agenda item; the file lives in the shared
    ``association.Document``, whose ``is_public`` says whether the public may see it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    document = models.OneToOneField(
        "association.Document", on_delete=models.CASCADE, related_name="agenda_item_link"
    )

    class Meta:
        verbose_name = _("agenda item document")
        verbose_name_plural = _("agenda item documents")
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return str(self.document)


class ItemNote(TenantModel):
    """A private note on an agenda item: its author alone ever reads it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"), max_length=8000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        constraints = [
            models.UniqueConstraint(fields=["item", "author"], name="one_note_per_item_and_author")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.author_id}"


class Absence(TenantModel):
    """A member's absence report and the substitute called up in their place."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="absences")
    person = models.ForeignKey("governance.Person", on_delete=models.CASCADE, related_name="+")
    substitute = models.ForeignKey(
        "governance.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("substitute called up"),
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence report")
        verbose_name_plural = _("absence reports")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_absence_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"


class ConflictOfInterest(TenantModel):
    """A declared conflict of interest (jäv) on an item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    person = models.ForeignKey("governance.Person", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest (jäv)")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="one_conflict_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.item}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class Attendance(locking.LockedModel, TenantModel):
    """Who was at the meeting (närvaro): a member or substitute of the body on the meeting's
    day, present or absent; a substitute present in a member's place serves (tjänstgör) for
    them. ``arrived_before``/``left_after`` say from which item to which item the person was
    there (empty: from the start, to the end). Locked with the adjusted minutes."""

    lock_field = "is_locked"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("governance.Person", on_delete=models.PROTECT, related_name="+")
    # The person's role in the body on the meeting's day (chair, member, substitute, ...).
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("attendance"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    serves_for = models.ForeignKey(
        "governance.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("serves as substitute for"),
    )
    arrived_before = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arrived before the item"),
    )
    left_after = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("left after the item"),
    )
    is_locked = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("attendance (närvaro)")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="one_attendance_per_meeting_and_person"
            ),
        ]
        triggers = locking.lock_triggers("is_locked")

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"


class DecisionMethod(models.TextChoices):
    ACCLAMATION = "acclamation", _("Acclamation")
    VOTE = "vote", _("Vote")
    CONSENSUS = "consensus", _("Consensus")


class Decision(locking.LockedModel, TenantModel):
    """The decision (beslut) on an agenda item; its § is the item's.

    Locked once its minutes are adjusted, or at the meeting when the paragraph is adjusted
    at once (omedelbar justering): from then on only a correction in a new minutes version
    changes what was decided. Per capsulam decisions are recorded as an item of the next
    meeting, so every decision has a paragraph.
    """

    lock_field = "is_locked"

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="decision")
    text = models.TextField(_("decision"), max_length=8000)
    method = models.CharField(
        _("reached by"),
        max_length=20,
        choices=DecisionMethod.choices,
        default=DecisionMethod.ACCLAMATION,
    )
    # Only for DecisionMethod.CONSENSUS: the minutes say whether consensus was reached.
    consensus_reached = models.BooleanField(_("consensus reached"), null=True, blank=True)
    adjusted_at_once = models.BooleanField(
        _("adjusted at once (omedelbar justering)"), default=False
    )
    is_recommendation = models.BooleanField(
        _("recommendation to the member municipalities"),
        default=False,
        help_text=_("The member municipalities are recommended to decide on the matter."),
    )
    is_public = models.BooleanField(_("public"), default=True)
    # A tie in a vote is decided by the chair's casting vote (ordförandens utslagsröst).
    casting_vote = models.CharField(
        _("the chair's casting vote"),
        max_length=10,
        blank=True,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        help_text=_("Decides a tied vote (ordförandens utslagsröst)."),
    )
    is_locked = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision (beslut)")
        verbose_name_plural = _("decisions")
        ordering = ["item__meeting__starts_at", "item__position"]
        triggers = locking.lock_triggers("is_locked")

    def __str__(self) -> str:
        return str(self.item)


class VoteChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstains")


class Vote(locking.LockedModel, TenantModel):
    """One voter's vote by name (omröstning) on a decision; locked with the decision."""

    lock_field = "is_locked"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey("governance.Person", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    is_locked = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["decision", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "person"], name="one_vote_per_person"),
        ]
        triggers = locking.lock_triggers("is_locked")

    def __str__(self) -> str:
        return f"{self.person}: {self.choice}"


class StatementKind(models.TextChoices):
    RESERVATION = "reservation", _("Reservation")
    NOTE = "note", _("Statement in the minutes (protokollsanteckning)")


class Statement(locking.LockedModel, TenantModel):
    """A reservation against a decision or a statement entered in the minutes
    (protokollsanteckning), with its text; locked with the decision."""

    lock_field = "is_locked"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="statements")
    person = models.ForeignKey("governance.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=20, choices=StatementKind.choices, default=StatementKind.RESERVATION
    )
    text = models.TextField(_("text"), max_length=4000, blank=True)
    is_locked = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("reservation or statement")
        verbose_name_plural = _("reservations and statements")
        ordering = ["decision", "id"]
        triggers = locking.lock_triggers("is_locked")

    def __str__(self) -> str:
        return f"{self.person}: {self.kind}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OUT_FOR_ADJUSTMENT = "out_for_adjustment", _("Sent for adjustment")
    ADJUSTED = "adjusted", _("Adjusted")


class Minutes(locking.LockedModel, TenantModel):
    """The minutes (protokoll) of a meeting, one row per version.

    Drafted from the record (attendance, items, decisions), adjusted (justerat) when every
    named adjuster has approved, then locked in the application and by a trigger. A
    correction is a new version that ``supersedes`` the adjusted one and says why; the
    adjusted version stays as it was.
    """

    lock_field = "is_adjusted"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects the version"),
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    is_adjusted = models.BooleanField(default=False, editable=False)
    adjusted_at = models.DateTimeField(_("adjusted"), null=True, blank=True)
    kept_at = models.CharField(
        _("where the minutes are kept"),
        max_length=300,
        blank=True,
        help_text=_("Shown on the notice board, e.g. the association's office."),
    )
    opening = models.TextField(
        _("opening text"),
        blank=True,
        max_length=4000,
        help_text=_("Printed before the paragraphs, e.g. how the meeting was opened."),
    )
    closing = models.TextField(
        _("closing text"),
        blank=True,
        max_length=4000,
        help_text=_("Printed after the paragraphs, e.g. how the meeting was closed."),
    )
    sent_at = models.DateTimeField(_("sent for adjustment"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes (protokoll)")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="one_minutes_version_number_per_meeting"
            ),
        ]
        triggers = locking.lock_triggers("is_adjusted")

    def __str__(self) -> str:
        return f"{self.meeting} ({self.number})"


class Adjuster(locking.LockedModel, TenantModel):
    """A person named to adjust (justera) a minutes version; their approval locks the row."""

    lock_field = "is_locked"

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="adjusters")
    person = models.ForeignKey("governance.Person", on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_locked = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("adjuster (justerare)")
        verbose_name_plural = _("adjusters")
        ordering = ["minutes", "id"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "person"], name="one_adjuster_per_person"),
        ]
        triggers = locking.lock_triggers("is_locked")

    def __str__(self) -> str:
        return f"{self.person} – {self.minutes}"


class CalendarToken(models.Model):
    """The secret in a person's private calendar address (across associations, so not
    tenant-owned); renewing it replaces the token and the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_calendar"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("private calendar address")
        verbose_name_plural = _("private calendar addresses")

    def __str__(self) -> str:
        return str(self.user_id)
