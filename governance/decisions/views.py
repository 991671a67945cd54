"""Decision pages: the register, recommendations and per capsulam proposals. Every view
declares ``access``; which decisions one sees is the filter ``queries.visible_decisions``
(a decision one may not see is a 404, like one of another association)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from association.forms import add_validation_error
from association.mixins import TenantMixin
from association.permissions import Access, may_edit
from association.services import ConcurrentEditError
from association.spreadsheets import csv_response, xlsx_response
from governance import queries as governance_queries
from governance.decisions import permissions, queries, services
from governance.decisions.forms import (
    AnswerForm,
    ProposalForm,
    RegisterForm,
    RuleForm,
    response_formset,
)
from governance.decisions.models import ProposalStatus

PAGE_SIZE = 25


def minutes_url_name() -> str:
    """The minutes page once the meetings app has one, else the meeting's page."""
    try:
        reverse("meetings:minutes", kwargs={"association": "x", "pk": 1})
    except NoReverseMatch:
        return "meetings:detail"
    return "meetings:minutes"


class _DecisionsMixin(TenantMixin):
    def visible(self):
        return queries.visible_decisions(
            self.association,
            internal=permissions.internal(self.request),
            bodies=permissions.visible_bodies(self.request),
        )

    def link_minutes(self, decisions) -> None:
        name = minutes_url_name()
        for row in decisions:
            row.minutes_url = reverse(
                name, kwargs={"association": self.association.slug, "pk": row.item.meeting_id}
            )


# --- the register -------------------------------------------------------------------------


class _RegisterMixin(_DecisionsMixin):
    def search(self):
        visible = self.visible()
        bodies = list(governance_queries.bodies(self.association))
        form = RegisterForm(
            self.request.GET or None, years=queries.register_years(visible), bodies=bodies
        )
        filters = {}
        if form.is_bound:
            form.is_valid()
            data = getattr(form, "cleaned_data", {})
            by_slug = {body.slug: body for body in bodies}
            filters = {
                "words": (data.get("q") or "").strip(),
                "year": data.get("year"),
                "body": by_slug.get(data.get("body") or ""),
            }
        return form, queries.register(visible, **filters)


class RegisterView(_RegisterMixin, TemplateView):
    """Every decision one may see, by year, body and word; 25 a page."""

    access = Access.PUBLIC
    template_name = "decisions/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, rows = self.search()
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("sida"))
        self.link_minutes(page.object_list)
        query = self.request.GET.copy()
        query.pop("sida", None)
        context.update(
            form=form,
            page=page,
            query=query.urlencode(),
            internal=permissions.internal(self.request),
        )
        return context


class RegisterExportView(_RegisterMixin, View):
    access = Access.STAFF
    format = "csv"

    def get(self, request, *args, **kwargs):
        _form, rows = self.search()
        header = [
            _("Body"), _("Meeting"), _("§"), _("Matter"), _("Decision"), _("Public"),
            _("Adjusted"), _("Recommendation"), _("Per capsulam"),
        ]  # fmt: skip
        data = [
            [
                row.item.meeting.body.name,
                timezone.localtime(row.item.meeting.starts_at).date(),
                row.item.number,
                row.item.title,
                row.text,
                _("yes") if row.is_public and row.item.is_public else _("no"),
                _("yes") if row.is_locked else _("no"),
                _("yes") if row.is_recommendation else _("no"),
                _("yes") if hasattr(row.item, "per_capsulam") else _("no"),
            ]
            for row in rows
        ]
        title = [self.association.name, _("Decision register"), timezone.localdate().isoformat()]
        name = f"{self.association.slug}-beslut"
        if self.format == "xlsx":
            return xlsx_response(filename=f"{name}.xlsx", header=header, rows=data, title=title,
                                 sheet_title=_("Decisions"))  # fmt: skip
        return csv_response(filename=f"{name}.csv", header=header, rows=data, title=title)


# --- recommendations ----------------------------------------------------------------------


class RecommendationListView(_DecisionsMixin, TemplateView):
    """Recommendations some member has not settled yet (``?alla=1``: every one)."""

    access = Access.PUBLIC
    template_name = "decisions/recommendations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        every = self.request.GET.get("alla") == "1"
        rows = queries.recommendations(self.visible(), open_only=not every)
        self.link_minutes(rows)
        context.update(recommendations=rows, every=every)
        return context


