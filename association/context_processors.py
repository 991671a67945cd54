from association import permissions
from association.queries import associations_of_user


def tenant(request):
    association = getattr(request, "association", None)
    user = getattr(request, "user", None)
    return {
        "association": association,
        "may_view_internal": association is not None and permissions.may_view_internal(request),
        "may_edit": association is not None and permissions.may_edit(request),
        "may_manage": association is not None and permissions.may_manage(request),
        "is_platform_admin": permissions.is_platform_admin(user),
        # Lazy: only pages that show the switcher pay for the query.
        "my_associations": lambda: associations_of_user(user) if user else [],
    }
