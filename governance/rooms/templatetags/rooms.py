from django import template

from governance.rooms.permissions import may_book

register = template.Library()


@register.inclusion_tag("rooms/_main_nav_item.html", takes_context=True)
def rooms_nav_item(context):
    """The main menu's link to the rooms, for the people who may book them."""
    request = context.get("request")
    show = (
        request is not None
        and getattr(request, "association", None) is not None
        and request.user.is_authenticated
        and may_book(request)
    )
    return {"show": show, "association": context.get("association"), "request": request}
