"""The board as an Atom feed (django.contrib.syndication) and as calendar events (from the
day a notice is posted to the end of the day it comes down)."""

import datetime
import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from association.calendar import CalendarEvent
from governance.noticeboard import queries
from governance.noticeboard.models import Posting, start_of_day

FEED_ENTRIES = 50
# XML 1.0 has no place for these; a name typed with one must not break the feed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def notice_title(posting: Posting) -> str:
    if posting.is_correction:
        return _("%(body)s: corrected minutes of %(date)s adjusted") % {
            "body": posting.body_name, "date": date_format(posting.meeting_date, "j F Y"),
        }  # fmt: skip
    return _("%(body)s: minutes of %(date)s adjusted") % {
        "body": posting.body_name, "date": date_format(posting.meeting_date, "j F Y"),
    }  # fmt: skip


def notice_text(posting: Posting) -> str:
    """What the notice states, one fact a line (the feed's summary, the event's text)."""
    lines = [
        (_("Body"), posting.body_name),
        (_("Meeting date"), date_format(posting.meeting_date, "j F Y")),
        (_("Date of adjustment"), date_format(posting.adjusted_on, "j F Y")),
        (_("Where the minutes are kept"), posting.kept_at),
        (_("Posted on"), date_format(posting.posted_on, "j F Y")),
        (_("Comes down on"), date_format(posting.comes_down_on, "j F Y")),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines)


class NoticeFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, association):
        self.today = timezone.localdate()
        return request.association

    def title(self, association):
        return xml_safe(_("Notice board of %(name)s") % {"name": association.name})

    def subtitle(self, association):
        return _("Notices that minutes are adjusted, with the appeal period.")

    def link(self, association):
        return reverse("noticeboard:board", kwargs={"association": association.slug})

    def items(self, association):
        return queries.feed_postings(association, self.today)[:FEED_ENTRIES]

    def item_title(self, item):
        return xml_safe(notice_title(item))

    def item_description(self, item):
        return xml_safe(notice_text(item))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return start_of_day(item.posted_on)

    def item_updateddate(self, item):
        return start_of_day(item.posted_on)


def notice_event(posting: Posting, *, url: str = "") -> CalendarEvent:
    return CalendarEvent(
        uid=f"notice-{posting.pk}@samverka",
        sequence=0,  # a notice never changes
        start=start_of_day(posting.posted_on),
        end=start_of_day(posting.comes_down_on + datetime.timedelta(days=1)),
        summary=notice_title(posting),
        description=notice_text(posting),
        location=posting.kept_at,
        url=url,
        last_modified=posting.created_at,
    )
