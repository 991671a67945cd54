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
