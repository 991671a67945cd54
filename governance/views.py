from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from association.forms import add_validation_error
from association.mixins import ServiceFormView, TenantMixin
from association.permissions import Access, may_edit, may_view_internal
from association.spreadsheets import csv_response, xlsx_response
from governance import queries, services
from governance.forms import (
    AssignmentForm,
    BodyForm,
    DateForm,
    PersonForm,
    ProposalYearForm,
    RotationForm,
    SeatForm,
    TermForm,
)
from governance.models import NETWORK_KINDS, Role
from governance.permissions import may_see_contact_details, may_view_body_documents


class _BodyMixin:
    """Pages under /organ/<body>/: the body of this association, or 404."""

    def get_body(self):
        if not hasattr(self, "_body"):
            body = queries.body(self.association, self.kwargs["body"]).first()
            if body is None:
                raise Http404
            self._body = body
        return self._body


def _body_url(body) -> str:
    return reverse(
        "governance:body_detail", kwargs={"association": body.association.slug, "body": body.slug}
    )


class _ServiceFormView(ServiceFormView):
    """Governance's create and edit pages: one form template with a title and a way back."""

    template_name = "governance/form.html"
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.get_title()
        context["back_url"] = self.get_back_url()
        return context

    def get_title(self):
        return self.title

    def get_back_url(self):
        return reverse("governance:body_list", kwargs={"association": self.association.slug})


# --- public pages ---------------------------------------------------------------------------


class OrgChartView(TenantMixin, TemplateView):
    """The organisation as a tree drawn from the reporting lines (public)."""

    access = Access.PUBLIC
    template_name = "governance/org_chart.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["chart"] = queries.org_chart(self.association, today)
        context["today"] = today
        return context


class BodyDetailView(_BodyMixin, TenantMixin, TemplateView):
    """Mandate, members, substitutes, host and vacancies; any past date with ?datum=."""

    access = Access.PUBLIC
    template_name = "governance/body_detail.html"

    def get(self, request, *args, **kwargs):
        body = self.get_body()
        if body.kind in NETWORK_KINDS and not may_view_internal(request):
            # A network's members are public only where the association says so: the
            # networks app's page applies that rule (staff keep this page for the seats).
            return redirect(
                "networks:public_detail", association=self.association.slug, slug=body.slug
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = self.get_body()
        date_form = DateForm(self.request.GET)
        day = date_form.day_or_today()
        members = queries.composition(body, day)
        seat_rows = queries.seat_vacancies(self.association, day, body)
        context.update(
            body=body,
            day=day,
            is_today=day == timezone.localdate(),
            date_form=DateForm(initial={"datum": day}),
            members=[a for a in members if a.role != Role.SUBSTITUTE],
            substitutes=[a for a in members if a.role == Role.SUBSTITUTE],
            seat_rows=seat_rows,
            vacancies=[row for row in seat_rows if row.is_vacant],
            host=body.host(day.year),
            next_host=body.host(day.year + 1),
            may_view_documents=may_view_body_documents(self.request, body),
            show_contacts=may_see_contact_details(self.request),
            may_edit=may_edit(self.request),
            may_view_internal=may_view_internal(self.request),
        )
        return context


class RotationListView(TenantMixin, TemplateView):
    """Who hosts which year (public, as the business plan publishes it)."""

    access = Access.PUBLIC
    template_name = "governance/rotation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        context["rotations"] = [
            (rotation, rotation.schedule(max(rotation.first_year, this_year - 2), this_year + 8))
            for rotation in queries.rotations(self.association)
        ]
        context["this_year"] = this_year
        return context


class MyBodiesView(TenantMixin, TemplateView):
    access = Access.LOGGED_IN
    template_name = "governance/my_bodies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = queries.assignments_of_user(self.request.user, self.association)
        context["today"] = timezone.localdate()
        return context


# --- bodies -------------------------------------------------------------------------------


