import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from association.forms import add_validation_error
from association.mixins import ServiceFormView, TenantMixin
from association.pdfjobs import PdfJobViewMixin, pdf_file_response
from association.permissions import Access
from planning import forms, pdfs, queries, services


def _url(association, name: str, **kwargs) -> str:
    return reverse(f"planning:{name}", kwargs={"association": association.slug, **kwargs})


def _get(queryset):
    found = queryset.first()
    if found is None:
        raise Http404
    return found


# --- public -------------------------------------------------------------------------------


class PublicIndexView(TenantMixin, TemplateView):
    """The published directions and plans, and this year's plan goal by goal."""

    access = Access.PUBLIC
    template_name = "planning/public_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = list(queries.published_plans(self.association))
        year = timezone.localdate().year
        current = next((plan for plan in plans if plan.year == year), None)
        goals, report = [], None
        if current:
            goals = queries.goals_with_activities(current)
            report, statuses = queries.goal_statuses(current)
            for goal in goals:
                goal.status_entry = statuses.get(goal.pk)
        context.update(
            directions=list(queries.published_directions(self.association)),
            plans=plans,
            year=year,
            current=current,
            goals=goals,
            report=report,
        )
        return context


class PublicPlanView(TenantMixin, TemplateView):
    access = Access.PUBLIC
    template_name = "planning/public_plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = _get(queries.published_plans(self.association).filter(pk=self.kwargs["pk"]))
        context.update(queries.plan_contents(plan))
        return context


class PublicDirectionView(TenantMixin, TemplateView):
    access = Access.PUBLIC
    template_name = "planning/public_direction.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        direction = queries.direction(self.association, self.kwargs["pk"])
        context["direction"] = _get(direction.filter(is_published=True))
        return context


# --- staff: overview and direction --------------------------------------------------------


class StaffIndexView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "planning/staff_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            directions=queries.directions(self.association),
            plans=queries.plans(self.association),
        )
        return context


class DirectionDetailView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "planning/direction_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        direction = _get(queries.direction(self.association, self.kwargs["pk"]))
        context.update(
            direction=direction,
            direction_locked=services.direction_is_locked(direction),
            entries=queries.direction_history(direction)[:200],
        )
        return context


class _FormPage(ServiceFormView):
    """A create or edit page on ``planning/form.html``: its heading and the page it goes
    back to come from ``page_title()`` and ``back_url()``."""

    template_name = "planning/form.html"

    def page_title(self):
        raise NotImplementedError

    def back_url(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.page_title(), back_url=self.back_url(), **kwargs)


class _DirectionFormView(_FormPage):
    form_class = forms.DirectionForm

    def create(self, data):
        return services.create_direction(
            association=self.association, actor=self.request.user, **data
        )

    def update(self, instance, version, data):
        return services.update_direction(
            direction=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "direction", pk=obj.pk)

    def page_title(self):
        return _("Change the direction") if self.instance else _("New direction")

    def back_url(self):
        return _url(self.association, "staff_index")


class DirectionCreateView(_DirectionFormView):
    pass


class DirectionUpdateView(_DirectionFormView):
    def get_instance(self):
        return _get(queries.directions(self.association).filter(pk=self.kwargs["pk"]))