class _RecommendationMixin(_DecisionsMixin):
    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "association", None) is None:
            raise Http404
        self.decision = get_object_or_404(
            self.visible().filter(pk=kwargs["pk"], is_recommendation=True)
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["decision"] = self.decision
        self.link_minutes([self.decision])
        return super().get_context_data(**kwargs)


class RecommendationView(_RecommendationMixin, TemplateView):
    """The recommendation's status across the members: counts and per municipality."""

    access = Access.PUBLIC
    template_name = "decisions/recommendation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            status=queries.recommendation_status(self.decision), may_edit=may_edit(self.request)
        )
        return context


class RecommendationUpdateView(_RecommendationMixin, TemplateView):
    """Every member's answer on one page; only the rows the editor changed are saved, and a
    row someone else saved meanwhile is refused with the current values shown."""

    access = Access.EDITOR
    template_name = "decisions/recommendation_form.html"

    def formset(self, status, data=None):
        initial = [
            {
                "municipality": row.municipality.pk,
                "version": row.response.version if row.response else 0,
                "outcome": row.response.outcome if row.response else "",
                "decided_on": row.response.decided_on if row.response else None,
                "decision_url": row.response.decision_url if row.response else "",
                "note": row.response.note if row.response else "",
            }
            for row in status.rows
        ]
        formset_class = response_formset(len(status.rows))
        return formset_class(
            data, initial=initial, prefix="svar", day=queries.meeting_day(self.decision)
        )

    def render_form(self, status, formset, conflicts=None):
        names = {row.municipality.pk: row.municipality.name for row in status.rows}
        current = {row.municipality.pk: row.response for row in status.rows}
        for index, form in enumerate(formset.forms):
            value = form.data.get(form.add_prefix("municipality")) if form.is_bound else None
            try:
                municipality = int(value) if value is not None else form.initial["municipality"]
            except (TypeError, ValueError, KeyError):
                municipality = None
            form.municipality_name = names.get(municipality, "?")
            form.conflict = current.get(municipality) if municipality in (conflicts or ()) else None
            form.row_number = index + 1
        return self.render_to_response(
            self.get_context_data(status=status, formset=formset, conflicts=bool(conflicts))
        )

    def get(self, request, *args, **kwargs):
        status = queries.recommendation_status(self.decision)
        return self.render_form(status, self.formset(status))

    def post(self, request, *args, **kwargs):
        status = queries.recommendation_status(self.decision)
        formset = self.formset(status, request.POST)
        if not formset.is_valid():
            return self.render_form(status, formset)
        rows = [
            {**form.cleaned_data, "municipality_id": form.cleaned_data["municipality"]}
            for form in formset.forms
            if form.changed_fields
        ]
        try:
            services.record_responses(decision=self.decision, actor=request.user, rows=rows)
        except services.ResponsesConflict as error:
            return self.conflict(formset, error.municipality_ids)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages, error_class="nonform")
            return self.render_form(status, formset)
        messages.success(request, _("The member municipalities' answers are saved."))
        return redirect(
            "decisions:recommendation", association=self.association.slug, pk=self.decision.pk
        )

    def conflict(self, formset, municipality_ids):
        """The typed values stay; the conflicting rows take the current version and show the
        current values, so saving again (after reading them) is a deliberate choice."""
        status = queries.recommendation_status(self.decision)
        current = {row.municipality.pk: row.response for row in status.rows}
        data = formset.data.copy()
        for form in formset.forms:
            municipality = form.cleaned_data.get("municipality")
            if municipality in municipality_ids:
                response = current.get(municipality)
                data[form.add_prefix("version")] = response.version if response else 0
                for name in ("outcome", "decided_on", "decision_url", "note"):
                    value = getattr(response, name) if response else ""
                    data[form.add_initial_prefix(name)] = "" if value is None else value
        fresh = self.formset(status, data)
        fresh.is_valid()
        fresh._non_form_errors = fresh.error_class(
            [str(ConcurrentEditError.message)], error_class="nonform"
        )
        return self.render_form(status, fresh, conflicts=municipality_ids)


# --- per capsulam -------------------------------------------------------------------------


class ProposalListView(TenantMixin, TemplateView):
    """The proposals of the bodies one sits in (staff: all), the bodies where one may
    circulate one, and (staff) the passed proposals awaiting a meeting."""

    access = Access.BODY_MEMBER
    template_name = "decisions/proposals.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.close_due(association=self.association)
        internal = permissions.internal(self.request)
        seated = permissions.visible_bodies(self.request)
        editor = may_edit(self.request)
        bodies = list(governance_queries.bodies(self.association))
        chaired = services.chaired_bodies(self.association, self.request.user)
        context.update(
            proposals=list(
                queries.proposals(self.association, internal=internal, bodies=seated)[:200]
            ),
            circulate_in=[b for b in bodies if editor or b.pk in chaired],
            awaiting=list(queries.awaiting_meeting(self.association)) if internal else [],
            may_edit=editor,
            settings_bodies=bodies if editor else [],
            now=timezone.now(),
        )
        return context