class BodyCreateView(_ServiceFormView):
    form_class = BodyForm
    title = gettext_lazy("New body")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def create(self, data):
        return services.create_body(association=self.association, actor=self.request.user, **data)

    def success_url_for(self, obj):
        return _body_url(obj)


class BodyUpdateView(_BodyMixin, BodyCreateView):
    def get_instance(self):
        return self.get_body()

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.get_body().name}

    def get_back_url(self):
        return _body_url(self.get_body())

    def update(self, instance, version, data):
        return services.update_body(
            body=instance, actor=self.request.user, expected_version=version, data=data
        )


class BodyHistoryView(_BodyMixin, TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "governance/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = self.get_body()
        context.update(
            title=_("History of %(name)s") % {"name": body.name},
            entries=queries.body_history(body)[:200],
            back_url=_body_url(body),
        )
        return context


# --- seats --------------------------------------------------------------------------------


class SeatCreateView(_BodyMixin, _ServiceFormView):
    form_class = SeatForm

    def get_title(self):
        return _("New seat in %(name)s") % {"name": self.get_body().name}

    def get_back_url(self):
        return _body_url(self.get_body())

    def create(self, data):
        return services.create_seat(body=self.get_body(), actor=self.request.user, **data)

    def success_url_for(self, obj):
        return _body_url(self.get_body())


class SeatUpdateView(SeatCreateView):
    def get_instance(self):
        seat = queries.seat(self.get_body(), self.kwargs["pk"]).first()
        if seat is None:
            raise Http404
        return seat

    def get_title(self):
        return _("Edit seat: %(seat)s") % {"seat": self.instance}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delete_url"] = reverse(
            "governance:seat_delete",
            kwargs={"association": self.association.slug, "body": self.get_body().slug,
                    "pk": self.instance.pk},
        )  # fmt: skip
        context["delete_label"] = _("Remove the seat")
        context["delete_help"] = _("Only for a seat that has never been filled.")
        return context

    def update(self, instance, version, data):
        return services.update_seat(
            seat=instance, actor=self.request.user, expected_version=version, data=data
        )


class SeatDeleteView(_BodyMixin, TenantMixin, View):
    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        body = self.get_body()
        seat = queries.seat(body, kwargs["pk"]).first()
        if seat is None:
            raise Http404
        try:
            services.delete_seat(seat=seat, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The seat was removed."))
        return redirect(_body_url(body))


# --- assignments --------------------------------------------------------------------------


class AssignmentCreateView(_BodyMixin, _ServiceFormView):
    form_class = AssignmentForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "body": self.get_body()}

    def get_title(self):
        return _("New assignment in %(name)s") % {"name": self.get_body().name}

    def get_back_url(self):
        return _body_url(self.get_body())

    def create(self, data):
        return services.create_assignment(body=self.get_body(), actor=self.request.user, **data)

    def success_url_for(self, obj):
        return _body_url(self.get_body())


class AssignmentUpdateView(AssignmentCreateView):
    def get_instance(self):
        assignment = queries.assignment(self.association, self.kwargs["pk"]).first()
        if assignment is None or assignment.body_id != self.get_body().pk:
            raise Http404
        return assignment

    def get_title(self):
        return _("Edit assignment: %(assignment)s") % {"assignment": self.instance}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delete_url"] = reverse(
            "governance:assignment_delete",
            kwargs={"association": self.association.slug, "body": self.get_body().slug,
                    "pk": self.instance.pk},
        )  # fmt: skip
        context["delete_label"] = _("Remove the assignment")
        context["delete_help"] = _(
            "Only for an assignment entered by mistake; to end one, change its end date."
        )
        return context

    def update(self, instance, version, data):
        return services.update_assignment(
            assignment=instance, actor=self.request.user, expected_version=version, data=data
        )


