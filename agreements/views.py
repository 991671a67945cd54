from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from agreements import queries, services
from agreements.forms import (
    AgreementForm,
    BudgetForm,
    DocumentForm,
    FollowUpForm,
    FollowUpPlanForm,
    FundingForm,
    OrganisationForm,
    OutcomeForm,
    ProjectForm,
    SignatoryForm,
    TerminationForm,
    VersionForm,
    validation_error_on,
)
from agreements.models import AgreementDocument, FundingSource
from association.documents import add_version, document_response, set_document_public
from association.mixins import ServiceFormView, TenantMixin
from association.models import DocumentVersion
from association.permissions import Access, may_edit


def _url(association, name: str, **kwargs) -> str:
    return reverse(f"agreements:{name}", kwargs={"association": association.slug, **kwargs})


def _decorate(agreement, today):
    agreement.today_dates = agreement.dates(today)
    return agreement


# --- public -------------------------------------------------------------------------------


class PublicListView(TenantMixin, TemplateView):
    """The agreements the association publishes."""

    access = Access.PUBLIC
    template_name = "agreements/public_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["agreements"] = [
            _decorate(a, today) for a in queries.published_agreements(self.association)
        ]
        return context


class PublicDetailView(TenantMixin, TemplateView):
    access = Access.PUBLIC
    template_name = "agreements/public_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = queries.published_agreements(self.association).filter(pk=self.kwargs["pk"])
        agreement = agreement.prefetch_related(
            Prefetch(
                "documents",
                queryset=AgreementDocument.objects.filter(document__is_public=True).select_related(
                    "document__current_version"
                ),
                to_attr="public_documents",
            )
        ).first()
        if agreement is None:
            raise Http404
        context["agreement"] = _decorate(agreement, timezone.localdate())
        return context


class PublicDocumentView(TenantMixin, View):
    """A public document of a published agreement."""

    access = Access.PUBLIC

    def get(self, request, association, pk, document):
        agreement = get_object_or_404(queries.published_agreements(self.association), pk=pk)
        link = get_object_or_404(queries.public_documents(agreement), document_id=document)
        version = link.document.current_version
        if version is None:
            raise Http404
        version.document = link.document
        return document_response(version)


# --- staff: agreements --------------------------------------------------------------------


class AgreementListView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "agreements/agreement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["agreements"] = [_decorate(a, today) for a in queries.agreements(self.association)]
        return context


class AgreementDetailView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = queries.agreement(self.association, self.kwargs["pk"]).first()
        if agreement is None:
            raise Http404
        today = timezone.localdate()
        follow_ups = list(agreement.follow_ups.all())
        for follow_up in follow_ups:
            if follow_up.body_id:
                follow_up.planning_url = reverse(
                    "meetings:planning",
                    kwargs={
                        "association": self.association.slug,
                        "body": follow_up.body.slug,
                        "year": follow_up.due_on.year,
                    },
                )
        responsible = (
            queries.staff_names(self.association).get(agreement.responsible_id)
            if agreement.responsible_id
            else None
        )
        context.update(
            responsible=responsible,
            agreement=_decorate(agreement, today),
            follow_ups=follow_ups,
            entries=queries.agreement_history(agreement)[:200],
            may_edit=may_edit(self.request),
            today=today,
        )
        return context


class DocumentDownloadView(TenantMixin, View):
    """Any document of an agreement, any version, for staff."""

    access = Access.STAFF

    def get(self, request, association, pk, document, number=None):
        link = get_object_or_404(
            AgreementDocument.objects.select_related("document__current_version"),
            agreement_id=pk,
            document_id=document,
        )
        if number is None:
            version = link.document.current_version
            if version is None:
                raise Http404
        else:
            version = get_object_or_404(
                DocumentVersion.objects.all(), document=link.document, number=number
            )
        version.document = link.document
        return document_response(version)


