"""Networks pages: the public's list and detail, the members' own network page, the
staff's registers (networks, assignments, yearly reports, feedback rounds) and the answer
page of a feedback round."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from association.documents import document_response
from association.forms import add_validation_error
from association.mixins import ServiceFormView, TenantMixin
from association.permissions import Access, may_view_internal
from association.spreadsheets import csv_response, xlsx_response
from governance.meetings import queries as meeting_queries
from governance.permissions import seated_bodies
from members import charts
from networks import queries, services
from networks.forms import (
    AnswerForm,
    FeedbackRoundForm,
    MemberForm,
    NetworkForm,
    StatusForm,
    WorkAssignmentForm,
    YearlyReportForm,
)


def _url(association, name: str, **kwargs) -> str:
    return reverse(f"networks:{name}", kwargs={"association": association.slug, **kwargs})


def _is_member(request, network) -> bool:
    return network.body_id in seated_bodies(request)


def _with_municipalities(rows):
    taking_part = queries.municipalities_taking_part([n.body_id for n in rows])
    for row in rows:
        row.municipalities = taking_part.get(row.body_id, [])
    return rows


class _NetworkMixin(TenantMixin):
    """Pages about one network: loaded (or 404) before the access check."""

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "association", None) is None:
            raise Http404
        self.network = queries.network(request.association, kwargs["slug"]).first()
        if self.network is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["network"] = self.network
        return super().get_context_data(**kwargs)


class _MembersOnlyMixin(_NetworkMixin):
    """The network's own members (an assignment in its body today) and staff; a seat in
    another network or body gives nothing here."""

    access = Access.LOGGED_IN

    def has_access(self) -> bool:
        return super().has_access() and (
            may_view_internal(self.request) or _is_member(self.request, self.network)
        )


# --- public -------------------------------------------------------------------------------


class PublicListView(TenantMixin, TemplateView):
    """The networks and working groups, under the body each reports to."""

    access = Access.PUBLIC
    template_name = "networks/public_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = _with_municipalities(list(queries.networks(self.association)))
        context["groups"] = queries.grouped(rows)
        return context


class PublicDetailView(_NetworkMixin, TemplateView):
    """Purpose, the municipalities taking part and, where the association has made the list
    public, the members' names (never contact details here)."""

    access = Access.PUBLIC
    template_name = "networks/public_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        network = self.network
        members = queries.members(network, today) if network.member_list_public else None
        children = list(queries.networks(self.association).filter(parent=network))
        context.update(
            municipalities=queries.municipalities_taking_part([network.body_id]).get(
                network.body_id, []
            ),
            members=members,
            children=children,
            is_member=_is_member(self.request, network),
        )  # fmt: skip
        return context


# --- members ------------------------------------------------------------------------------


class MyNetworksView(TenantMixin, TemplateView):
    access = Access.LOGGED_IN
    template_name = "networks/my_networks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["networks"] = queries.networks_of_user(
            self.association, self.request.user, timezone.localdate()
        )
        context["rounds"] = queries.open_rounds_for(self.association, self.request.user, now)
        return context


class MembersView(_MembersOnlyMixin, TemplateView):
    """The members' page of one network: who sits in it with contact details, its meetings,
    assignments and yearly reports with their documents."""

    template_name = "networks/members.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        network = self.network
        since = timezone.now() - timedelta(days=365)
        meetings = meeting_queries.meetings(self.association).filter(
            body=network.body_id, starts_at__gte=since
        )
        if not may_view_internal(self.request):
            meetings = meetings.filter(notice_sent_at__isnull=False)
        context.update(
            members=queries.members(network, today),
            meetings=list(meetings),
            assignments=list(queries.work_assignments_of(network)),
            reports=list(queries.yearly_reports(network)),
        )
        return context


class ReportDocumentView(_MembersOnlyMixin, View):
    def get(self, request, association, slug, pk):
        report = get_object_or_404(queries.yearly_reports(self.network), pk=pk)
        if report.document is None or report.document.current_version is None:
            raise Http404
        version = report.document.current_version
        version.document = report.document
        return document_response(version)


# --- staff: networks ----------------------------------------------------------------------


class StaffListView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "networks/staff_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = list(queries.networks(self.association))
        counts = queries.member_counts([n.body_id for n in rows], today)
        missing = {n.pk for n in queries.missing_yearly_reports(self.association, today.year)}
        for row in rows:
            row.member_count = counts.get(row.body_id, 0)
            row.report_missing = row.pk in missing
        context.update(networks=rows, year=today.year)
        return context


