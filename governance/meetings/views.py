"""Meeting pages. Every view declares ``access``; object-level rights (the body's members,
the notice) come from ``governance.meetings.permissions``. Another association's meeting is
a 404: the scoped managers cannot find it."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from association.calendar import calendar_response
from association.documents import (
    content_disposition,
    delete_document,
    document_response,
    set_document_public,
)
from association.forms import add_validation_error
from association.mixins import AccessMixin, TenantMixin
from association.models import DocumentVersion
from association.pdfjobs import PdfJobViewMixin, pdf_file_response, ready_file_or_404
from association.permissions import Access, may_edit, may_view_internal
from association.services import ConcurrentEditError
from governance import queries as governance_queries
from governance.meetings import package, queries, services
from governance.meetings.calendars import booking_event, meeting_event
from governance.meetings.forms import (
    CancelForm,
    ConflictForm,
    DocumentForm,
    ItemForm,
    MeetingForm,
    NoteForm,
    SettingsForm,
    VersionForm,
)
from governance.meetings.models import CalendarToken, ItemDocument, Minutes
from governance.meetings.permissions import (
    may_record,
    may_see_document,
    may_see_item,
    sees_everything,
    sees_meeting,
)


def _errors_to_form(form, error: ValidationError) -> None:
    # The meeting forms ask for a start and an end; the model calls them starts_at/ends_at.
    add_validation_error(form, error, field_names={"starts_at": "start", "ends_at": "end"})


def _message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- mixins -------------------------------------------------------------------------------


class _BodyMixin(TenantMixin):
    def dispatch(self, request, *args, **kwargs):
        self.body = get_object_or_404(
            governance_queries.bodies(request.association), slug=kwargs["body"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["body"] = self.body
        return super().get_context_data(**kwargs)


class _MeetingMixin(TenantMixin):
    """Loads the meeting before the access check (a 404 for what is not this
    association's); ``object_check`` then decides with the meeting in hand."""

    def object_check(self) -> bool:
        return True

    def has_access(self) -> bool:
        return super().has_access() and self.object_check()

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "association", None) is None:
            raise Http404
        self.meeting = get_object_or_404(queries.meeting(request.association, kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def meeting_url(self, name: str = "detail", **extra) -> str:
        return reverse(
            f"meetings:{name}",
            kwargs={"association": self.association.slug, "pk": self.meeting.pk, **extra},
        )

    def get_context_data(self, **kwargs):
        kwargs["meeting"] = self.meeting
        return super().get_context_data(**kwargs)


class _MembersMixin(_MeetingMixin):
    """Members and substitutes of the body (today), and staff: everything."""

    access = Access.BODY_MEMBER

    def object_check(self) -> bool:
        return sees_everything(self.request, self.meeting)

    def has_access(self) -> bool:
        # The meeting's own body decides: its seat implies BODY_MEMBER for a governing body,
        # and lets a network's members in to their own network's meetings, whose seats
        # do not count for the association-wide level (governance.permissions).
        user = self.request.user
        return user.is_authenticated and user.is_active and self.object_check()


class _EditorMixin(_MeetingMixin):
    access = Access.EDITOR


def _agenda_context(request, meeting, everything: bool) -> dict:
    items = [item for item in queries.agenda(meeting) if may_see_item(request, item, everything)]
    for item in items:
        item.visible_documents = [
            link for link in item.attachments.all() if may_see_document(request, link, everything)
        ]
    return {"items": items, "everything": everything}


# --- public pages -------------------------------------------------------------------------


class MeetingListView(TenantMixin, TemplateView):
    """Meetings whose notice has gone out (staff see the planned ones too)."""

    access = Access.PUBLIC
    template_name = "meetings/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        since = timezone.now() - datetime.timedelta(days=31)
        internal = may_view_internal(self.request)
        rows = (
            queries.meetings(self.association)
            if internal
            else queries.public_meetings(self.association)
        )
        context.update(
            meetings=list(rows.filter(starts_at__gte=since)[:200]),
            bodies=list(governance_queries.bodies(self.association)) if internal else [],
            year=timezone.localdate().year,
        )
        return context


class MeetingDetailView(_MeetingMixin, TemplateView):
    """The public meeting page: public items and documents once the notice has gone out
    (the body's members and staff see every item here too)."""

    access = Access.PUBLIC
    template_name = "meetings/detail.html"

    def get(self, request, *args, **kwargs):
        if not sees_meeting(request, self.meeting):
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        everything = sees_everything(self.request, self.meeting)
        context.update(_agenda_context(self.request, self.meeting, everything))
        context["may_edit"] = may_edit(self.request)
        context["may_record"] = may_record(self.request, self.meeting)
        context["has_minutes"] = Minutes.objects.filter(
            meeting=self.meeting, is_adjusted=True
        ).exists()
        return context


class DocumentDownloadView(_MeetingMixin, View):
    """A document of the meeting, after the permission check; ``number`` picks an earlier
    version (whoever may see the document may see its history)."""

    access = Access.PUBLIC

    def get(self, request, association, pk, document, number=None):
        link = get_object_or_404(
            ItemDocument.objects.select_related("document", "item__meeting"),
            item__meeting=self.meeting,
            document_id=document,
        )
        everything = sees_everything(request, self.meeting)
        if not may_see_document(request, link, everything):
            raise Http404
        if number is None:
            version = link.document.current_version
            if version is None:
                raise Http404
        else:
            version = get_object_or_404(
                DocumentVersion.objects.select_related("document"),
                document=link.document,
                number=number,
            )
        version.document = link.document
        return document_response(version)


class NoticePdfView(_MeetingMixin, View):
    access = Access.PUBLIC

    def get(self, request, *args, **kwargs):
        if not sees_meeting(request, self.meeting):
            raise Http404
        context = _agenda_context(request, self.meeting, sees_everything(request, self.meeting))
        pdf = package.notice_pdf(meeting=self.meeting, items=context["items"])
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(
            f"kallelse-{self.meeting.body.slug}-{timezone.localtime(self.meeting.starts_at):%Y-%m-%d}.pdf"
        )
        return response


class AssociationFeedView(TenantMixin, View):
    access = Access.PUBLIC

    def get(self, request, association):
        events = [meeting_event(m) for m in queries.feed_meetings(request.association)]
        return calendar_response(
            events,
            name=request.association.display_name,
            filename=f"{request.association.slug}-moten",
        )


class BodyFeedView(_BodyMixin, View):
    access = Access.PUBLIC

    def get(self, request, association, body):
        events = [meeting_event(m) for m in queries.feed_meetings(request.association, self.body)]
        return calendar_response(
            events, name=self.body.name, filename=f"{request.association.slug}-{self.body.slug}"
        )


# --- members ------------------------------------------------------------------------------


class AgendaView(_MembersMixin, TemplateView):
    """The member's agenda: every item and document, own notes, absence and conflicts."""

    template_name = "meetings/agenda.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_agenda_context(self.request, self.meeting, True))
        notes = queries.notes_of(self.meeting, self.request.user)
        conflicts = queries.conflicts(self.meeting)
        seat = services.person_of(self.meeting, self.request.user)
        for item in context["items"]:
            item.my_note = notes.get(item.pk)
            item.note_form = NoteForm(
                initial={"text": item.my_note.text if item.my_note else ""}, prefix=f"item{item.pk}"
            )
            item.declared = conflicts.get(item.pk, [])
            item.my_conflict = seat is not None and any(
                c.person_id == seat[0].pk for c in item.declared
            )
        context.update(
            absences=queries.absences(self.meeting),
            seat=seat,
            may_edit=may_edit(self.request),
            conflict_form=ConflictForm(),
        )
        return context


class _PackageMixin(_MembersMixin):
    def package_status(self) -> package.Status:
        """The state of this user's own latest request: no other user's is ever read."""
        return package.status(
            association_id=self.association.pk,
            meeting_id=self.meeting.pk,
            user_id=self.request.user.pk,
        )


class PackageView(_PackageMixin, PdfJobViewMixin, TemplateView):
    """The meeting package: GET shows where the member's latest request stands (polled by
    htmx every second; without JavaScript the page reloads itself); POST asks for it (a
    fresh identical package is reused, else the worker builds it) and comes back here."""

    template_name = "meetings/package.html"
    status_template = "meetings/_package_status.html"
    http_method_names = ["get", "post"]

    def job_status(self) -> package.Status:
        return self.package_status()

    def start_job(self) -> None:
        package.request_package(
            reader=self.request, meeting=self.meeting, language=translation.get_language()
        )

    def job_url(self) -> str:
        return self.meeting_url("package")

    def job_context(self, status) -> dict:
        return {
            **super().job_context(status),
            "prefix": "package",
            "download_url": self.meeting_url("package_download"),
            "meeting": self.meeting,
            "association": self.association,
        }

    def page_context(self, status) -> dict:
        # A package the member built earlier may predate changes to the agenda: say so.
        outdated = status.state == package.READY and status.key != package.current_key(
            reader=self.request, meeting=self.meeting, language=translation.get_language()
        )
        return {"outdated": outdated}


class PackageDownloadView(_PackageMixin, View):
    """The finished package, to the member whose request built (or found) it, while they
    may still see the meeting. Anything else, another user's package included, is a 404:
    the address names no package, only the asker's own note leads to one."""

    def get(self, request, *args, **kwargs):
        status = self.package_status()
        if status.state != package.READY:
            raise Http404
        name = package.storage_name(self.association.pk, self.meeting.pk, status.key)
        return pdf_file_response(
            ready_file_or_404(package.PACKAGES, name),
            filename=f"moteshandlingar-{self.meeting.body.slug}-"
            f"{timezone.localtime(self.meeting.starts_at):%Y-%m-%d}.pdf",
        )


class NoteView(_MembersMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, item, **kwargs):
        agenda_item = get_object_or_404(queries.item(self.meeting, item))
        form = NoteForm(request.POST, prefix=f"item{agenda_item.pk}")
        if form.is_valid():
            services.save_note(
                item=agenda_item, author=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Your note is saved. Only you can read it."))
        else:
            messages.error(request, _("The note could not be saved: it is too long."))
        return redirect(self.meeting_url("agenda") + f"#item-{agenda_item.pk}")


class AbsenceView(_MembersMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            absence = services.report_absence(meeting=self.meeting, user=request.user)
        except ValidationError as error:
            messages.error(request, _message_of(error))
        else:
            if absence.substitute:
                messages.success(
                    request,
                    _("Your absence is reported; %(name)s is called up.")
                    % {"name": absence.substitute},
                )
            else:
                messages.success(request, _("Your absence is reported; staff are told."))
        return redirect(self.meeting_url("agenda"))


class ConflictView(_MembersMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, item, **kwargs):
        agenda_item = get_object_or_404(queries.item(self.meeting, item))
        form = ConflictForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The reason is too long."))
        else:
            try:
                services.declare_conflict(
                    item=agenda_item, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Your conflict of interest is recorded."))
            except ValidationError as error:
                messages.error(request, _message_of(error))
        return redirect(self.meeting_url("agenda") + f"#item-{agenda_item.pk}")


class ConflictWithdrawView(_MembersMixin, View):
    """The member takes back their own declared conflict of interest (before the record)."""

    http_method_names = ["post"]

    def post(self, request, *args, item, **kwargs):
        agenda_item = get_object_or_404(queries.item(self.meeting, item))
        try:
            services.withdraw_conflict(item=agenda_item, user=request.user)
        except ValidationError as error:
            messages.error(request, _message_of(error))
        else:
            messages.success(request, _("Your conflict of interest is withdrawn."))
        return redirect(self.meeting_url("agenda") + f"#item-{agenda_item.pk}")


class MyMeetingsView(AccessMixin, TemplateView):
    """Every meeting of every body the person sits in, across associations."""

    access = Access.LOGGED_IN
    template_name = "meetings/my_meetings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = queries.my_meetings(self.request.user)
        context["to_adjust"] = queries.minutes_to_adjust(self.request.user)
        token = CalendarToken.objects.filter(user=self.request.user).first()
        context["token"] = token
        return context


class CalendarTokenView(AccessMixin, View):
    """Create or renew the secret address of the person's own calendar."""

    access = Access.LOGGED_IN
    http_method_names = ["post"]

    def post(self, request):
        services.calendar_token(request.user, renew=True)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("my_meetings")


class PrivateFeedView(AccessMixin, View):
    """The person's meetings and bookings; the secret token in the address is the key."""

    access = Access.PUBLIC

    def get(self, request, token):
        found = CalendarToken.objects.select_related("user").filter(token=token[:64]).first()
        if found is None or not found.user.is_active:
            raise Http404
        meetings, bookings = queries.private_feed(found.user)
        events = [meeting_event(m) for m in meetings] + [booking_event(b) for b in bookings]
        response = calendar_response(events, name=_("My meetings"), filename="mina-moten")
        response["Cache-Control"] = "private, no-store"
        return response


# --- staff: planning ----------------------------------------------------------------------


class PlanningView(_BodyMixin, TemplateView):
    access = Access.STAFF
    template_name = "meetings/planning.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        if not 1990 <= year <= 2200:
            raise Http404
        rows = list(queries.body_year(self.body, year))
        settings = services.settings_of(self.body)
        for meeting in rows:
            meeting.body = self.body
            meeting.proposal = services.preparatory_proposal(
                meeting, settings=settings, has_preparatory=meeting.has_preparatory
            )
        context.update(meetings=rows, year=year, may_edit=may_edit(self.request), settings=settings)
        return context


class MeetingCreateView(_BodyMixin, FormView):
    access = Access.EDITOR
    template_name = "meetings/form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        from governance.rooms import queries as rooms_queries

        kwargs = super().get_form_kwargs()
        kwargs["resources"] = rooms_queries.resources(self.association, active_only=True)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                body=self.body,
                actor=self.request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                video_url=data["video_url"],
                title=data["title"],
                resource=data.get("resource"),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting is planned."))
        if services.preparatory_proposal(meeting):
            messages.info(self.request, _("A preparatory meeting is proposed: confirm it below."))
        return redirect(
            "meetings:planning",
            association=self.association.slug,
            body=self.body.slug,
            year=meeting.year,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Plan a meeting of %(body)s") % {"body": self.body.name}, **kwargs
        )


class SettingsView(_BodyMixin, FormView):
    access = Access.EDITOR
    template_name = "meetings/form.html"
    form_class = SettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.settings_of(self.body)
        kwargs["bodies"] = governance_queries.bodies(self.association).exclude(pk=self.body.pk)
        return kwargs

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.save_settings(body=self.body, actor=self.request.user, data=data)
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting settings are saved."))
        return redirect(
            "meetings:planning",
            association=self.association.slug,
            body=self.body.slug,
            year=timezone.localdate().year,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Meeting settings of %(body)s") % {"body": self.body.name}, **kwargs
        )


class PreparatoryView(_EditorMixin, View):
    """Staff confirm the proposed preparatory meeting."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            created = services.confirm_preparatory(meeting=self.meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, _message_of(error))
        else:
            if created is None:
                messages.error(request, _("No preparatory meeting is proposed for this meeting."))
            else:
                messages.success(request, _("The preparatory meeting is planned."))
        return redirect(
            "meetings:planning",
            association=self.association.slug,
            body=self.meeting.body.slug,
            year=self.meeting.year,
        )


class MeetingUpdateView(_EditorMixin, FormView):
    template_name = "meetings/form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        return kwargs

    def get_initial(self):
        start = timezone.localtime(self.meeting.starts_at)
        end = timezone.localtime(self.meeting.ends_at)
        return {
            "title": self.meeting.title,
            "date": start.date(),
            "start": start.time(),
            "end": end.time(),
            "place": self.meeting.place,
            "video_url": self.meeting.video_url,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        fields = {
            name: data[name] for name in ("title", "starts_at", "ends_at", "place", "video_url")
        }
        try:
            services.update_meeting(
                meeting=self.meeting,
                actor=self.request.user,
                expected_version=data["version"],
                data=fields,
                reason=data.get("reason", ""),
            )
        except ConcurrentEditError:
            form.add_error(
                None,
                _(
                    "Someone else changed this meeting meanwhile. Reload the "
                    "page to see their changes."
                ),
            )
            return self.form_invalid(form)
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting is saved."))
        return redirect(self.meeting_url("items"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit or move the meeting"), **kwargs)


class MeetingCancelView(_EditorMixin, FormView):
    template_name = "meetings/form.html"
    form_class = CancelForm

    def form_valid(self, form):
        try:
            services.cancel_meeting(
                meeting=self.meeting, actor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting is cancelled."))
        return redirect(self.meeting_url("items"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Cancel the meeting"), **kwargs)


class NoticeView(_EditorMixin, TemplateView):
    template_name = "meetings/notice.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = queries.agenda(self.meeting)
        context["recipients"] = services.recipients(self.meeting)
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.send_notice(meeting=self.meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, _message_of(error))
        else:
            messages.success(request, _("The notice is being sent to every member and substitute."))
        return redirect(self.meeting_url("items"))


# --- staff: the agenda --------------------------------------------------------------------


class ItemsView(_EditorMixin, FormView):
    """The agenda editor: the items in order (up/down buttons; drag and drop and the
    keyboard with htmx, from static/meetings/agenda.js) and a form for a new item."""

    template_name = "meetings/items.html"
    form_class = ItemForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["continuable"] = queries.continuable_items(self.meeting)
        return kwargs

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.add_item(meeting=self.meeting, actor=self.request.user, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The item is added."))
        return redirect(self.meeting_url("items"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = queries.agenda(self.meeting)
        return context


def _item_list_response(view, request):
    return render(
        request,
        "meetings/_item_list.html",
        {
            "meeting": view.meeting,
            "association": view.association,
            "items": queries.agenda(view.meeting),
        },
    )


class ItemMoveView(_EditorMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, item, **kwargs):
        agenda_item = get_object_or_404(queries.item(self.meeting, item))
        step = {"up": -1, "down": 1}.get(request.POST.get("step", ""))
        to = request.POST.get("to", "")
        if step is not None:
            services.move_item(item=agenda_item, actor=request.user, step=step)
        elif to.isdigit() and len(to) < 5:
            # Drag and drop: the place (1, 2, ...) where the item was dropped.
            services.move_item(item=agenda_item, actor=request.user, to=int(to) - 1)
        elif not request.htmx:
            messages.error(request, _("Say where to move the item."))
        if request.htmx:
            return _item_list_response(self, request)
        return redirect(self.meeting_url("items") + f"#item-{agenda_item.pk}")


class ItemUpdateView(_EditorMixin, FormView):
    template_name = "meetings/item.html"
    form_class = ItemForm

    def setup_item(self):
        if not hasattr(self, "item"):
            self.item = get_object_or_404(queries.item(self.meeting, self.kwargs["item"]))
        return self.item

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.setup_item()
        kwargs["continuable"] = queries.continuable_items(self.meeting)
        return kwargs

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.update_item(
                item=self.item,
                actor=self.request.user,
                expected_version=form.cleaned_data["version"],
                data=data,
            )
        except ConcurrentEditError:
            form.add_error(
                None,
                _(
                    "Someone else changed this item meanwhile. Reload the page "
                    "to see their changes."
                ),
            )
            return self.form_invalid(form)
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The item is saved."))
        return redirect(self.meeting_url("items") + f"#item-{self.item.pk}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.setup_item()
        context.update(
            item=item,
            links=list(
                ItemDocument.objects.filter(item=item)
                .select_related("document__current_version")
                .prefetch_related("document__versions")
            ),
            document_form=DocumentForm(),
        )
        return context


class ItemDeleteView(_EditorMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, item, **kwargs):
        agenda_item = get_object_or_404(queries.item(self.meeting, item))
        try:
            services.delete_item(item=agenda_item, actor=request.user)
        except ValidationError as error:
            messages.error(request, _message_of(error))
        else:
            messages.success(request, _("The item is removed."))
        return redirect(self.meeting_url("items"))


class DocumentAddView(_EditorMixin, FormView):
    template_name = "meetings/form.html"
    form_class = DocumentForm

    def form_valid(self, form):
        agenda_item = get_object_or_404(queries.item(self.meeting, self.kwargs["item"]))
        data = form.cleaned_data
        try:
            services.attach_document(
                item=agenda_item,
                actor=self.request.user,
                upload=data["file"],
                title=data["title"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The document is added."))
        return redirect(self.meeting_url("item_update", item=agenda_item.pk))

    def get_context_data(self, **kwargs):
        get_object_or_404(queries.item(self.meeting, self.kwargs["item"]))
        return super().get_context_data(title=_("Add a document"), multipart=True, **kwargs)


class DocumentPublicView(_EditorMixin, View):
    """Mark a document public or not public (the shared ``set_document_public``)."""

    http_method_names = ["post"]

    def post(self, request, *args, document, **kwargs):
        link = get_object_or_404(
            ItemDocument.objects.select_related("document", "item"),
            item__meeting=self.meeting,
            document_id=document,
        )
        public = request.POST.get("is_public") == "1"
        set_document_public(document=link.document, actor=request.user, is_public=public)
        messages.success(
            request,
            _("The document is public.") if public else _("The document is no longer public."),
        )
        return redirect(self.meeting_url("item_update", item=link.item_id))


class DocumentDeleteView(_EditorMixin, View):
    """Remove a document with all its versions (a wrong upload; the history keeps it)."""

    http_method_names = ["post"]

    def post(self, request, *args, document, **kwargs):
        link = get_object_or_404(
            ItemDocument.objects.select_related("document", "item"),
            item__meeting=self.meeting,
            document_id=document,
        )
        item_id = link.item_id
        delete_document(document=link.document, actor=request.user)
        messages.success(request, _("The document is removed."))
        return redirect(self.meeting_url("item_update", item=item_id))


class DocumentVersionView(_EditorMixin, FormView):
    template_name = "meetings/form.html"
    form_class = VersionForm

    def link(self):
        return get_object_or_404(
            ItemDocument.objects.select_related("document", "item"),
            item__meeting=self.meeting,
            document_id=self.kwargs["document"],
        )

    def form_valid(self, form):
        link = self.link()
        try:
            services.add_document_version(
                link=link,
                actor=self.request.user,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The new version is stored; the earlier ones are kept."))
        return redirect(self.meeting_url("item_update", item=link.item_id))

    def get_context_data(self, **kwargs):
        link = self.link()
        return super().get_context_data(
            title=_("New version of %(title)s") % {"title": link.document.title},
            multipart=True,
            **kwargs,
        )
