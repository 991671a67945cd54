from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from association.calendar import calendar_response
from association.forms import add_validation_error
from association.mixins import TenantMixin
from association.permissions import Access, may_edit, may_manage, may_view_internal
from governance.noticeboard import queries, services
from governance.noticeboard.feeds import NoticeFeed, notice_event
from governance.noticeboard.forms import PostForm, SettingsForm

PAST_PER_PAGE = 20
CALENDAR_ENTRIES = 200


class BoardView(TenantMixin, TemplateView):
    """The public notice board: notices up today, then those that came down (paged).

    What is "up" depends on the day: the page cache keys every page by the day
    (``association/pagecache.py``), so a stored copy never outlives the day it was made for.
    """

    access = Access.PUBLIC
    template_name = "noticeboard/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        past = Paginator(queries.past_postings(self.association, today), PAST_PER_PAGE)
        context.update(
            today=today,
            current=list(queries.current_postings(self.association, today)),
            past=past.get_page(self.request.GET.get("sida")),
            may_view_internal=may_view_internal(self.request),
        )
        return context


class NoticeView(TenantMixin, TemplateView):
    access = Access.PUBLIC
    template_name = "noticeboard/notice.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["posting"] = get_object_or_404(
            queries.posting(self.association, self.kwargs["pk"], today)
        )
        context["today"] = today
        return context


class AtomFeedView(TenantMixin, View):
    access = Access.PUBLIC

    def get(self, request, association):
        return NoticeFeed()(request, association=association)


class CalendarView(TenantMixin, View):
    access = Access.PUBLIC

    def get(self, request, association):
        today = timezone.localdate()
        postings = queries.feed_postings(self.association, today)[:CALENDAR_ENTRIES]
        events = [
            notice_event(posting, url=request.build_absolute_uri(posting.get_absolute_url()))
            for posting in postings
        ]
        return calendar_response(
            events,
            name=_("Notice board of %(name)s") % {"name": self.association.name},
            filename=f"{self.association.slug}-anslagstavla",
        )


class WatchView(TenantMixin, TemplateView):
    """Staff: minutes late for adjustment, notices late for posting, and every adjusted
    version still without its notice (posted by hand from here)."""

    access = Access.STAFF
    template_name = "noticeboard/watch.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        board = services.settings_of(self.association)
        context.update(
            today=today,
            board=board,
            late_adjustment=list(
                queries.minutes_overdue_for_adjustment(self.association, today)[:200]
            ),
            late_notices=list(
                queries.notices_overdue(self.association, today, board.posting_deadline_days)
            ),
            awaiting=list(queries.minutes_awaiting_notice(self.association)[:200]),
            may_edit=may_edit(self.request),
            may_manage=may_manage(self.request),
        )
        return context


class PostView(TenantMixin, FormView):
    """Post the notice of adjusted minutes by hand (when posting is not automatic, or one
    was missed). Minutes already posted lead to their notice."""

    access = Access.EDITOR
    template_name = "noticeboard/post.html"
    form_class = PostForm

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "association", None) is None:
            raise Http404
        self.minutes = get_object_or_404(
            queries.adjusted_minutes(request.association, kwargs["minutes"])
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        posted = getattr(self.minutes, "notice_posting", None)
        if posted is not None:
            messages.info(request, _("The notice of these minutes is already posted."))
            return redirect("noticeboard:notice", association=self.association.slug, pk=posted.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes"] = self.minutes
        context["board"] = services.settings_of(self.association)
        return context

    def form_valid(self, form):
        try:
            posting = services.post_notice(
                minutes=self.minutes, actor=self.request.user, kept_at=form.cleaned_data["kept_at"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The notice is posted on the notice board."))
        return redirect(posting.get_absolute_url())


class SettingsView(TenantMixin, FormView):
    access = Access.ADMINISTRATOR
    template_name = "noticeboard/settings.html"
    form_class = SettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.settings_of(self.association)
        return kwargs

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.save_settings(
                association=self.association, actor=self.request.user,
                expected_version=form.cleaned_data.get("version") or 0, data=data,
            )  # fmt: skip
        except services.ConcurrentEditError as error:
            form.add_error(None, error.message)
            current = services.settings_of(self.association)
            return self.render_to_response(
                self.get_context_data(form=form, current=current, conflict=True)
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The notice board settings are saved."))
        return redirect(reverse("noticeboard:watch", kwargs={"association": self.association.slug}))