class _NetworkFormView(ServiceFormView):
    template_name = "networks/form.html"
    form_class = NetworkForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def form_data(self, form):
        return {name: form.cleaned_data[name] for name in form.fields if name != "version"}

    def create(self, data):
        return services.create_network(
            association=self.association, actor=self.request.user, **data
        )

    def update(self, instance, version, data):
        return services.update_network(
            network=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "members", slug=obj.body.slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Change the network") if self.instance else _("New network")
        context["back_url"] = _url(self.association, "staff_list")
        return context


class NetworkCreateView(_NetworkFormView):
    pass


class NetworkUpdateView(_NetworkFormView):
    def get_instance(self):
        network = queries.network(self.association, self.kwargs["slug"]).first()
        if network is None:
            raise Http404
        return network


class _NetworkActionView(_NetworkMixin, FormView):
    """A form about one network (editors)."""

    access = Access.EDITOR
    template_name = "networks/form.html"
    title = ""
    multipart = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def extra_form_kwargs(self) -> dict:
        return {"association": self.association}

    def act(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(_url(self.association, "members", slug=self.network.body.slug))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title % {"name": self.network.body.name},
            back_url=_url(self.association, "members", slug=self.network.body.slug),
            multipart=self.multipart,
            **kwargs,
        )


class MemberAddView(_NetworkActionView):
    form_class = MemberForm
    title = gettext_lazy("Add a member: %(name)s")

    def act(self, form):
        services.add_member(network=self.network, actor=self.request.user, **form.cleaned_data)


class ReportAddView(_NetworkActionView):
    form_class = YearlyReportForm
    title = gettext_lazy("Yearly report: %(name)s")
    multipart = True

    def extra_form_kwargs(self):
        return {}

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def act(self, form):
        data = form.cleaned_data
        services.submit_yearly_report(
            network=self.network, actor=self.request.user, year=data["year"],
            text=data["text"], upload=data.get("file"),
        )  # fmt: skip


class ReportsView(TenantMixin, TemplateView):
    """Which groups' yearly reports are in and which are missing (?ar=year)."""

    access = Access.STAFF
    template_name = "networks/reports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            year = int(self.request.GET.get("ar", ""))
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        from networks.models import YearlyReport

        context.update(
            year=year,
            missing=queries.missing_yearly_reports(self.association, year),
            submitted=list(
                YearlyReport.objects.filter(association=self.association, year=year)
                .select_related("network__body", "network__body__reports_to")
                .order_by("network__body__name")
            ),
        )
        return context


# --- staff: assignments (uppdrag) ---------------------------------------------------------


class WorkListView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "networks/work_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(queries.work_assignments(self.association))
        sections: dict[str, list] = {}
        for row in rows:
            sections.setdefault(row.heading, []).append(row)
        context["sections"] = list(sections.items())
        return context


class WorkDetailView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "networks/work_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = queries.work_assignment(self.association, self.kwargs["pk"]).first()
        if assignment is None:
            raise Http404
        context.update(assignment=assignment, status_form=StatusForm(
            initial={"status": assignment.status}))  # fmt: skip
        return context


class _WorkFormView(ServiceFormView):
    template_name = "networks/form.html"
    form_class = WorkAssignmentForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def create(self, data):
        return services.create_work_assignment(
            association=self.association, actor=self.request.user, **data
        )

    def update(self, instance, version, data):
        return services.update_work_assignment(
            assignment=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "work_detail", pk=obj.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Change the assignment") if self.instance else _("New assignment")
        context["back_url"] = _url(self.association, "work_list")
        return context


class WorkCreateView(_WorkFormView):
    pass


class WorkUpdateView(_WorkFormView):
    def get_instance(self):
        found = queries.work_assignments(self.association).filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        return found


class WorkStatusView(TenantMixin, FormView):
    access = Access.EDITOR
    template_name = "networks/form.html"
    form_class = StatusForm

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "association", None) is None:
            raise Http404
        self.assignment = (
            queries.work_assignments(request.association).filter(pk=kwargs["pk"]).first()
        )
        if self.assignment is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"status": self.assignment.status}

    def form_valid(self, form):
        try:
            services.set_work_status(assignment=self.assignment, actor=self.request.user,
                                     **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(_url(self.association, "work_detail", pk=self.assignment.pk))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New status: %(title)s") % {"title": self.assignment.title},
            back_url=_url(self.association, "work_detail", pk=self.assignment.pk),
            **kwargs,
        )


# --- feedback rounds ----------------------------------------------------------------------


class RoundListView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "networks/round_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rounds"] = list(queries.feedback_rounds(self.association))
        context["now"] = timezone.now()
        return context


class RoundCreateView(TenantMixin, FormView):
    access = Access.EDITOR
    template_name = "networks/form.html"
    form_class = FeedbackRoundForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            feedback_round = services.open_feedback_round(
                association=self.association, actor=self.request.user, title=data["title"],
                year=data["year"], closes_at=form.closes_at, promises=form.promise_texts,
                networks=data["networks"], bodies=data["bodies"],
            )  # fmt: skip
        except ValidationError as error:
            add_validation_error(form, error, field_names={"closes_at": "closes_on"})
            return self.form_invalid(form)
        messages.success(self.request, _("The feedback round is open."))
        return redirect(_url(self.association, "round", pk=feedback_round.pk))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New feedback round"), back_url=_url(self.association, "rounds"), **kwargs
        )


