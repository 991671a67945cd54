"""Making notifications and delivering them.

The flow: a service raises an event with ``notify`` (or the hourly ``scan`` finds a reminder
due); after commit a task makes one ``Notification`` per recipient and one ``Delivery`` per
channel the recipient chose, then queues the e-mail deliveries in batches of
``NOTIFICATIONS_BATCH_SIZE`` ids. ``deliver`` sends one batch over one SMTP connection.

Exactly once:
- the unique keys (kind, occasion, recipient) and (notification, channel) make a second run
  of any step find its rows and add none;
- a batch takes a PostgreSQL advisory lock per delivery (released by the server if the
  worker dies, since it is tied to the connection): two workers given the same ids (a
  redelivered message, a requeue) never send the same delivery at the same time;
- a delivery is marked sent in its own short transaction right after the SMTP server
  accepted it. Only a worker killed in the milliseconds between the server's "250" and
  that commit can cause a second copy; it carries the same Message-ID, so the receiver
  can tell it for the same message. This is chosen for e-mail at once: a worker killed
  during the SMTP conversation (far likelier than in those milliseconds) has its message
  sent again by the redelivered batch or ``requeue_stale``, rather than lost;
- the daily digest is exactly once or logged instead (``send_digests``): its rows are
  marked "sending" (committed) before the SMTP conversation, and a run that finds rows
  left "sending" by a dead worker marks them failed ("may or may not have arrived") for
  staff to send again from the delivery log, never resends them by itself.
"""

import email.policy
import logging
import smtplib
from datetime import datetime, timedelta
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr
from itertools import islice

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from association.notifications import kinds
from association.notifications.kinds import Kind, Occasion, Recipient
from association.notifications.models import (
    Channel,
    Delivery,
    LeadTime,
    Notification,
    Preference,
    Status,
)
from association.services import record_history

logger = logging.getLogger(__name__)

# A reminder found by a scan is made if it fell due within this window: a beat that was
# down for a day catches up, a reminder for something long past is not sent.
SCAN_WINDOW = timedelta(days=2)
TOKEN_SALT = "notifications.choice"
# Advisory-lock keys of deliveries: a namespace in the high bits, the delivery id below.
LOCK_BASE = 0x4E6F74 << 40

REQUIRED = _("A body's rules require this notice: it cannot be switched off.")
UNKNOWN_KIND = _("There is no such kind of notification.")
LEAD_RANGE = _("Give a number of days between 0 and 365.")
NOT_EDITABLE = _("This lead time is fixed.")
NOT_FAILED = _("Only a failed delivery can be sent again.")
# Stored in the delivery log (like the SMTP server's own answers, not translated).
INTERRUPTED = (
    "Interrupted while being sent: it may or may not have arrived, so it is not sent again "
    "by itself. Send it again if the recipient did not get it."
)


def batch_size() -> int:
    return max(1, int(getattr(settings, "NOTIFICATIONS_BATCH_SIZE", 100)))


def _chunks(values, size):
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- choices and lead times ----------------------------------------------------------------


def effective_channel(kind: Kind, chosen: str | None) -> str:
    """What the person chose, or e-mail at once; a required kind is never portal-only."""
    channel = chosen or Channel.EMAIL
    if kind.required and channel == Channel.PORTAL:
        return Channel.EMAIL
    return channel


def choices_of(user) -> dict[str, str]:
    return dict(Preference.objects.filter(account=user).values_list("kind", "channel"))


@transaction.atomic
def set_choice(*, user, kind_key: str, channel: str) -> Preference:
    try:
        kind = kinds.get(kind_key)
    except KeyError:
        raise ValidationError(UNKNOWN_KIND, code="kind") from None
    if channel not in Channel.values:
        raise ValidationError(UNKNOWN_KIND, code="channel")
    if kind.required and channel == Channel.PORTAL:
        raise ValidationError(REQUIRED, code="required")
    choice, _created = Preference.objects.update_or_create(
        account=user, kind=kind_key, defaults={"channel": channel}
    )
    return choice


def choice_token(user_id: int, kind_key: str) -> str:
    """The key of the one-click link in every e-mail: who and which kind, signed."""
    return signing.dumps({"u": user_id, "k": kind_key}, salt=TOKEN_SALT, compress=True)