class AssignmentDeleteView(_BodyMixin, TenantMixin, View):
    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        body = self.get_body()
        assignment = queries.assignment(self.association, kwargs["pk"]).first()
        if assignment is None or assignment.body_id != body.pk:
            raise Http404
        try:
            services.delete_assignment(assignment=assignment, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path.rsplit("ta-bort/", 1)[0])
        messages.success(request, _("The assignment was removed."))
        return redirect(_body_url(body))


# --- host rotation and chair proposals --------------------------------------------------------


class RotationCreateView(TenantMixin, FormView):
    access = Access.EDITOR
    template_name = "governance/form.html"
    form_class = RotationForm
    rotation = None

    def get_rotation(self):
        return None

    def get_initial(self):
        self.rotation = self.get_rotation()
        if self.rotation is None:
            return {}
        return {
            "name": self.rotation.name,
            "first_year": self.rotation.first_year,
            "notes": self.rotation.notes,
            "municipalities": "\n".join(
                place.municipality.name for place in self.rotation.places_in_order()
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit host rotation") if self.rotation else _("New host rotation")
        context["back_url"] = reverse(
            "governance:rotations", kwargs={"association": self.association.slug}
        )
        return context

    def form_valid(self, form):
        try:
            services.set_rotation(
                association=self.association, actor=self.request.user,
                rotation=self.rotation, **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("governance:rotations", association=self.association.slug)


class RotationUpdateView(RotationCreateView):
    def get_rotation(self):
        rotation = queries.rotation(self.association, self.kwargs["pk"]).first()
        if rotation is None:
            raise Http404
        return rotation


class ChairProposalView(_BodyMixin, TenantMixin, TemplateView):
    """Next year's chairs by the host rule, for staff to confirm."""

    access = Access.EDITOR
    template_name = "governance/chair_proposal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = self.get_body()
        year = ProposalYearForm(self.request.GET).year_or_next()
        proposals = services.chair_proposal(body=body, year=year)
        context.update(
            body=body,
            year=year,
            host=body.host(year),
            proposals=proposals,
            can_confirm=any(proposal.can_confirm for proposal in proposals),
        )
        return context

    def post(self, request, *args, **kwargs):
        body = self.get_body()
        form = ProposalYearForm(request.POST)
        if not form.is_valid() or not form.cleaned_data.get("year"):
            messages.error(request, _("Choose a year."))
            return redirect(_body_url(body))
        year = form.cleaned_data["year"]
        try:
            made = services.confirm_chair_proposal(body=body, year=year, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if made:
                messages.success(request, _("The chairs for %(year)s were saved.") % {"year": year})
            else:
                messages.warning(request, _("There was nothing to confirm."))
        return redirect(_body_url(body))


# --- people -------------------------------------------------------------------------------


class PersonListView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "governance/person_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = queries.people(self.association)
        return context


class PersonDetailView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "governance/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = queries.person(self.association, self.kwargs["pk"]).first()
        if person is None:
            raise Http404
        context.update(
            person=person,
            assignments=queries.person_assignments(person),
            entries=queries.person_history(person)[:50],
            today=timezone.localdate(),
        )
        return context


class PersonCreateView(_ServiceFormView):
    form_class = PersonForm
    title = gettext_lazy("New person")

    def get_back_url(self):
        return reverse("governance:people", kwargs={"association": self.association.slug})

    def create(self, data):
        return services.create_person(association=self.association, actor=self.request.user, **data)

    def success_url_for(self, obj):
        return reverse(
            "governance:person_detail",
            kwargs={"association": self.association.slug, "pk": obj.pk},
        )


class PersonUpdateView(PersonCreateView):
    def get_instance(self):
        person = queries.person(self.association, self.kwargs["pk"]).first()
        if person is None:
            raise Http404
        return person

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.instance}

    def update(self, instance, version, data):
        return services.update_person(
            person=instance, actor=self.request.user, expected_version=version, data=data
        )


class PersonInviteView(TenantMixin, View):
    """Give the person a login for their record; a new account gets a link by e-mail."""

    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        person = queries.person(self.association, kwargs["pk"]).first()
        if person is None:
            raise Http404
        try:
            sent = services.invite_person(request=request, person=person, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if sent:
                messages.success(request, _("An invitation was sent to %(email)s.") % {
                    "email": person.email})  # fmt: skip
            else:
                messages.success(request, _("The person's existing login was linked."))
        return redirect("governance:person_detail", association=self.association.slug,
                        pk=person.pk)  # fmt: skip


# --- terms and vacancies ------------------------------------------------------------------


class TermListView(TenantMixin, FormView):
    """The terms of office; editors add one with the form on the same page."""

    access = Access.STAFF
    template_name = "governance/term_list.html"
    form_class = TermForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["terms"] = queries.terms(self.association)
        context["may_edit"] = may_edit(self.request)
        return context

    def post(self, request, *args, **kwargs):
        if not may_edit(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.create_term(
                association=self.association, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("governance:terms", association=self.association.slug)


class VacancyListView(TenantMixin, TemplateView):
    """Every vacant place now, and in the next term of office (?period=next)."""

    access = Access.STAFF
    template_name = "governance/vacancies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        next_term = queries.next_term(self.association, today)
        show_next = self.request.GET.get("period") == "next" and next_term is not None
        day = next_term.starts_on if show_next else today
        rows = [v for v in queries.seat_vacancies(self.association, day) if v.is_vacant]
        context.update(
            day=day,
            term=next_term if show_next else queries.term_on(self.association, today),
            next_term=next_term,
            show_next=show_next,
            vacancies=rows,
            members_vacant=sum(v.members_vacant for v in rows),
            substitutes_vacant=sum(v.substitutes_vacant for v in rows),
        )
        return context


# --- exports ------------------------------------------------------------------------------


def _assignment_header() -> list[str]:
    return [
        _("Body"), _("Role"), _("First name"), _("Last name"), _("Municipality or organisation"),
        _("Party"), _("Seat"), _("Personal substitute for"), _("Place in the order"),
        _("Term"), _("From"), _("Until"), _("E-mail"), _("Phone"),
    ]  # fmt: skip


def _assignment_row(a) -> list:
    return [
        a.body.name, a.get_role_display(), a.person.first_name, a.person.last_name,
        a.person.represents, a.person.party, a.seat.holder if a.seat_id else "",
        str(a.substitute_for) if a.substitute_for_id else "", a.substitute_order,
        a.term.name, a.starts_on, a.ends_on, a.person.email, a.person.phone,
    ]  # fmt: skip


class _ExportView(TenantMixin, View):
    access = Access.STAFF
    format = "csv"

    def respond(self, name: str, title: list, rows: list) -> object:
        header = _assignment_header()
        if self.format == "xlsx":
            return xlsx_response(filename=f"{name}.xlsx", header=header, rows=rows, title=title,
                                 sheet_title=_("Assignments"))  # fmt: skip
        return csv_response(filename=f"{name}.csv", header=header, rows=rows, title=title)


class BodyMembersExportView(_BodyMixin, _ExportView):
    """The body's composition on a day (today, or ?datum=)."""

    def get(self, request, *args, **kwargs):
        body = self.get_body()
        day = DateForm(request.GET).day_or_today()
        rows = [_assignment_row(a) for a in queries.composition(body, day)]
        title = [self.association.name, body.name, day.isoformat()]
        return self.respond(f"{self.association.slug}-{body.slug}-{day.isoformat()}", title, rows)


class AssignmentsExportView(_ExportView):
    """Every assignment of the association, past and present."""

    def get(self, request, *args, **kwargs):
        rows = [_assignment_row(a) for a in queries.all_assignments(self.association)]
        title = [self.association.name, _("All assignments"), timezone.localdate().isoformat()]
        return self.respond(f"{self.association.slug}-uppdrag", title, rows)
