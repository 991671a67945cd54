from django.db.models import QuerySet

from association.models import Association, RoleAssignment
from association.tenancy import scopes_disabled


def public_associations() -> QuerySet[Association]:
    return Association.objects.order_by("name")


def user_has_staff_role(user) -> bool:
    # Deliberately across tenants: the question is about the person, not one association.
    with scopes_disabled():
        return RoleAssignment.objects.filter(user=user).exists()


def associations_of_user(user) -> list[Association]:
    """Associations where the user holds a staff role or a seat: the association switcher."""
    if not user.is_authenticated:
        return []
    # Only what the switcher shows: the list is kept in the cache (association/userfacts.py).
    if user.is_superuser:
        return list(Association.objects.only("id", "slug", "name").order_by("name"))
    from association.permissions import member_association_ids

    with scopes_disabled():
        staff_ids = set(
            RoleAssignment.objects.filter(user=user).values_list("association_id", flat=True)
        )
    ids = staff_ids | member_association_ids(user)
    return list(Association.objects.filter(id__in=ids).only("id", "slug", "name").order_by("name"))


def role_assignments(association) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(association=association)
        .select_related("user", "granted_by")
        .order_by("last_name", "first_name", "user__email")
    )


def roles_of_user(user) -> list[RoleAssignment]:
    with scopes_disabled():
        return list(
            RoleAssignment.objects.filter(user=user)
            .select_related("association")
            .order_by("association__name")
        )