def read_choice_token(token: str) -> tuple[int, str] | None:
    try:
        value = signing.loads(token, salt=TOKEN_SALT)
        return int(value["u"]), str(value["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def lead_days(association, kind: Kind) -> int | None:
    if kind.lead_days is None:
        return None
    if not kind.lead_editable:
        return kind.lead_days
    stored = LeadTime.objects.filter(association=association, kind=kind.key).first()
    return stored.days if stored else kind.lead_days


@transaction.atomic
def set_lead_time(*, association, actor, kind_key: str, days: int) -> LeadTime:
    try:
        kind = kinds.get(kind_key)
    except KeyError:
        raise ValidationError(UNKNOWN_KIND, code="kind") from None
    if not kind.lead_editable:
        raise ValidationError(NOT_EDITABLE, code="fixed")
    if not 0 <= days <= 365:
        raise ValidationError({"days": LEAD_RANGE})
    before = lead_days(association, kind)
    lead, _created = LeadTime.objects.update_or_create(
        association=association, kind=kind_key, defaults={"days": days}
    )
    record_history(
        association=association, actor=actor, action="updated", obj=lead,
        changes={"days": (before, days)},
    )  # fmt: skip
    return lead


# --- making notifications -------------------------------------------------------------------


def notify(kind_key: str, *, association, occasion_key: str, data: dict | None = None,
           link: str = "") -> None:  # fmt: skip
    """Raise an event (a notice sent, a substitute called up). Call it inside the service's
    transaction: the task that makes and sends the notifications is queued when it commits
    (never if it rolls back), with ids only."""
    from association.notifications.tasks import raise_occasion

    kinds.get(kind_key)  # an unknown kind fails here, in the service, not in a worker
    association_id, payload = association.pk, dict(data or {})
    transaction.on_commit(
        lambda: raise_occasion.delay(association_id, kind_key, occasion_key, payload, link)
    )


def _render(kind: Kind, context: dict, language: str) -> tuple[str, str, str]:
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(kind.subject, context).split())[:300]
        body = render_to_string(kind.body, context)
        html = render_to_string(kind.html, context) if kind.html else ""
    return subject, body, html


def make_notifications(association, kind: Kind, occasion: Occasion) -> list[int]:
    """Make the occasion's notifications and deliveries (those not made yet) and return the
    ids of its e-mail deliveries still to send. Safe to run any number of times."""
    context = {**kind.context(association, occasion.data), "association": association}
    link = occasion.link or (kind.link(association, occasion.data) if kind.link else "")
    recipients: dict[str, Recipient] = {}
    for recipient in kind.recipients(association, occasion.data):
        if recipient.email:
            recipients.setdefault(recipient.key, recipient)
    rendered: dict[str, tuple[str, str, str]] = {}
    with transaction.atomic():
        for chunk in _chunks(recipients.values(), 1000):
            rows = []
            for recipient in chunk:
                language = recipient.language or settings.LANGUAGE_CODE
                if language not in rendered:  # once per language, not per person
                    rendered[language] = _render(kind, context, language)
                subject, body, html = rendered[language]
                rows.append(
                    Notification(
                        association=association, kind=kind.key, occasion_key=occasion.key,
                        recipient_key=recipient.key, recipient_id=recipient.user_id,
                        email=recipient.email, language=language, subject=subject, body=body,
                        html=html, link=link, data=occasion.data,
                    )
                )  # fmt: skip
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
        made = Notification.objects.filter(
            association=association, kind=kind.key, occasion_key=occasion.key
        )
        missing = made.exclude(deliveries__isnull=False).values_list("pk", "recipient_id")
        for chunk in _chunks(missing.iterator(chunk_size=2000), 1000):
            user_ids = [user_id for _pk, user_id in chunk if user_id]
            chosen = dict(
                Preference.objects.filter(account_id__in=user_ids, kind=kind.key).values_list(
                    "account_id", "channel"
                )
            )
            deliveries = []
            for pk, user_id in chunk:
                channel = effective_channel(kind, chosen.get(user_id))
                if channel != Channel.PORTAL:
                    deliveries.append(
                        Delivery(association=association, notification_id=pk, channel=channel)
                    )
            Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        user_ids = [r.user_id for r in recipients.values() if r.user_id]
        transaction.on_commit(lambda: _unread_changed(user_ids))
        return list(
            Delivery.objects.filter(
                association=association,
                notification__kind=kind.key,
                notification__occasion_key=occasion.key,
                channel=Channel.EMAIL,
            )
            .exclude(status=Status.SENT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def queue_deliveries(association, delivery_ids: list[int]) -> int:
    """Queue the ids in batches, after the current transaction commits."""
    from association.notifications.tasks import deliver_batch

    batches = list(_chunks(delivery_ids, batch_size()))
    association_id = association.pk
    for batch in batches:
        transaction.on_commit(lambda b=batch: deliver_batch.delay(association_id, b))
    return len(batches)


def raise_occasion(association, kind_key: str, occasion: Occasion) -> int:
    kind = kinds.get(kind_key)
    ids = make_notifications(association, kind, occasion)
    return queue_deliveries(association, ids)


def scan(association, now: datetime) -> int:
    """Make the reminders of every scanned kind that fell due by ``now``; returns how many
    occasions it raised (made or found made: the second run makes nothing new)."""
    raised = 0
    for kind in kinds.all_kinds():
        if not kind.scanned:
            continue
        days = lead_days(association, kind)
        for occasion in kind.find(association, now, days):
            if occasion.due is None or not (now - SCAN_WINDOW < occasion.due <= now):
                continue
            with transaction.atomic():
                ids = make_notifications(association, kind, occasion)
                queue_deliveries(association, ids)
            raised += 1
    return raised


def _unread_changed(user_ids) -> None:
    """The header's unread count is a cached fact of the person (association/userfacts.py):
    bump their versions, in one round trip."""
    if not user_ids:
        return
    from association import pagecache

    try:
        pipe = pagecache.redis_client().pipeline(transaction=False)
        for user_id in set(user_ids):
            pipe.incr(pagecache._version_key(("user", user_id)))
        pipe.execute()
    except Exception:
        logger.warning("notifications: unread count not refreshed", exc_info=True)


# --- delivering -----------------------------------------------------------------------------


def _lock(ids: list[int]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM unnest(%s::bigint[]) AS id WHERE pg_try_advisory_lock(%s + id)",
            [ids, LOCK_BASE],
        )
        return [row[0] for row in cursor.fetchall()]


def _unlock(ids: list[int]) -> None:
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s + id) FROM unnest(%s::bigint[]) AS id",
                [LOCK_BASE, ids],
            )


def _transient(error: Exception) -> bool:
    """Worth trying again later: a 4xx answer, a lost connection; not a 5xx refusal."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return True


def _footer(notification: Notification, kind: Kind) -> tuple[str, dict]:
    """The one-click link to change this choice, and RFC 8058's headers where the kind may
    be switched off."""
    if not notification.recipient_id:
        return "", {}
    token = choice_token(notification.recipient_id, notification.kind)
    url = kinds.absolute(reverse("notification_choice", kwargs={"token": token}))
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        text = "\n\n-- \n" + str(_("Change how you receive these: %(url)s") % {"url": url})
    headers = {}
    if not kind.required and url.startswith("https://"):
        headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return text, headers


# Python's compat32 e-mail API with SMTP line endings: it builds a message in under a
# millisecond, where the modern API that EmailMessage.message() uses spends about five
# parsing and folding headers: most of the time of a notice to 10 000 people.
_MIME_POLICY = email.policy.compat32.clone(linesep="\r\n", max_line_length=998)


class BuiltMessage(mail.EmailMessage):
    """An e-mail whose MIME form is built here (``_mime``); the mailer sends it as any
    other (``message()`` is the documented hook every backend asks)."""

    def __init__(self, mime, to: str, from_email: str):
        super().__init__(to=[to], from_email=from_email)
        self._mime = mime

    def message(self, *, policy=None):
        return self._mime


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address


def _mime(delivery: Delivery, kind: Kind, attachments) -> BuiltMessage:
    notification = delivery.notification
    footer, headers = _footer(notification, kind)
    text = MIMEText(notification.body + footer, "plain", "utf-8", policy=_MIME_POLICY)
    if notification.html:
        body = MIMEMultipart("alternative", policy=_MIME_POLICY)
        body.attach(text)
        body.attach(MIMEText(notification.html, "html", "utf-8", policy=_MIME_POLICY))
    else:
        body = text
    if attachments:
        message = MIMEMultipart("mixed", policy=_MIME_POLICY)
        message.attach(body)
        for name, content, mimetype in attachments:
            part = MIMEApplication(content, policy=_MIME_POLICY)
            part.replace_header("Content-Type", mimetype)
            part.add_header("Content-Disposition", "attachment", filename=name)
            message.attach(part)
    else:
        message = body
    sender = settings.DEFAULT_FROM_EMAIL
    message["Subject"] = _header(notification.subject)
    message["From"] = _address(sender)
    message["To"] = notification.email
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = delivery.message_id
    for name, value in headers.items():
        message[name] = value
    return BuiltMessage(message, notification.email, sender)


def deliver(association, delivery_ids: list[int]) -> int:
    """Send one batch of e-mail deliveries over one SMTP connection; returns how many it
    sent. Already sent ones, and ones another worker is sending, are passed over. A
    transient SMTP failure is recorded on the delivery and raised (the task retries the
    batch with back-off); a permanent refusal is recorded and the batch goes on."""
    ids = _lock(sorted(set(delivery_ids)))
    sent = 0
    with connection.cursor() as cursor:
        # The "sent" marks need not wait for the disk: a worker killed after one still
        # finds it (it is committed in PostgreSQL), only a crash of the database server
        # itself could lose the last fraction of a second of them (and resend those, with
        # their Message-ID). It makes a batch several times faster.
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        Delivery.objects.filter(
            pk__in=ids, channel=Channel.EMAIL, status__in=[Status.QUEUED, Status.FAILED]
        ).update(status=Status.SENDING)
        pending = (
            Delivery.objects.filter(pk__in=ids, channel=Channel.EMAIL)
            .exclude(status=Status.SENT)
            .select_related("notification")
            .order_by("pk")
        )
        attachments: dict[tuple, list] = {}
        with mail.mailers.default as smtp:
            for delivery in pending:
                notification = delivery.notification
                kind = kinds.get(notification.kind)
                key = (kind.key, notification.occasion_key)
                if key not in attachments:
                    attachments[key] = (
                        kind.attachments(association, notification.data) if kind.attachments else []
                    )
                try:
                    smtp.send_messages([_mime(delivery, kind, attachments[key])])
                except (smtplib.SMTPException, OSError) as error:
                    Delivery.objects.filter(pk=delivery.pk).update(
                        status=Status.FAILED,
                        attempts=delivery.attempts + 1,
                        last_error=f"{type(error).__name__}: {error}"[:500],
                    )
                    if _transient(error):
                        raise
                    continue
                # Its own short transaction (autocommit), right after the server said yes.
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Status.SENT, attempts=delivery.attempts + 1, sent_at=timezone.now(),
                    last_error="",
                )  # fmt: skip
                sent += 1
    finally:
        _unlock(ids)
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    return sent


def _fail_interrupted_digests(association) -> int:
    """Digest deliveries left "sending" by a worker that died while sending them (nobody
    holds their lock) may or may not have reached the server: they are marked failed with
    that reason, for staff to see in the delivery log and send again, never resent blindly."""
    stale = Delivery.objects.filter(
        association=association, channel=Channel.DIGEST, status=Status.SENDING
    ).values_list("pk", flat=True)
    ids = _lock(list(stale))
    try:
        return Delivery.objects.filter(pk__in=ids, status=Status.SENDING).update(
            status=Status.FAILED, last_error=INTERRUPTED
        )
    finally:
        _unlock(ids)


def send_digests(association, now: datetime) -> int:
    """One e-mail per recipient with every digest item still queued in this association;
    returns how many e-mails were sent.

    Exactly once or logged: a recipient's rows are locked, marked "sending" in their own
    committed statement before the SMTP conversation and "sent" right after the server
    accepted the message. A worker killed in between leaves them "sending"; the next run
    marks those failed (``_fail_interrupted_digests``) instead of sending them again, so a
    digest is never sent twice, and one that may be lost shows in the delivery log."""
    _fail_interrupted_digests(association)
    queued = (
        Delivery.objects.filter(
            association=association, channel=Channel.DIGEST, status=Status.QUEUED
        )
        .values_list("notification__recipient_key", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_key in list(queued):
        rows = list(
            Delivery.objects.filter(
                association=association,
                channel=Channel.DIGEST,
                status=Status.QUEUED,
                notification__recipient_key=recipient_key,
            )
            .select_related("notification")
            .order_by("notification__created_at", "pk")
        )
        ids = _lock([row.pk for row in rows])
        try:
            # Locked now: only rows still queued (another worker may have just sent some).
            fresh = set(
                Delivery.objects.filter(pk__in=ids, status=Status.QUEUED).values_list(
                    "pk", flat=True
                )
            )
            rows = [row for row in rows if row.pk in fresh]
            if not rows:
                continue
            ids_now = [row.pk for row in rows]
            first = rows[0].notification
            language = first.language or settings.LANGUAGE_CODE
            items = [
                (row.notification.subject, kinds.absolute(row.notification.link)) for row in rows
            ]
            with translation.override(language):
                context = {"association": association, "items": items, "day": now}
                subject = " ".join(
                    render_to_string("notifications/email/digest_subject.txt", context).split()
                )
                body = render_to_string("notifications/email/digest_body.txt", context)
            message = mail.EmailMessage(
                subject, body, None, [first.email],
                headers={"Message-ID": f"<digest-{rows[0].pk}-{len(rows)}@samverka.notifications>"},
            )  # fmt: skip
            Delivery.objects.filter(pk__in=ids_now).update(status=Status.SENDING)
            try:
                with mail.mailers.default as smtp:
                    smtp.send_messages([message])
            except (smtplib.SMTPException, OSError) as error:
                transient = _transient(error)
                Delivery.objects.filter(pk__in=ids_now).update(
                    status=Status.QUEUED if transient else Status.FAILED,
                    attempts=F("attempts") + 1,
                    last_error=f"{type(error).__name__}: {error}"[:500],
                )
                if transient:
                    raise
                continue
            Delivery.objects.filter(pk__in=ids_now).update(
                status=Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1,
                last_error="",
            )  # fmt: skip
            sent += 1
        finally:
            _unlock(ids)
    return sent


@transaction.atomic
def resend(*, delivery: Delivery, actor) -> Delivery:
    """Send a failed delivery again (staff, from the delivery log)."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.status != Status.FAILED:
        raise ValidationError(NOT_FAILED, code="not_failed")
    locked.status = Status.QUEUED
    locked.save(update_fields=["status"])
    record_history(
        association=locked.association, actor=actor, action="resent", obj=locked,
        changes={"status": (Status.FAILED, Status.QUEUED)},
    )  # fmt: skip
    if locked.channel == Channel.EMAIL:
        queue_deliveries(locked.association, [locked.pk])
    return locked


def requeue_stale(association, now: datetime, older_than: timedelta = timedelta(minutes=30)):
    """A safety net for a lost broker message: e-mail deliveries still queued (or left
    "sending" by a dead worker) well after they were made are queued again. Deliveries a
    live worker holds are locked and passed over by ``deliver``."""
    ids = list(
        Delivery.objects.filter(
            association=association,
            channel=Channel.EMAIL,
            status__in=[Status.QUEUED, Status.SENDING],
            created_at__lt=now - older_than,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:10000]
    )
    return queue_deliveries(association, ids)


# --- the person's list ---------------------------------------------------------------------


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the person's own notifications read (all unread ones when no ids are given).
    Every association's: the list is the person's, across associations."""
    from association.tenancy import scopes_disabled

    with scopes_disabled():
        rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
        if notification_ids is not None:
            rows = rows.filter(pk__in=notification_ids)
        count = rows.update(read_at=timezone.now())
    if count:
        _unread_changed([user.pk])
    return count


def unread_count(user) -> int:
    from association.tenancy import scopes_disabled

    with scopes_disabled():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
