"""Who may see what: the predicates every view and template asks.

Each page declares one ``Access`` level (or a predicate of its own for object-level rights,
such as a body's members). Staff rights are django-guardian object permissions on the
association, granted through roles (``models.ROLE_PERMISSIONS``); platform admins hold every
right everywhere.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from guardian.core import ObjectPermissionChecker


class Access(StrEnum):
    PUBLIC = "public"
    LOGGED_IN = "logged_in"
    BODY_MEMBER = "body_member"
    BOARD = "board"
    STAFF = "staff"
    EDITOR = "editor"
    ADMINISTRATOR = "administrator"
    PLATFORM_ADMIN = "platform_admin"


# The guardian codename each staff level needs on the association.
STAFF_PERMISSION = {
    Access.STAFF: "view_internal",
    Access.EDITOR: "change_content",
    Access.ADMINISTRATOR: "manage_association",
}


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def association_permissions(request) -> frozenset[str]:
    """The user's permission codenames on the request's association, kept in the cache until
    the person's rows change (``userfacts``)."""
    cached = getattr(request, "_association_permissions", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None) or AnonymousUser()
    association = getattr(request, "association", None)
    if association is None or not user.is_authenticated or not user.is_active:
        perms = frozenset()
    elif is_platform_admin(user):
        perms = frozenset(STAFF_PERMISSION.values())
    else:
        from association.userfacts import fact

        perms = fact(
            user,
            f"permissions:{association.pk}",
            lambda: frozenset(ObjectPermissionChecker(user).get_perms(association)),
        )
    request._association_permissions = perms
    return perms


def has_staff_access(request, level: Access) -> bool:
    return STAFF_PERMISSION[level] in association_permissions(request)


def may_view_internal(request) -> bool:
    return has_staff_access(request, Access.STAFF)


def may_edit(request) -> bool:
    return has_staff_access(request, Access.EDITOR)


def may_manage(request) -> bool:
    return has_staff_access(request, Access.ADMINISTRATOR)


def user_has_access(request, level: Access) -> bool:
    """Association-wide levels; BODY_MEMBER and BOARD are answered by governance."""
    user = request.user
    if level == Access.PUBLIC:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if level == Access.LOGGED_IN:
        return True
    if level == Access.PLATFORM_ADMIN:
        return is_platform_admin(user)
    if level in STAFF_PERMISSION:
        return has_staff_access(request, level)
    if level in (Access.BODY_MEMBER, Access.BOARD):
        from governance.permissions import body_level_access

        return body_level_access(request, level)
    raise ValueError(f"Unknown access level {level!r}")
