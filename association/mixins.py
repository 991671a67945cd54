from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

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


class ServiceFormView(TenantMixin, FormView):
    """Create or edit through a service. A concurrent save re-renders the form with the
    current values beside what was typed (``conflict``); a refusal from the service shows on
    the form, field by field where it names one, and nothing is saved.

    Subclasses give ``get_instance`` (editing), ``create(data)``, ``update(instance, version,
    data)`` and ``success_url_for(obj)``.
    """

    access = Access.EDITOR
    instance = None

    def get_instance(self):
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.instance = self.get_instance()
        if self.instance is not None:
            kwargs["instance"] = self.instance
            if hasattr(self.instance, "version"):
                kwargs["initial"] = {**kwargs.get("initial", {}), "version": self.instance.version}
        return kwargs

    def form_data(self, form) -> dict:
        return {
            name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data
        }

    def create(self, data):
        raise NotImplementedError

    def update(self, instance, version: int, data):
        raise NotImplementedError

    def success_url_for(self, obj) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        from association.forms import add_validation_error
        from association.services import ConcurrentEditError

        data = self.form_data(form)
        try:
            if self.instance is None:
                obj = self.create(data)
            else:
                self.instance.refresh_from_db()
                obj = self.update(self.instance, form.cleaned_data.get("version") or 0, data)
        except ConcurrentEditError as error:
            form.add_error(None, error.message)
            return self.render_to_response(
                self.get_context_data(form=form, current=self.instance, conflict=True)
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.success_url_for(obj))