class DirectionPartView(TenantMixin, FormView):
    """Add a goal area, a goal, a strategy or a link to a global goal to a direction."""

    access = Access.EDITOR
    template_name = "planning/form.html"
    kind = ""
    FORMS = {
        "area": (forms.GoalAreaForm, _("New goal area")),
        "goal": (forms.GoalForm, _("New goal")),
        "strategy": (forms.StrategyForm, _("New strategy")),
        "sdg": (forms.SdgLinkForm, _("Link a goal area to a global goal")),
    }

    def get_direction(self):
        if not hasattr(self, "_direction"):
            self._direction = _get(
                queries.directions(self.association).filter(pk=self.kwargs["pk"])
            )
        return self._direction

    def get_form_class(self):
        return self.FORMS[self.kind][0]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kind in {"goal", "sdg"}:
            kwargs["direction"] = self.get_direction()
        return kwargs

    def form_valid(self, form):
        direction, actor, data = self.get_direction(), self.request.user, form.cleaned_data
        try:
            if self.kind == "area":
                services.add_goal_area(direction=direction, actor=actor, **data)
            elif self.kind == "goal":
                services.add_goal(direction=direction, actor=actor, **data)
            elif self.kind == "strategy":
                services.add_strategy(direction=direction, actor=actor, **data)
            else:
                services.link_sdg(
                    direction=direction, area=data["area"], actor=actor,
                    number=data["sdg"].number, is_primary=data["is_primary"],
                )  # fmt: skip
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(_url(self.association, "direction", pk=direction.pk))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"{self.FORMS[self.kind][1]}: {self.get_direction()}",
            back_url=_url(self.association, "direction", pk=self.get_direction().pk),
            **kwargs,
        )


# --- staff: plans -------------------------------------------------------------------------


class PlanCreateView(TenantMixin, FormView):
    access = Access.EDITOR
    template_name = "planning/form.html"
    form_class = forms.PlanCreateForm

    def get_initial(self):
        return {"year": timezone.localdate().year + 1}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["copy_last_year"]:
                plan = services.start_year(
                    direction=data["direction"], actor=self.request.user, year=data["year"]
                )
            else:
                plan = services.create_plan(
                    direction=data["direction"], actor=self.request.user, year=data["year"]
                )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(_url(self.association, "plan", pk=plan.pk))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New operational plan and budget"),
            back_url=_url(self.association, "staff_index"),
            **kwargs,
        )


def _step_form(plan, data=None):
    return forms.StepForm(
        data,
        decisions=queries.board_decisions(plan.association),
        proposals=queries.passed_board_proposals(plan.association),
        assembly_decisions=queries.assembly_decisions(plan.association),
        initial={"adopted_on": timezone.localdate()},
    )


class PlanDetailView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "planning/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = _get(queries.plan(self.association, self.kwargs["pk"]))
        context.update(queries.plan_contents(plan))
        context.update(
            steps=queries.available_steps(plan),
            step_form=_step_form(plan),
            entries=queries.plan_history(plan)[:200],
        )
        return context


class PlanUpdateView(_FormPage):
    form_class = forms.PlanForm

    def get_instance(self):
        return _get(queries.plans(self.association).filter(pk=self.kwargs["pk"]))

    def update(self, instance, version, data):
        return services.update_plan(
            plan=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "plan", pk=obj.pk)

    def page_title(self):
        return _("Change the plan")

    def back_url(self):
        return _url(self.association, "plan", pk=self.kwargs["pk"])


class _PlanChildView(TenantMixin, FormView):
    access = Access.EDITOR
    template_name = "planning/form.html"

    def get_plan(self):
        if not hasattr(self, "_plan"):
            self._plan = _get(queries.plans(self.association).filter(pk=self.kwargs["pk"]))
        return self._plan

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(_url(self.association, "plan", pk=self.get_plan().pk))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"{self.title}: {self.get_plan()}",
            back_url=_url(self.association, "plan", pk=self.get_plan().pk),
            **kwargs,
        )


class PlanPartView(_PlanChildView):
    """Add an activity, promise, challenge or indicator to a draft plan."""

    kind = ""
    FORMS = {
        "activity": (forms.ActivityForm, _("New activity")),
        "promise": (forms.PromiseForm, _("New promise")),
        "challenge": (forms.ChallengeForm, _("New challenge")),
        "indicator": (forms.IndicatorForm, _("New indicator")),
    }

    @property
    def title(self):
        return self.FORMS[self.kind][1]

    def get_form_class(self):
        return self.FORMS[self.kind][0]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kind in {"activity", "indicator"}:
            kwargs["plan"] = self.get_plan()
        return kwargs

    def act(self, data):
        services.add_part(plan=self.get_plan(), actor=self.request.user, kind=self.kind, **data)


