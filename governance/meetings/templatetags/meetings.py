from django import template

from governance.meetings import queries

register = template.Library()


@register.inclusion_tag("meetings/_next_meetings.html", takes_context=True)
def next_meetings(context, body):
    """A body page's "next meetings": those whose notice has gone out (one query)."""
    return {
        "meetings": queries.upcoming_for_body(body),
        "association": context.get("association"),
        "body": body,
    }
