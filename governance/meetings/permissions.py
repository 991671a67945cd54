"""Who sees what of a meeting.

- The public: public items and public documents of meetings whose notice has gone out.
- A member or substitute of the body (an assignment in it today, as governance computes
  it on every request): everything of that body's meetings.
- Staff of the association: everything. Others: nothing beyond the public part.
- A private note: its author alone (not staff, not platform admins): notes are only ever
  read filtered by ``author=request.user``.
"""

from association.permissions import may_edit, may_view_internal
from governance.permissions import seated_bodies


class Reader:
    """What the predicates below read of a request: the user and the association. A task
    that decides for a person outside any request (the meeting package) asks the same
    predicates with one of these, so the answer cannot drift from the pages'."""

    def __init__(self, *, user, association):
        self.user = user
        self.association = association


def sees_everything(request, meeting) -> bool:
    return may_view_internal(request) or meeting.body_id in seated_bodies(request)


def sees_meeting(request, meeting) -> bool:
    return meeting.notice_sent or sees_everything(request, meeting)


def may_see_item(request, item, everything: bool) -> bool:
    return everything or (item.is_public and item.meeting.notice_sent)


def may_see_document(request, link, everything: bool) -> bool:
    return everything or (
        link.document.is_public and link.item.is_public and link.item.meeting.notice_sent
    )


def may_plan(request) -> bool:
    return may_edit(request)


def is_body_secretary(request, body_id: int) -> bool:
    """A person with the body's secretary role today (governance's assignment dates)."""
    user = request.user
    if not user.is_authenticated:
        return False
    cache = getattr(request, "_secretary_of", None)
    if cache is None:
        cache = request._secretary_of = {}
    if body_id not in cache:
        from django.utils import timezone

        from governance.models import Assignment, Role

        day = timezone.localdate()
        cache[body_id] = Assignment.objects.filter(
            body=body_id,
            person__user=user,
            role=Role.SECRETARY,
            starts_on__lte=day,
            ends_on__gte=day,
        ).exists()
    return cache[body_id]


def may_record(request, meeting) -> bool:
    """The secretary: staff who may edit, or the body's secretary. Records the meeting,
    drafts the minutes and sends them for adjustment."""
    return may_edit(request) or is_body_secretary(request, meeting.body_id)


def may_see_minutes(request, minutes, everything: bool) -> bool:
    """Adjusted minutes are public (their public part); drafts only for those who see
    everything of the meeting."""
    return minutes.is_adjusted or everything