class _RoundMixin(TenantMixin):
    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "association", None) is None:
            raise Http404
        self.round = queries.feedback_round(request.association, kwargs["pk"]).first()
        if self.round is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class RoundResultsView(_RoundMixin, TemplateView):
    """Results per promise and per group asked, as a chart and its table; never who."""

    access = Access.STAFF
    template_name = "networks/round_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = queries.feedback_results(self.round)
        for promise in results["promises"]:
            promise["chart_id"] = f"chart-{promise['position']}"
            promise["chart"] = charts.horizontal_bars(
                [(str(score), n) for score, n in promise["distribution"].items()]
            )
        is_open = self.round.is_open()
        asked = queries.respondent_user_ids(self.round, timezone.localdate()) if is_open else ()
        context.update(
            round=self.round, results=results, is_open=is_open, asked=len(asked),
            min_group=queries.MIN_GROUP_ANSWERS,
        )  # fmt: skip
        return context


def _result_rows(results) -> list[list]:
    rows = []
    for promise in results["promises"]:
        groups = [(_("All answers"), "", False, promise)] + [
            (g["name"], g["kind"], g["hidden"], g) for g in promise["groups"]
        ]
        for name, _kind, hidden, figures in groups:
            if hidden:
                rows.append([promise["position"], promise["text"], name,
                             _("fewer than %(n)s answers") % {"n": queries.MIN_GROUP_ANSWERS},
                             "", "", "", "", "", ""])  # fmt: skip
                continue
            rows.append([promise["position"], promise["text"], name, figures["count"],
                         *[figures["distribution"][s] for s in range(1, 6)],
                         figures["mean"] if figures["mean"] is not None else ""])  # fmt: skip
    return rows


class RoundExportView(_RoundMixin, View):
    access = Access.STAFF
    export_format = "csv"

    def get(self, request, association, pk):
        results = queries.feedback_results(self.round)
        header = [_("No."), _("Promise"), _("Group"), _("Answers"), "1", "2", "3", "4", "5",
                  _("Mean")]  # fmt: skip
        rows = _result_rows(results)
        filename = f"aterkoppling-{self.round.year}-{self.round.pk}"
        title = [self.round.title]
        if self.export_format == "xlsx":
            return xlsx_response(filename=f"{filename}.xlsx", header=header, rows=rows,
                                 title=title, sheet_title=str(self.round.year))  # fmt: skip
        return csv_response(filename=f"{filename}.csv", header=header, rows=rows, title=title)


class AnswerView(_RoundMixin, FormView):
    """The answer form of someone asked in the round: their own answers only, changeable
    until the closing time. Staff who are not asked see the questions without a form."""

    access = Access.LOGGED_IN
    template_name = "networks/answer.html"
    form_class = AnswerForm

    def has_access(self) -> bool:
        if not super().has_access():
            return False
        self.groups = services.respondent_groups(
            self.round, self.request.user, timezone.localdate()
        )
        self.is_asked = bool(self.groups[0] or self.groups[1])
        return self.is_asked or may_view_internal(self.request)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["promises"] = list(self.round.promises.all())
        kwargs["answers"] = (
            queries.answers_of(self.round, self.request.user) if self.is_asked else {}
        )
        return kwargs

    def post(self, request, *args, **kwargs):
        if not self.is_asked or not self.round.is_open():
            messages.error(request, self.closed_message() if self.is_asked else
                           _("You are not among those asked in this round."))  # fmt: skip
            return redirect(_url(self.association, "answer", pk=self.round.pk))
        return super().post(request, *args, **kwargs)

    def closed_message(self) -> str:
        closes = timezone.localtime(self.round.closes_at).strftime("%Y-%m-%d %H:%M")
        return _("The round closed on %(closes)s; answers can no longer be given or changed.") % {
            "closes": closes
        }

    def form_valid(self, form):
        try:
            services.answer_feedback(
                feedback_round=self.round, user=self.request.user, answers=form.answers()
            )
        except ValidationError as error:
            if error.code in ("closed", "not_asked"):
                messages.error(self.request, " ".join(error.messages))
                return redirect(_url(self.association, "answer", pk=self.round.pk))
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: your answers are saved."))
        return redirect(_url(self.association, "answer", pk=self.round.pk))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            round=self.round, is_asked=self.is_asked, is_open=self.round.is_open(),
            networks=self.groups[0], bodies=self.groups[1],
        )  # fmt: skip
        return context
