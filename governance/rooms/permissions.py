"""Who may book, and what a booker may see of other people's bookings.

Staff of the association (any staff role) and its elected members book; resources marked
"staff only" take staff bookings alone. Staff editors may cancel anyone's booking; everyone
else only their own. Who booked is shown to staff, and to each person for their own bookings.
"""

from guardian.core import ObjectPermissionChecker

from association.permissions import (
    STAFF_PERMISSION,
    Access,
    is_platform_admin,
    may_edit,
    may_view_internal,
    user_has_access,
)
from governance.rooms.models import BookableBy


def may_book(request) -> bool:
    """Staff of the request's association, or an elected member of it: the BODY_MEMBER
    level that governance registers (an assignment in one of its bodies today)."""
    return may_view_internal(request) or user_has_access(request, Access.BODY_MEMBER)


def may_book_resource(request, resource) -> bool:
    if not resource.active or not may_book(request):
        return False
    return resource.bookable_by == BookableBy.STAFF_AND_ELECTED or may_view_internal(request)


def may_cancel(request, booking) -> bool:
    return booking.booked_by_id == request.user.pk or may_edit(request)


def may_see_booker(request, booking) -> bool:
    return booking.booked_by_id == request.user.pk or may_view_internal(request)


# The same rules for services, which know the acting user but not the request.


def _user_perms(user, association) -> set[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if is_platform_admin(user):
        return set(STAFF_PERMISSION.values())
    return set(ObjectPermissionChecker(user).get_perms(association))


def user_is_staff(user, association) -> bool:
    return STAFF_PERMISSION[Access.STAFF] in _user_perms(user, association)


def user_may_cancel_any(user, association) -> bool:
    return STAFF_PERMISSION[Access.EDITOR] in _user_perms(user, association)
