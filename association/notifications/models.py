"""Notifications, their deliveries, people's choices and staff's lead times.

``Notification`` is what one recipient is told about one occasion (shown in the portal);
``Delivery`` is one way it leaves the portal (an e-mail at once, or a line in the daily
digest). Their unique keys carry the exactly-once promise: whoever runs a scan, a task or a
retry a second time finds the rows and does nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from association.tenancy import TenantModel


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail at once")
    DIGEST = "digest", _("Daily digest")
    PORTAL = "portal", _("Only in the portal")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(TenantModel):
    kind = models.CharField(_("kind"), max_length=64)
    occasion_key = models.CharField(_("occasion"), max_length=200)
    # "u:<user id>" or "e:<address>" (kinds.Recipient.key): a person of the register
    # without a login is still told, by e-mail.
    recipient_key = models.CharField(max_length=260)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(max_length=8, blank=True)
    # Rendered once, in the recipient's language, when the notification is made.
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html = models.TextField(blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "kind", "occasion_key", "recipient_key"],
                name="one_notification_per_occasion_and_recipient",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(TenantModel):
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["association", "status", "channel"])]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel}"

    @property
    def message_id(self) -> str:
        # The same for every attempt: a receiver that got a message whose acceptance we
        # never heard of (a worker killed in between) can tell the resend for the same.
        return f"<delivery-{self.pk}.n{self.notification_id}@samverka.notifications>"


class Preference(models.Model):
    """A person's choice for one kind, across associations: someone in two associations
    wants the same thing from "meeting notices" in both, and changes it in one place.
    Not tenant-owned (it belongs to the login, like the preferred language). The field is
    ``account``, not ``user``: a choice is never shown on a page another person sees, so
    it need not invalidate the cached facts about people (association/pagecache.py)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification choice")
        verbose_name_plural = _("notification choices")
        constraints = [
            models.UniqueConstraint(fields=["account", "kind"], name="one_choice_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"


class LeadTime(TenantModel):
    kind = models.CharField(_("kind"), max_length=64)
    days = models.PositiveIntegerField(_("days before"))

    class Meta:
        verbose_name = _("lead time")
        verbose_name_plural = _("lead times")
        constraints = [
            models.UniqueConstraint(fields=["association", "kind"], name="one_lead_time_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"