class _AgreementFormView(ServiceFormView):
    template_name = "agreements/form.html"
    form_class = AgreementForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def form_data(self, form):
        return {name: form.cleaned_data[name] for name in form.Meta.fields}

    def create(self, data):
        return services.create_agreement(
            association=self.association, actor=self.request.user, **data
        )

    def update(self, instance, version, data):
        return services.update_agreement(
            agreement=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "detail", pk=obj.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form: sets self.instance
        context["title"] = _("Change the agreement") if self.instance else _("New agreement")
        context["back_url"] = (
            _url(self.association, "detail", pk=self.instance.pk)
            if self.instance
            else _url(self.association, "staff_list")
        )
        return context


class AgreementCreateView(_AgreementFormView):
    pass


class AgreementUpdateView(_AgreementFormView):
    def get_instance(self):
        agreement = queries.agreements(self.association).filter(pk=self.kwargs["pk"]).first()
        if agreement is None:
            raise Http404
        return agreement


class _AgreementChildView(TenantMixin, FormView):
    """A form about one agreement (editors)."""

    access = Access.EDITOR
    template_name = "agreements/form.html"
    title = ""

    def get_agreement(self):
        if not hasattr(self, "_agreement"):
            self._agreement = get_object_or_404(
                queries.agreements(self.association), pk=self.kwargs["pk"]
            )
        return self._agreement

    def get_form_kwargs(self):
        self.get_agreement()
        return super().get_form_kwargs()

    def detail_url(self):
        return _url(self.association, "detail", pk=self.get_agreement().pk)

    def act(self, data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except ValidationError as error:
            validation_error_on(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.detail_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title % {"title": self.get_agreement().title},
            back_url=self.detail_url(),
            agreement=self.get_agreement(),
            **kwargs,
        )


class TerminateView(_AgreementChildView):
    form_class = TerminationForm
    title = _("Record notice of termination: %(title)s")

    def act(self, data):
        services.terminate(agreement=self.get_agreement(), actor=self.request.user, **data)


class SignatoryAddView(_AgreementChildView):
    form_class = SignatoryForm
    title = _("Add a signatory: %(title)s")

    def act(self, data):
        services.add_signatory(agreement=self.get_agreement(), actor=self.request.user, **data)


class DocumentAddView(_AgreementChildView):
    form_class = DocumentForm
    title = _("Add a signed document: %(title)s")

    def act(self, data):
        services.attach_document(
            agreement=self.get_agreement(), actor=self.request.user, upload=data["file"],
            title=data["title"], is_public=data["is_public"],
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        return super().get_context_data(multipart=True, **kwargs)


class DocumentVersionView(_AgreementChildView):
    form_class = VersionForm
    title = _("New version of a document: %(title)s")

    def link(self):
        return get_object_or_404(
            AgreementDocument.objects.select_related("document"),
            agreement=self.get_agreement(),
            document_id=self.kwargs["document"],
        )

    def act(self, data):
        add_version(
            document=self.link().document, actor=self.request.user, upload=data["file"],
            note=data["note"],
        )  # fmt: skip

    def get_context_data(self, **kwargs):
        self.link()
        return super().get_context_data(multipart=True, **kwargs)


class DocumentPublicView(TenantMixin, View):
    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, association, pk, document):
        link = get_object_or_404(
            AgreementDocument.objects.select_related("document"),
            agreement_id=pk,
            document_id=document,
        )
        public = request.POST.get("is_public") == "1"
        set_document_public(document=link.document, actor=request.user, is_public=public)
        messages.success(
            request,
            _("The document is public.") if public else _("The document is no longer public."),
        )
        return redirect(_url(self.association, "detail", pk=pk))


class FollowUpAddView(_AgreementChildView):
    form_class = FollowUpForm
    title = _("Add a follow-up occasion: %(title)s")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def act(self, data):
        services.add_follow_up(agreement=self.get_agreement(), actor=self.request.user, **data)


class FollowUpPlanView(_AgreementChildView):
    form_class = FollowUpPlanForm
    title = _("Plan follow-up occasions: %(title)s")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def act(self, data):
        services.generate_follow_ups(
            agreement=self.get_agreement(), actor=self.request.user, **data
        )


class OutcomeView(ServiceFormView):
    template_name = "agreements/form.html"
    form_class = OutcomeForm

    def get_instance(self):
        follow_up = queries.follow_up(self.association, self.kwargs["pk"]).first()
        if follow_up is None:
            raise Http404
        return follow_up

    def update(self, instance, version, data):
        return services.record_outcome(
            follow_up=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "detail", pk=obj.agreement_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Outcome of %(occasion)s") % {"occasion": self.instance}
        context["back_url"] = _url(self.association, "detail", pk=self.instance.agreement_id)
        return context


# --- staff: outside organisations ---------------------------------------------------------


class OrganisationListView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "agreements/organisation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisations"] = queries.organisations(self.association)
        return context


class _OrganisationFormView(ServiceFormView):
    template_name = "agreements/form.html"
    form_class = OrganisationForm

    def create(self, data):
        return services.create_organisation(
            association=self.association, actor=self.request.user, **data
        )

    def update(self, instance, version, data):
        return services.update_organisation(
            organisation=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "organisations")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = (
            _("Change the organisation") if self.instance else _("New outside organisation")
        )
        context["back_url"] = _url(self.association, "organisations")
        return context


class OrganisationCreateView(_OrganisationFormView):
    pass


class OrganisationUpdateView(_OrganisationFormView):
    def get_instance(self):
        organisation = queries.organisation(self.association, self.kwargs["pk"]).first()
        if organisation is None:
            raise Http404
        return organisation


# --- staff: projects ----------------------------------------------------------------------


SOURCES = FundingSource.choices


def _project_rows(project):
    project.years = queries.funding_by_year(project)
    for sums in project.years:
        sums.source_amounts = [(label, sums.by_source.get(key, 0)) for key, label in SOURCES]
    project.underfunded = any(not sums.covered for sums in project.years)
    return project


class ProjectListView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "agreements/project_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["projects"] = [_project_rows(p) for p in queries.projects(self.association)]
        return context


class ProjectDetailView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "agreements/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = queries.project(self.association, self.kwargs["pk"]).first()
        if project is None:
            raise Http404
        context.update(
            project=_project_rows(project),
            sources=[label for _key, label in SOURCES],
            may_edit=may_edit(self.request),
        )
        return context


class _ProjectFormView(ServiceFormView):
    template_name = "agreements/form.html"
    form_class = ProjectForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def form_data(self, form):
        return {name: form.cleaned_data[name] for name in form.Meta.fields}

    def create(self, data):
        return services.create_project(
            association=self.association, actor=self.request.user, **data
        )

    def update(self, instance, version, data):
        return services.update_project(
            project=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return _url(self.association, "project_detail", pk=obj.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Change the project") if self.instance else _("New project")
        context["back_url"] = _url(self.association, "projects")
        return context


class ProjectCreateView(_ProjectFormView):
    pass


class ProjectUpdateView(_ProjectFormView):
    def get_instance(self):
        project = queries.projects(self.association).filter(pk=self.kwargs["pk"]).first()
        if project is None:
            raise Http404
        return project


class _ProjectChildView(TenantMixin, FormView):
    access = Access.EDITOR
    template_name = "agreements/form.html"
    title = ""

    def get_project(self):
        if not hasattr(self, "_project"):
            self._project = get_object_or_404(
                queries.projects(self.association), pk=self.kwargs["pk"]
            )
        return self._project

    def detail_url(self):
        return _url(self.association, "project_detail", pk=self.get_project().pk)

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except ValidationError as error:
            validation_error_on(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.detail_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title % {"name": self.get_project().name},
            back_url=self.detail_url(),
            **kwargs,
        )


class BudgetView(_ProjectChildView):
    form_class = BudgetForm
    title = _("Budget of %(name)s for a year")

    def act(self, data):
        services.set_budget(project=self.get_project(), actor=self.request.user, **data)


class FundingAddView(_ProjectChildView):
    form_class = FundingForm
    title = _("Add funding: %(name)s")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def act(self, data):
        services.add_funding(project=self.get_project(), actor=self.request.user, **data)


class FundingDeleteView(TenantMixin, View):
    access = Access.EDITOR
    http_method_names = ["post"]

    def post(self, request, association, pk, funding):
        row = get_object_or_404(queries.funding(self.association, funding), project_id=pk)
        services.delete_funding(funding=row, actor=request.user)
        messages.success(request, _("The funding row is removed."))
        return redirect(_url(self.association, "project_detail", pk=pk))
