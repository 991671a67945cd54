"""The person's notifications and choices (across associations, under /konto/), the
one-click choice page of every e-mail (no login: the signed token is the key), and the
association staff's lead times and delivery log."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from association.forms import add_validation_error
from association.mixins import AccessMixin, TenantMixin
from association.notifications import kinds, queries, services
from association.notifications.forms import (
    ChoicesForm,
    LeadTimeForm,
    LogFilterForm,
    OneChoiceForm,
)
from association.notifications.models import Channel, Delivery
from association.permissions import Access, may_edit

PER_PAGE = 50


class MyNotificationsView(AccessMixin, TemplateView):
    access = Access.LOGGED_IN
    template_name = "notifications/my_notifications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(queries.my_notifications(self.request.user), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context["page_obj"] = page
        context["unread"] = services.unread_count(self.request.user)
        return context


class MarkReadView(AccessMixin, View):
    access = Access.LOGGED_IN
    http_method_names = ["post"]

    def post(self, request):
        raw = request.POST.get("notification", "")
        ids = [int(raw)] if raw.isdigit() and len(raw) < 19 else None
        services.mark_read(user=request.user, notification_ids=ids)
        return redirect("my_notifications")


class MyChoicesView(AccessMixin, FormView):
    access = Access.LOGGED_IN
    template_name = "notifications/my_choices.html"
    form_class = ChoicesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current": services.choices_of(self.request.user)}

    def form_valid(self, form):
        try:
            for key, channel in form.cleaned_data.items():
                if not channel:
                    continue
                services.set_choice(user=self.request.user, kind_key=key, channel=channel)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("my_notification_choices")


@method_decorator(csrf_exempt, name="dispatch")
class ChoiceByTokenView(AccessMixin, View):
    """The link in every e-mail: change this one choice without logging in. A POST of
    ``List-Unsubscribe=One-Click`` (RFC 8058, sent by the mail client) switches the kind
    to "only in the portal". CSRF does not apply: the signed token is the authority, and
    a mail client's one-click POST carries no cookie. A tampered token is a 404."""

    access = Access.PUBLIC

    def _target(self, token):
        found = services.read_choice_token(token[:500])
        if found is None:
            raise Http404
        user_id, key = found
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        try:
            kind = kinds.get(key)
        except KeyError:
            raise Http404 from None
        if user is None:
            raise Http404
        return user, kind

    def _render(self, request, user, kind, form, done=False, status=200):
        response = render(
            request,
            "notifications/choice.html",
            {"kind": kind, "form": form, "done": done, "page_access": self.access},
            status=status,
        )  # fmt: skip
        response["Cache-Control"] = "private, no-store"
        return response

    def get(self, request, token):
        user, kind = self._target(token)
        current = services.choices_of(user).get(kind.key, Channel.EMAIL)
        form = OneChoiceForm(kind=kind, initial={"channel": current})
        return self._render(request, user, kind, form, done="sparat" in request.GET)

    def post(self, request, token):
        user, kind = self._target(token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            if not kind.required:
                services.set_choice(user=user, kind_key=kind.key, channel=Channel.PORTAL)
            return HttpResponse(status=204)
        form = OneChoiceForm(request.POST, kind=kind)
        if not form.is_valid():
            return self._render(request, user, kind, form, status=400)
        try:
            services.set_choice(user=user, kind_key=kind.key, channel=form.cleaned_data["channel"])
        except ValidationError as error:
            add_validation_error(form, error)
            return self._render(request, user, kind, form, status=400)
        return redirect(request.path + "?sparat=1")


# --- staff -----------------------------------------------------------------------------------


class DeliveryLogView(TenantMixin, TemplateView):
    """What went to whom, when, by which channel, and why a delivery failed; the queue is
    the same log filtered to "queued"."""

    access = Access.STAFF
    template_name = "notifications/log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = LogFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = queries.delivery_log(self.association, **{k: v for k, v in filters.items() if v})
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        labels = {kind.key: kind.label for kind in kinds.all_kinds()}
        context.update(
            form=form, page_obj=page, query=query.urlencode(), labels=labels,
            may_resend=may_edit(self.request),
        )  # fmt: skip
        return context


class ResendView(TenantMixin, View):
    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, association, pk):
        delivery = get_object_or_404(Delivery, pk=pk)
        try:
            services.resend(delivery=delivery, actor=request.user)
            messages.success(request, _("The delivery is queued again."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("notifications:log", association=self.association.slug)


class LeadTimesView(TenantMixin, TemplateView):
    access = Access.EDITOR
    template_name = "notifications/lead_times.html"

    def rows(self, bound=None):
        rows = []
        for kind in kinds.all_kinds():
            if kind.lead_days is None:
                continue
            days = services.lead_days(self.association, kind)
            form = None
            if kind.lead_editable:
                # A prefix per kind: several forms on one page, no two fields with one id.
                prefix = kind.key.replace(".", "-")
                data = bound if bound is not None and f"{prefix}-kind" in bound else None
                form = LeadTimeForm(data, initial={"kind": kind.key, "days": days},
                                    prefix=prefix)  # fmt: skip
            rows.append({"kind": kind, "days": days, "form": form})
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("rows", self.rows())
        return context

    def post(self, request, association):
        rows = self.rows(request.POST)
        form = next((row["form"] for row in rows if row["form"] and row["form"].is_bound), None)
        if form is None:
            messages.error(request, _("There is no such kind of notification."))
            return redirect("notifications:lead_times", association=self.association.slug)
        if form.is_valid():
            try:
                services.set_lead_time(
                    association=self.association, actor=request.user,
                    kind_key=form.cleaned_data["kind"], days=form.cleaned_data["days"],
                )  # fmt: skip
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("notifications:lead_times", association=self.association.slug)
        return self.render_to_response(self.get_context_data(rows=rows), status=400)
