"""Who may see what: the predicates every view and template asks.

Each page declares one ``Access`` level (or a predicate of its own for object-level rights,
such as a body's members). Staff rights are django-guardian object permissions on the
association, granted through roles (``models.ROLE_PERMISSIONS``); platform admins hold every
right everywhere.
"""

from collections.abc import Callable
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


# Levels whose answer depends on another app's data (a body's members, the board): that app
# registers its rule here from its AppConfig.ready(), so this module imports no app above it.
_ACCESS_RULES: dict[Access, Callable[[object], bool]] = {}
# Functions user -> ids of associations where the user has a non-staff part (e.g. a seat).
_MEMBER_ASSOCIATION_SOURCES: list[Callable[[object], set[int]]] = []


# Sections other apps add to the account page: (template name, function user -> context).
_ACCOUNT_SECTIONS: list[tuple[str, Callable[[object], dict]]] = []


def register_account_section(template_name: str, context: Callable[[object], dict]) -> None:
    if all(name != template_name for name, _ in _ACCOUNT_SECTIONS):
        _ACCOUNT_SECTIONS.append((template_name, context))


def account_sections(user) -> list[tuple[str, dict]]:
    return [(name, context(user)) for name, context in _ACCOUNT_SECTIONS]


def register_access_rule(level: Access, rule: Callable[[object], bool]) -> None:
    """Let an app answer ``level`` for a request (called once, from ``AppConfig.ready``)."""
    _ACCESS_RULES[Access(level)] = rule


def register_member_associations(source: Callable[[object], set[int]]) -> None:
    if source not in _MEMBER_ASSOCIATION_SOURCES:
        _MEMBER_ASSOCIATION_SOURCES.append(source)


def member_association_ids(user) -> set[int]:
    """Associations where ``user`` takes part without a staff role (the switcher shows them)."""
    ids: set[int] = set()
    for source in _MEMBER_ASSOCIATION_SOURCES:
        ids |= source(user)
    return ids


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
    """Association-wide levels here; others (BODY_MEMBER, BOARD) by the registered rules."""
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
    if level in _ACCESS_RULES:
        return _ACCESS_RULES[level](request)
    raise ValueError(f"Unknown access level {level!r}")