class BudgetView(_PlanChildView):
    form_class = forms.BudgetForm

    @property
    def title(self):
        return _("Budget")

    def get_form_kwargs(self):
        budget = queries.budget(self.get_plan())
        amounts = {row.category: row.amount for row in budget.income_rows + budget.cost_rows}
        return {**super().get_form_kwargs(), "amounts": amounts}

    def act(self, data):
        services.set_budget(plan=self.get_plan(), actor=self.request.user, amounts=data)


class PlanStepView(TenantMixin, View):
    """One step of the approval flow (forms.Step). The page is for staff editors; whether
    the plan is in the state for the step is the service's question."""

    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, association, pk):
        plan = _get(queries.plans(self.association).filter(pk=pk))
        form = _step_form(plan, request.POST)
        target = _url(self.association, "plan", pk=plan.pk)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(target)
        data, actor = form.cleaned_data, request.user
        step = data["step"]
        try:
            if step == forms.Step.PROPOSE:
                services.propose(plan=plan, actor=actor)
            elif step == forms.Step.RETURN:
                services.return_to_draft(plan=plan, actor=actor)
            elif step == forms.Step.REFRESH:
                services.refresh_income(plan=plan, actor=actor)
            elif step == forms.Step.CIRCULATE:
                closes_on = data["closes_on"] or (timezone.localdate() + datetime.timedelta(7))
                closes_at = timezone.make_aware(
                    datetime.datetime.combine(closes_on, datetime.time(23, 59))
                )
                services.circulate_to_board(plan=plan, actor=actor, closes_at=closes_at)
            elif step == forms.Step.APPROVE:
                services.record_board_approval(
                    plan=plan, actor=actor, decision=data["decision"], proposal=data["proposal"]
                )
            elif step == forms.Step.ADOPT:
                services.adopt(
                    plan=plan, actor=actor, adopted_on=data["adopted_on"] or timezone.localdate(),
                    reference=data["reference"], decision=data["assembly_decision"],
                )  # fmt: skip
            elif step == forms.Step.PUBLISH:
                services.publish(plan=plan, actor=actor)
            elif step == forms.Step.REVISE:
                revision = services.start_revision(plan=plan, actor=actor, reason=data["reason"])
                target = _url(self.association, "plan", pk=revision.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(target)
        messages.success(request, _("Saved."))
        return redirect(target)


class PromiseFeedbackView(_PlanChildView):
    """Open the networks' feedback round on the plan's promises (networks.services)."""

    form_class = forms.PromiseFeedbackForm

    @property
    def title(self):
        return _("Ask the networks about the promises")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def act(self, data):
        services.open_promise_feedback(
            plan=self.get_plan(), actor=self.request.user,
            closes_at=forms.PromiseFeedbackForm.end_of(data["closes_on"]),
            networks=data["networks"], bodies=data["bodies"],
        )  # fmt: skip


class AssignmentGoalView(DirectionPartView):
    """Say which goal of the direction one of the networks' assignments serves."""

    FORMS = {"assignment": (forms.AssignmentGoalForm, _("Link an assignment to a goal"))}

    def get_form_kwargs(self):
        kwargs = super(DirectionPartView, self).get_form_kwargs()
        kwargs["direction"] = self.get_direction()
        return kwargs

    def form_valid(self, form):
        direction, data = self.get_direction(), form.cleaned_data
        try:
            services.link_assignment(
                goal=data["goal"], actor=self.request.user, assignment=data["assignment"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(_url(self.association, "direction", pk=direction.pk))


# --- follow-up ----------------------------------------------------------------------------


class ReportCreateView(_PlanChildView):
    form_class = forms.ReportCreateForm

    @property
    def title(self):
        return _("New follow-up report")

    def form_valid(self, form):
        try:
            report = services.create_report(
                plan=self.get_plan(), actor=self.request.user, period=form.cleaned_data["period"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(_url(self.association, "report", pk=report.pk))


def _report(association, pk):
    return _get(queries.reports(association).filter(pk=pk))


class ReportDetailView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "planning/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = _report(self.association, self.kwargs["pk"])
        context.update(queries.report_contents(report))
        context["entries_history"] = queries.report_history(report)[:200]
        context["step_form"] = forms.ReportStepForm()
        context["has_correction"] = (
            queries.reports(self.association).filter(supersedes=report).exists()
        )
        return context


class ReportStepView(TenantMixin, View):
    """Publish a report (which locks it) or start a correction of a published one."""

    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, association, pk):
        report = _report(self.association, pk)
        form = forms.ReportStepForm(request.POST)
        target = _url(self.association, "report", pk=report.pk)
        if not form.is_valid():
            messages.error(request, _("Nothing was changed."))
            return redirect(target)
        try:
            if form.cleaned_data["step"] == "publish":
                services.publish_report(report=report, actor=request.user)
            else:
                correction = services.correct_report(
                    report=report, actor=request.user, reason=form.cleaned_data["reason"]
                )
                target = _url(self.association, "report", pk=correction.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(target)
        messages.success(request, _("Saved."))
        return redirect(target)


class ReportUpdateView(_FormPage):
    form_class = forms.ReportForm

    def get_instance(self):
        return _report(self.association, self.kwargs["pk"])

    def update(self, instance, version, data):
        return services.update_report(
            report=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "report", pk=obj.pk)

    def page_title(self):
        return _("Change the report")

    def back_url(self):
        return _url(self.association, "report", pk=self.kwargs["pk"])


class StatusesView(TenantMixin, FormView):
    """Every goal's and activity's status of a report on one page."""

    access = Access.EDITOR
    template_name = "planning/statuses.html"
    form_class = forms.StatusesForm

    def get_report(self):
        if not hasattr(self, "_report"):
            self._report = _report(self.association, self.kwargs["pk"])
        return self._report

    def get_form_kwargs(self):
        from planning.models import StatusEntry

        entries = list(
            StatusEntry.objects.filter(report=self.get_report())
            .select_related("goal", "activity")
            .order_by("goal__position", "activity__position", "pk")
        )
        return {**super().get_form_kwargs(), "entries": entries}

    def form_valid(self, form):
        try:
            changed = services.save_statuses(
                report=self.get_report(), actor=self.request.user, entries=form.entries_data()
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(count)s statuses saved.") % {"count": changed})
        return redirect(_url(self.association, "report", pk=self.get_report().pk))

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.get_report(), **kwargs)


class OutcomeImportView(TenantMixin, FormView):
    access = Access.EDITOR
    template_name = "planning/import.html"
    form_class = forms.OutcomeImportForm

    def get_report(self):
        if not hasattr(self, "_report"):
            self._report = _report(self.association, self.kwargs["pk"])
        return self._report

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            staged = services.stage_outcome_import(
                report=self.get_report(), actor=self.request.user,
                content=upload.read(), file_name=upload.name or "",
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect(
            _url(self.association, "import_preview", pk=self.get_report().pk, staged=staged.pk)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.get_report(), **kwargs)


class OutcomeImportPreviewView(TenantMixin, TemplateView):
    """What the uploaded file would write, beside the figures now; confirmed (all or
    nothing) or discarded from here. The figures come from the server-side import."""

    access = Access.EDITOR
    template_name = "planning/import_preview.html"

    def get_import(self):
        report = _report(self.association, self.kwargs["pk"])
        return report, _get(queries.outcome_import(report, self.kwargs["staged"]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, staged = self.get_import()
        context.update(report=report, staged=staged, rows=queries.outcome_import_rows(staged))
        return context

    def post(self, request, association, pk, staged):
        report, staged = self.get_import()
        target = _url(self.association, "report", pk=report.pk)
        try:
            if request.POST.get("action") == "confirm":
                services.apply_outcome_import(outcome_import=staged, actor=request.user)
                messages.success(request, _("The figures are imported."))
            else:
                services.discard_outcome_import(outcome_import=staged, actor=request.user)
                messages.success(request, _("The import was discarded; nothing changed."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(target)


class PublicReportView(TenantMixin, TemplateView):
    access = Access.PUBLIC
    template_name = "planning/public_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = _get(queries.published_reports(self.association).filter(pk=self.kwargs["pk"]))
        context.update(queries.report_contents(report))
        return context


# --- PDFs ---------------------------------------------------------------------------------


class _PdfMixin(TenantMixin):
    """The PDF of a plan (``kind = "plan"``) or a follow-up report, made by the worker
    (``planning/pdfs.py`` on ``association/pdfjobs.py``)."""

    kind = "plan"
    public = False

    def get_object(self):
        if not hasattr(self, "_object"):
            if self.kind == "plan":
                found = (queries.published_plans if self.public else queries.plans)(
                    self.association
                )
            else:
                found = (queries.published_reports if self.public else queries.reports)(
                    self.association
                )
            self._object = _get(found.filter(pk=self.kwargs["pk"]))
        return self._object

    def pdf_status(self):
        return pdfs.status(self.kind, self.get_object(), translation.get_language())

    def page_url(self, name="pdf"):
        prefix = "public_" if self.public else ""
        return _url(self.association, f"{prefix}{self.kind}_{name}", pk=self.kwargs["pk"])

    def download_response(self):
        obj = self.get_object()
        handle = pdfs.open_ready(self.kind, obj, translation.get_language())
        if handle is None:
            raise Http404
        plan = obj if self.kind == "plan" else obj.plan
        name = f"verksamhetsplan-{plan.year}" if self.kind == "plan" else (
            f"uppfoljning-{plan.year}-{obj.period}"
        )  # fmt: skip
        return pdf_file_response(handle, filename=f"{name}.pdf", public=self.public)


class PdfView(_PdfMixin, PdfJobViewMixin, TemplateView):
    """GET shows whether the PDF of the current version is ready, waiting or being made
    (polled by htmx every second; without JavaScript the page reloads itself); POST asks
    the worker to make it and comes back here."""

    access = Access.STAFF
    template_name = "planning/pdf.html"
    status_template = "planning/_pdf_status.html"
    http_method_names = ["get", "post"]

    def job_status(self):
        return self.pdf_status()

    def start_job(self) -> None:
        pdfs.request_pdf(self.kind, self.get_object(), translation.get_language())

    def job_url(self) -> str:
        return self.page_url()

    def job_context(self, status) -> dict:
        obj = self.get_object()
        return {
            **super().job_context(status), "prefix": "pdf", "association": self.association,
            "object": obj, "download_url": self.page_url("pdf_download"),
            "back_url": _url(self.association, self.kind, pk=obj.pk),
        }  # fmt: skip


class PdfDownloadView(_PdfMixin, View):
    access = Access.STAFF

    def get(self, request, *args, **kwargs):
        return self.download_response()


class PublicPdfView(_PdfMixin, View):
    """A published plan's or report's PDF: the stored file of its current version (made
    ahead when it was published), or, while it is being made, a page that says so (the
    request asks the worker to make it if nobody has)."""

    access = Access.PUBLIC
    public = True

    def get(self, request, *args, **kwargs):
        language = translation.get_language()
        status = pdfs.status(self.kind, self.get_object(), language)
        if status.state == pdfs.READY:
            return self.download_response()
        if not status.in_flight:
            pdfs.request_pdf(self.kind, self.get_object(), language)
        return render(request, "planning/public_pdf_wait.html",
                      {"association": self.association, "object": self.get_object(),
                       "page_access": self.access})  # fmt: skip


class PartUpdateView(_FormPage):
    """Edit a row of a draft plan (the service refuses once the plan has left draft)."""

    def get_plan(self):
        return _get(queries.plans(self.association).filter(pk=self.kwargs["pk"]))

    def get_instance(self):
        model = services.EDIT_MODELS.get(self.kwargs["kind"])
        if model is None:
            raise Http404
        self.plan = self.get_plan()
        return _get(model.objects.filter(plan=self.plan, pk=self.kwargs["part"]))

    def get_form_class(self):
        form_class = forms.PLAN_EDIT_FORMS.get(self.kwargs["kind"])
        if form_class is None:
            raise Http404
        return form_class

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kwargs["kind"] in {"activity", "indicator"}:
            kwargs["plan"] = self.plan
        return kwargs

    def update(self, instance, version, data):
        return services.update_part(
            part=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "plan", pk=self.kwargs["pk"])

    def page_title(self):
        return f"{_('Change')}: {self.instance}"

    def back_url(self):
        return _url(self.association, "plan", pk=self.kwargs["pk"])


class DirectionPartUpdateView(_FormPage):
    """Edit a goal area, goal, strategy or SDG link while the direction is not locked."""

    def get_instance(self):
        model = services.DIRECTION_MODELS.get(self.kwargs["kind"])
        if model is None:
            raise Http404
        self.direction = _get(queries.directions(self.association).filter(pk=self.kwargs["pk"]))
        return _get(model.objects.filter(direction=self.direction, pk=self.kwargs["part"]))

    def get_form_class(self):
        form_class = forms.DIRECTION_EDIT_FORMS.get(self.kwargs["kind"])
        if form_class is None:
            raise Http404
        return form_class

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kwargs["kind"] == "goal":
            kwargs["direction"] = self.direction
        return kwargs

    def update(self, instance, version, data):
        return services.update_direction_part(
            part=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "direction", pk=self.kwargs["pk"])

    def page_title(self):
        return f"{_('Change')}: {self.instance}"

    def back_url(self):
        return _url(self.association, "direction", pk=self.kwargs["pk"])


class _PartDeleteView(TenantMixin, View):
    """Remove one part of a plan or a direction while it is not locked. The part is looked
    up under its parent, so a part of another plan (or association) is a 404."""

    access = Access.EDITOR
    http_method_names = ["post"]
    parent: str  # "plan" or "direction": the parent's field on the part and its page

    def parents(self):
        raise NotImplementedError

    def post(self, request, association, pk):
        parent = _get(self.parents().filter(pk=pk))
        form = self.form_class(request.POST)
        target = _url(self.association, self.parent, pk=parent.pk)
        if not form.is_valid():
            messages.error(request, _("Nothing was removed."))
            return redirect(target)
        model = self.part_models[form.cleaned_data["kind"]]
        part = _get(model.objects.filter(**{self.parent: parent}, pk=form.cleaned_data["part"]))
        try:
            self.delete(part=part, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(target)
        messages.success(request, _("Removed."))
        return redirect(target)


class DirectionPartDeleteView(_PartDeleteView):
    """A goal area, goal, strategy or SDG link of a direction."""

    parent = "direction"
    form_class = forms.DirectionPartDeleteForm
    part_models = services.DIRECTION_MODELS
    delete = staticmethod(services.delete_direction_part)

    def parents(self):
        return queries.directions(self.association)


class PartDeleteView(_PartDeleteView):
    """An activity, promise, challenge or indicator of a draft plan."""

    parent = "plan"
    form_class = forms.PartDeleteForm
    part_models = services.PART_MODELS
    delete = staticmethod(services.delete_part)

    def parents(self):
        return queries.plans(self.association)
