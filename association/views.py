import functools
import logging

from django.contrib import messages
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, ListView, TemplateView, View

from association import queries, services
from association.forms import AssociationCreateForm, AssociationProfileForm, RoleForm
from association.mixins import AccessMixin, TenantMixin
from association.models import AuditEntry, RoleAssignment
from association.permissions import Access

logger = logging.getLogger(__name__)


class AssociationListView(AccessMixin, ListView):
    access = Access.PUBLIC
    template_name = "association/association_list.html"
    context_object_name = "associations"

    def get_queryset(self):
        return queries.public_associations()


class AssociationHomeView(TenantMixin, TemplateView):
    access = Access.PUBLIC
    template_name = "association/home.html"


class AccessibilityStatementView(TenantMixin, TemplateView):
    access = Access.PUBLIC
    template_name = "association/accessibility.html"


class AssociationCreateView(AccessMixin, FormView):
    access = Access.PLATFORM_ADMIN
    template_name = "association/association_create.html"
    form_class = AssociationCreateForm

    def form_valid(self, form):
        association = services.create_association(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("The association was created."))
        return redirect("association:settings", association=association.slug)


class AssociationSettingsView(TenantMixin, FormView):
    access = Access.ADMINISTRATOR
    template_name = "association/settings.html"
    form_class = AssociationProfileForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.association
        kwargs["initial"] = {"version": self.association.version}
        return kwargs

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if data.get("logo") is None:
            data.pop("logo")
        # The ModelForm wrote the submitted values onto the instance; compare against the row.
        self.association.refresh_from_db()
        try:
            services.update_association(
                association=self.association,
                actor=self.request.user,
                expected_version=form.cleaned_data["version"],
                data=data,
            )
        except services.ConcurrentEditError as error:
            form.add_error(None, error.message)
            return self.render_to_response(
                self.get_context_data(form=form, current=self.association, conflict=True)
            )
        messages.success(self.request, _("Saved."))
        return redirect("association:settings", association=self.association.slug)


class RoleListView(TenantMixin, FormView):
    access = Access.ADMINISTRATOR
    template_name = "association/roles.html"
    form_class = RoleForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = queries.role_assignments(self.association)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.grant_role(
                request=self.request, association=self.association, email=data["email"],
                role=data["role"], actor=self.request.user, first_name=data["first_name"],
                last_name=data["last_name"],
            )  # fmt: skip
        except services.RoleError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The role was saved."))
        return redirect("association:roles", association=self.association.slug)


class RevokeRoleView(TenantMixin, View):
    access = Access.ADMINISTRATOR
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assignment = get_object_or_404(RoleAssignment, pk=kwargs["pk"])
        if assignment.user_id == request.user.pk:
            messages.error(request, _("You cannot remove your own role."))
            return redirect("association:roles", association=self.association.slug)
        try:
            services.revoke_role(assignment=assignment, actor=request.user)
        except services.RoleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role was removed."))
        return redirect("association:roles", association=self.association.slug)


class HistoryView(TenantMixin, ListView):
    access = Access.ADMINISTRATOR
    template_name = "association/history.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return AuditEntry.objects.filter(association=self.association).select_related("actor")


class MyAccountView(AccessMixin, TemplateView):
    access = Access.LOGGED_IN
    template_name = "association/my_account.html"

    def get_context_data(self, **kwargs):
        from association.permissions import account_sections

        context = super().get_context_data(**kwargs)
        context["roles"] = queries.roles_of_user(self.request.user)
        # Other apps' parts of the account (governance: the person's bodies).
        context["sections"] = account_sections(self.request.user)
        return context


@functools.cache
def _broker_client(url: str):
    """One Redis client (and its connection pool) per process and broker URL: the health
    check reuses an open connection instead of connecting anew on every probe."""
    import redis

    if url.startswith("redis+socket://"):
        url = "unix://" + url.removeprefix("redis+socket://")
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


@never_cache
def healthz(request):
    """Database and broker state for docker-compose and load balancers."""
    state = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.warning("healthz: database unavailable", exc_info=True)
        state["database"] = "unavailable"
    try:
        from config.celery import app

        _broker_client(app.conf.broker_url).ping()
    except Exception:
        logger.warning("healthz: broker unavailable", exc_info=True)
        state["broker"] = "unavailable"
    healthy = all(value == "ok" for value in state.values())
    state["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(state, status=200 if healthy else 503)


healthz.access = Access.PUBLIC


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def server_error(request):
    # No context processors: whatever failed must not fail again while we apologise.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def theme_css(request, association):
    """The association's colours as CSS (the CSP forbids inline styles)."""
    from django.http import HttpResponse

    current = request.association
    css = f":root {{ --brand: {current.primary_colour}; --accent: {current.accent_colour}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


theme_css.access = Access.PUBLIC


@csrf_exempt
def set_language(request):
    """Django's language switch, also remembered on the account so the choice follows the
    person to other devices (and, later, to the e-mails the portal sends them).

    For anonymous visitors it only sets the language cookie, so their pages need no CSRF
    token (and no CSRF cookie) and can be cached; a logged-in person's choice is saved on
    the account, so it stays CSRF-protected."""
    from django.views.i18n import set_language as django_set_language

    if request.user.is_authenticated:
        return _set_and_remember_language(request)
    return django_set_language(request)


@csrf_protect
def _set_and_remember_language(request):
    from django.conf import settings
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.preferred_language != language
    ):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


set_language.access = Access.PUBLIC


def logo(request, association):
    """The association's logo, served through the portal (it has no web server of its own
    for uploads) and under the association's own address."""
    import mimetypes

    from django.http import FileResponse, Http404

    current = request.association
    if not current.logo:
        raise Http404
    try:
        handle = current.logo.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(current.logo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


logo.access = Access.PUBLIC
