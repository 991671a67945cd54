"""Querysets of the notifications' pages, with what they show joined in."""

from association.notifications.models import Delivery, Notification
from association.tenancy import scopes_disabled


def my_notifications(user):
    """The person's own notifications in every association (their list crosses tenants,
    filtered by the person, as "my meetings" does)."""
    with scopes_disabled():
        return (
            Notification.objects.filter(recipient=user)
            .select_related("association")
            .order_by("-created_at", "-id")
        )


def delivery_log(association, *, status: str = "", channel: str = "", kind: str = "",
                 search: str = ""):  # fmt: skip
    rows = Delivery.objects.filter(association=association).select_related("notification")
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(channel=channel)
    if kind:
        rows = rows.filter(notification__kind=kind)
    if search:
        rows = rows.filter(notification__email__icontains=search)
    return rows.order_by("-created_at", "-id")
