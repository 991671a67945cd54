from association import permissions
from association.queries import associations_of_user
from association.userfacts import fact


def tenant(request):
    association = getattr(request, "association", None)
    user = getattr(request, "user", None)
    return {
        "association": association,
        "may_view_internal": association is not None and permissions.may_view_internal(request),
        "may_edit": association is not None and permissions.may_edit(request),
        "may_manage": association is not None and permissions.may_manage(request),
        "is_platform_admin": permissions.is_platform_admin(user),
        # Shown on every page of a logged-in person: from the cache until their roles or
        # seats change (association/userfacts.py).
        "my_associations": lambda: (
            fact(user, "associations", lambda: associations_of_user(user))
            if user is not None and user.is_authenticated
            else []
        ),
    }
