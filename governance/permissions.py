from association.permissions import Access, is_platform_admin, may_view_internal
from governance.models import BodyKind, BodyUserObjectPermission


def _seated_bodies(request) -> dict[int, str]:
    """Body id -> kind for the bodies whose documents the user may see; one query per request."""
    cached = getattr(request, "_seated_bodies", None)
    if cached is not None:
        return cached
    user = request.user
    if not user.is_authenticated or request.association is None:
        result: dict[int, str] = {}
    else:
        result = dict(
            BodyUserObjectPermission.objects.filter(
                user=user,
                permission__codename="view_body_documents",
                content_object__association=request.association,
            ).values_list("content_object_id", "content_object__kind")
        )
    request._seated_bodies = result
    return result


def may_view_body_documents(request, body) -> bool:
    return may_view_internal(request) or body.pk in _seated_bodies(request)


def body_level_access(request, level: Access) -> bool:
    if is_platform_admin(request.user):
        return True
    seated = _seated_bodies(request)
    if level == Access.BODY_MEMBER:
        return bool(seated) or may_view_internal(request)
    if level == Access.BOARD:
        return BodyKind.BOARD in seated.values()
    raise ValueError(level)
