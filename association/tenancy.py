"""Tenant scoping: every tenant-owned model refuses to query without an active association.

Built on django-scopes. The request middleware opens the scope from the URL prefix; tasks
open it from the association id they were given (``tenant_scope``); code that must look
across tenants on purpose says so with ``scopes_disabled()``.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, scope, scopes_disabled

__all__ = [
    "TenantModel",
    "in_each_association",
    "scope",
    "scopes_disabled",
    "tenant_scope",
]


class TenantModel(models.Model):
    association = models.ForeignKey(
        "association.Association",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("association"),
        editable=False,
    )

    objects = ScopedManager(association="association")

    class Meta:
        abstract = True


@contextmanager
def tenant_scope(association) -> Iterator[None]:
    """Open the scope for one association (an instance; never None)."""
    if association is None:
        raise ValueError("tenant_scope needs an association")
    with scope(association=association):
        yield


def in_each_association(service, **kwargs) -> dict[str, object]:
    """Run ``service(association=..., **kwargs)`` once per association, each inside its own
    scope, for periodic tasks that sweep every tenant; returns the results by slug."""
    from association.models import Association

    results = {}
    for association in Association.objects.order_by("pk").iterator():
        with tenant_scope(association):
            results[association.slug] = service(association=association, **kwargs)
    return results


def tenant_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and not model._meta.abstract
    ]
