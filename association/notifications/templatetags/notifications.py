from django import template

register = template.Library()


@register.inclusion_tag("notifications/_header_link.html", takes_context=True)
def notifications_link(context):
    """The header's link with the unread count: a cached fact of the person
    (association/userfacts.py), recomputed only when their notifications change."""
    from association.notifications.services import unread_count
    from association.userfacts import fact

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": fact(user, "unread_notifications", lambda: unread_count(user))}
