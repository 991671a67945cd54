from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from association.permissions import Access, user_has_access


class AccessMixin:
    """Applies the page's declared ``access`` level before anything else runs.

    Anonymous visitors to a closed page are sent to log in; logged-in people without the
    right get 403. Objects of another association never get this far: the scoped managers
    make them 404 like anything that does not exist.
    """

    access: Access | None = None

    def has_access(self) -> bool:
        return user_has_access(self.request, self.access)

    def dispatch(self, request, *args, **kwargs):
        if self.access is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare its access level")
        if not self.has_access():
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_access"] = self.access
        return context


class TenantMixin(AccessMixin):
    """A page under /<association>/: the middleware has already opened the scope."""

    @property
    def association(self):
        return self.request.association

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Generic views copy URL kwargs into the context; the slug must not shadow the object.
        context["association"] = self.association
        return context
