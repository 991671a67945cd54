"""Body-level rights. Access follows assignments by date: a person sees a body's non-public
material from the first day of an assignment to the last, computed from the dates on every
request (no grant to forget, no revocation to wait for)."""

from django.utils import timezone

from association.permissions import (
    Access,
    is_platform_admin,
    may_view_internal,
    register_access_rule,
    register_account_section,
    register_member_associations,
)


def seated_bodies(request) -> dict[int, str]:
    """Body id -> kind for the bodies the user sits in today; one query per request."""
    cached = getattr(request, "_seated_bodies", None)
    if cached is not None:
        return cached
    from governance import queries

    user = request.user
    association = getattr(request, "association", None)
    if not user.is_authenticated or not user.is_active or association is None:
        result: dict[int, str] = {}
    else:
        result = queries.active_bodies_of_user(association, user, timezone.localdate())
    request._seated_bodies = result
    return result


def may_view_body_documents(request, body) -> bool:
    return may_view_internal(request) or body.pk in seated_bodies(request)


def may_see_contact_details(request) -> bool:
    """E-mail and phone: logged-in members of the association's bodies, and its staff."""
    return body_member_access(request)


def body_member_access(request) -> bool:
    """BODY_MEMBER: sits in any of the association's governing bodies today, or is its staff.

    A seat in a network or working group does not count: it opens that group's own material
    (its meetings, documents and member list, checked against the group's body), nothing
    the association's bodies share."""
    if is_platform_admin(request.user):
        return True
    from governance.models import NETWORK_KINDS

    governing = [kind for kind in seated_bodies(request).values() if kind not in NETWORK_KINDS]
    return bool(governing) or may_view_internal(request)


def board_access(request) -> bool:
    """BOARD: sits in the association's board today (staff see, but do not act as, the board)."""
    if is_platform_admin(request.user):
        return True
    from governance.models import BodyKind

    return BodyKind.BOARD in seated_bodies(request).values()


def register() -> None:
    from governance import queries

    register_access_rule(Access.BODY_MEMBER, body_member_access)
    register_access_rule(Access.BOARD, board_access)
    register_member_associations(queries.association_ids_with_assignment)
    register_account_section(
        "governance/_account_section.html",
        lambda user: {"assignments": queries.assignments_of_user(user)},
    )