class _BodyMixin(TenantMixin):
    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "association", None) is None:
            raise Http404
        self.body = get_object_or_404(
            governance_queries.bodies(request.association), slug=kwargs["body"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs["body"] = self.body
        return super().get_context_data(**kwargs)


class ProposalCreateView(_BodyMixin, FormView):
    """The chair circulates a proposal, or a staff editor does on the chair's behalf."""

    access = Access.BODY_MEMBER
    template_name = "decisions/proposal_form.html"
    form_class = ProposalForm

    def has_access(self) -> bool:
        return super().has_access() and permissions.may_circulate(self.request, self.body)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rule"] = queries.rule_of(self.body)
        context["members"] = services.voting_members(self.body, timezone.localdate())
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            proposal = services.circulate(
                body=self.body,
                actor=self.request.user,
                title=data["title"],
                text=data["text"],
                description=data["description"],
                is_public=data["is_public"],
                closes_at=data["closes_at"],
            )
        except ValidationError as error:
            add_validation_error(form, error, field_names={"closes_at": "closes_on"})
            return self.form_invalid(form)
        messages.success(self.request, _("The proposal is circulated to the members."))
        return redirect("decisions:proposal", association=self.association.slug, pk=proposal.pk)


class _ProposalMixin(TenantMixin):
    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "association", None) is None:
            raise Http404
        self.proposal = get_object_or_404(queries.proposal(request.association, kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def has_access(self) -> bool:
        return super().has_access() and permissions.may_see_proposal(self.request, self.proposal)

    def proposal_url(self) -> str:
        return reverse(
            "decisions:proposal",
            kwargs={"association": self.association.slug, "pk": self.proposal.pk},
        )


class ProposalDetailView(_ProposalMixin, TemplateView):
    access = Access.BODY_MEMBER
    template_name = "decisions/proposal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.proposal.is_closed() or self.proposal.status != ProposalStatus.OPEN:
            proposal = self.proposal
        else:
            proposal = services.close(proposal=self.proposal)
            proposal = queries.proposal(self.association, proposal.pk).get()
        answers = queries.answers(proposal)
        user = self.request.user
        mine = next((a for a in answers if a.person.user_id == user.pk), None)
        minutes = None
        if proposal.item_id:
            minutes = reverse(
                minutes_url_name(),
                kwargs={"association": self.association.slug, "pk": proposal.item.meeting_id},
            )
        context.update(
            proposal=proposal,
            answers=answers,
            tally=services.tally(proposal, answers),
            mine=mine,
            closed=proposal.is_closed(),
            may_edit=may_edit(self.request),
            minutes_url=minutes,
        )
        return context


class AnswerView(_ProposalMixin, View):
    access = Access.BODY_MEMBER
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Answer yes or no."))
            return redirect(self.proposal_url())
        person = form.cleaned_data["person"]
        if person is not None and not may_edit(request):
            messages.error(request, _("Only staff record an answer for a member."))
            return redirect(self.proposal_url())
        try:
            services.answer(
                proposal=self.proposal,
                user=request.user,
                yes=form.cleaned_data["answer"] == "yes",
                person_id=person,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if person is None:
                message = _("Your answer is saved; you may change it until closing.")
            else:
                message = _("The member's answer is recorded.")
            messages.success(request, message)
        return redirect(self.proposal_url())


class AttachView(_ProposalMixin, View):
    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            item = services.attach(proposal=self.proposal, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            message = _("The decision is on the agenda of %(meeting)s.")
            messages.success(request, message % {"meeting": item.meeting})
        return redirect(self.proposal_url())


class RuleView(_BodyMixin, FormView):
    """The body's rule for per capsulam proposals (every member, or a majority)."""

    access = Access.EDITOR
    template_name = "decisions/rule_form.html"
    form_class = RuleForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = queries.rule_of(self.body)
        return kwargs

    def form_valid(self, form):
        try:
            services.save_rule(
                body=self.body,
                actor=self.request.user,
                expected_version=form.cleaned_data.get("version") or 0,
                rule=form.cleaned_data["rule"],
            )
        except ConcurrentEditError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("decisions:proposals", association=self.association.slug)
