import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from association.mixins import AccessMixin, ServiceFormView, TenantMixin
from association.permissions import Access, may_view_internal
from members import charts, exports, queries, services
from members.forms import (
    AdoptionForm,
    FeeRuleForm,
    FigureCorrectionForm,
    FigureImportForm,
    MembershipForm,
    YearForm,
)
from members.models import FigureKind

# How many fee years the "total over the years" chart shows at most.
MAX_CHART_YEARS = 12


def _data_key(association, *parts) -> str:
    """What a computed value of this association depends on: its rows and the shared
    figures (their versions, association/pagecache.py), the language and the day."""
    from django.utils.translation import get_language

    from association.pagecache import association_token

    return ":".join(
        str(part)
        for part in (
            association.pk,
            association_token(association),  # read before computing: a change wins
            get_language(),
            timezone.localdate().isoformat(),
            *parts,
        )
    )


def cached_fee_schedules(association, years: list[int]) -> dict:
    """``services.fee_schedules``, computed once per change of the association's rows or
    the shared figures (version keys, association/pagecache.py), not once per request.
    The language is part of the key: the explanations of missing figures are translated."""
    from django.core.cache import cache

    years = sorted(set(years))
    key = "members:fee-schedules:" + _data_key(association, ",".join(map(str, years)))
    schedules = cache.get(key)
    if schedules is None:
        schedules = services.fee_schedules(association=association, years=years)
        cache.set(key, schedules, 60 * 60)
    return schedules


def _lazy(compute):
    """Context values computed on first use, all at once: a page the template takes from
    its fragment cache never computes them."""
    from django.utils.functional import SimpleLazyObject

    once = functools.cache(compute)
    return lambda name: SimpleLazyObject(lambda: once()[name])


def _year(request) -> int:
    return YearForm(request.GET).year_or_default()


class MemberListView(TenantMixin, TemplateView):
    """Public: the year's members with population and fee; staff also see dates and contacts."""

    access = Access.PUBLIC
    template_name = "members/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)

        def compute():
            schedule = cached_fee_schedules(self.association, [year])[year]
            return {
                "schedule": schedule,
                "population_chart": charts.horizontal_bars(
                    [
                        (row.municipality.name, row.population and row.population.population)
                        for row in schedule.rows
                    ]
                ),
                "fee_chart": charts.horizontal_bars(
                    [(row.municipality.name, row.fee) for row in schedule.rows]
                ),
            }

        computed = _lazy(compute)
        context.update(
            year=year,
            year_form=YearForm(initial={"year": year}),
            # The template keeps the table and the charts in its fragment cache under this key.
            chart_cache_key=_data_key(self.association, "member-list", year),
            schedule=computed("schedule"),
            population_chart=computed("population_chart"),
            fee_chart=computed("fee_chart"),
        )
        if may_view_internal(self.request):
            context["all_memberships"] = queries.memberships(self.association)
        return context


class MembershipDetailView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "members/membership_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = queries.membership(self.association, self.kwargs["pk"]).first()
        if membership is None:
            raise Http404
        this_year = timezone.localdate().year
        last = min(membership.left_on.year if membership.left_on else this_year + 1, this_year + 1)
        years = list(range(max(membership.joined_on.year, last - 7), last + 1))
        schedules = services.fee_schedules(association=self.association, years=years)
        context.update(
            membership=membership,
            yearly=[
                (
                    year,
                    next(
                        (r for r in schedules[year].rows if r.membership.pk == membership.pk), None
                    ),
                    schedules[year].is_adopted,
                )
                for year in reversed(years)
            ],
            changes=queries.figure_history(membership.municipality_id)[:30],
        )
        return context


class _VersionedFormView(ServiceFormView):
    """Members' create and edit pages (editors)."""


class MembershipCreateView(_VersionedFormView):
    template_name = "members/membership_form.html"
    form_class = MembershipForm

    def create(self, data):
        return services.create_membership(
            association=self.association, actor=self.request.user, **data
        )

    def success_url_for(self, obj):
        return reverse(
            "members:detail", kwargs={"association": self.association.slug, "pk": obj.pk}
        )


class MembershipUpdateView(_VersionedFormView):
    template_name = "members/membership_form.html"
    form_class = MembershipForm

    def get_instance(self):
        membership = queries.membership(self.association, self.kwargs["pk"]).first()
        if membership is None:
            raise Http404
        return membership

    def update(self, instance, version, data):
        data.pop("municipality", None)
        return services.update_membership(
            membership=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return reverse(
            "members:detail", kwargs={"association": self.association.slug, "pk": obj.pk}
        )


class FeeRuleListView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "members/fee_rule_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = queries.fee_rules(self.association)
        return context


class FeeRuleCreateView(_VersionedFormView):
    template_name = "members/fee_rule_form.html"
    form_class = FeeRuleForm

    def create(self, data):
        return services.create_fee_rule(
            association=self.association, actor=self.request.user, **data
        )

    def success_url_for(self, obj):
        return reverse("members:fee_rules", kwargs={"association": self.association.slug})


class FeeRuleUpdateView(_VersionedFormView):
    template_name = "members/fee_rule_form.html"
    form_class = FeeRuleForm

    def get_instance(self):
        rule = queries.fee_rule(self.association, self.kwargs["pk"]).first()
        if rule is None:
            raise Http404
        return rule

    def update(self, instance, version, data):
        return services.update_fee_rule(
            rule=instance, actor=self.request.user, expected_version=version, data=data
        )

    def success_url_for(self, obj):
        return reverse("members:fee_rules", kwargs={"association": self.association.slug})


class FeeScheduleView(TenantMixin, TemplateView):
    access = Access.STAFF
    template_name = "members/fee_schedule.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)

        def compute():
            # The chart's years follow the fee rules, which are the association's rows: the
            # cache key's versions cover them.
            years = _chart_years(queries.fee_rule_periods(self.association), year)
            schedules = cached_fee_schedules(self.association, years)
            schedule = schedules[year]
            return {
                "schedule": schedule,
                "totals": [(y, schedules[y]) for y in years],
                "totals_chart": charts.horizontal_bars(
                    [(str(y), schedules[y].total if schedules[y].rule else None) for y in years]
                ),
                "fee_chart": charts.horizontal_bars(
                    [(row.municipality.name, row.fee) for row in schedule.rows]
                ),
            }

        computed = _lazy(compute)
        context.update(
            adoptions_of_year=queries.adoptions(self.association).filter(year=year),
            year=year,
            year_form=YearForm(initial={"year": year}),
            chart_cache_key=_data_key(self.association, "fee-schedule", year),
            schedule=computed("schedule"),
            totals=computed("totals"),
            totals_chart=computed("totals_chart"),
            fee_chart=computed("fee_chart"),
        )
        return context


def _chart_years(periods, year: int) -> list[int]:
    first = min([first for first, _last in periods] + [year])
    last = max([last or year for _first, last in periods] + [year])
    first = max(first, last - MAX_CHART_YEARS + 1)
    years = set(range(first, last + 1)) | {year}
    return sorted(years)


class FeeScheduleExportView(TenantMixin, TemplateView):
    access = Access.STAFF
    format = "csv"

    def get(self, request, *args, **kwargs):
        year = self.kwargs["year"]
        if not 1990 <= year <= 2200:
            raise Http404
        schedule = cached_fee_schedules(self.association, [year])[year]
        name = f"{self.association.slug}-medlemsavgifter-{year}"
        if self.format == "xlsx":
            return exports.xlsx_response(schedule, self.association, f"{name}.xlsx")
        return exports.csv_response(schedule, self.association, f"{name}.csv")


class NationalFiguresView(TenantMixin, TemplateView):
    """Staff: the national figures the association uses (read-only) and its corrections."""

    access = Access.STAFF
    template_name = "members/figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        years = list(range(this_year - 4, this_year + 1))
        populations = queries.member_population_figures(self.association, years)
        by_municipality: dict[int, dict] = {}
        for figure in populations:
            entry = by_municipality.setdefault(
                figure.municipality_id, {"municipality": figure.municipality, "years": {}}
            )
            entry["years"][figure.year] = figure
        context.update(
            years=years,
            population_rows=[
                (entry["municipality"], [entry["years"].get(year) for year in years])
                for entry in by_municipality.values()
            ],
            national_figures=queries.national_figures_all(),
            corrections=queries.corrections(self.association),
        )
        return context


class CorrectionCreateView(_VersionedFormView):
    template_name = "members/correction_form.html"
    form_class = FigureCorrectionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "association": self.association}

    def create(self, data):
        return services.create_correction(
            association=self.association, actor=self.request.user, **data
        )

    def success_url_for(self, obj):
        return reverse("members:figures", kwargs={"association": self.association.slug})


class CorrectionUpdateView(CorrectionCreateView):
    def get_instance(self):
        correction = queries.correction(self.association, self.kwargs["pk"]).first()
        if correction is None:
            raise Http404
        return correction

    def update(self, instance, version, data):
        data.pop("municipality", None)
        return services.update_correction(
            correction=instance, actor=self.request.user, expected_version=version, data=data
        )


class CorrectionDeleteView(TenantMixin, TemplateView):
    access = Access.EDITOR
    template_name = "members/correction_delete.html"

    def get_correction(self):
        correction = queries.correction(self.association, self.kwargs["pk"]).first()
        if correction is None:
            raise Http404
        return correction

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["correction"] = self.get_correction()
        return context

    def post(self, request, *args, **kwargs):
        services.delete_correction(correction=self.get_correction(), actor=request.user)
        messages.success(request, _("The correction was removed; the national figure applies."))
        return redirect("members:figures", association=self.association.slug)


class AdoptFeeScheduleView(TenantMixin, FormView):
    """Administrators record the assembly's adoption of a year's fee schedule (frozen)."""

    access = Access.ADMINISTRATOR
    template_name = "members/adopt.html"
    form_class = AdoptionForm

    def dispatch(self, request, *args, **kwargs):
        if not 1990 <= self.kwargs["year"] <= 2200:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.current = queries.current_adoption(self.association, self.kwargs["year"])
        kwargs["superseding"] = self.current is not None
        kwargs["initial"] = {"current": self.current.pk if self.current else None}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        context.update(
            year=year,
            current=self.current,
            schedule=services.fee_schedule(association=self.association, year=year, adopted=False),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.adopt_fee_schedule(
                association=self.association, actor=self.request.user, year=self.kwargs["year"],
                decision_reference=data["decision_reference"], decided_on=data["decided_on"],
                reason=data.get("reason") or "", expected_current=data.get("current"),
            )  # fmt: skip
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The fee schedule was adopted and is now frozen."))
        return redirect(
            reverse("members:fees", kwargs={"association": self.association.slug})
            + f"?year={self.kwargs['year']}"
        )


class AdoptedFeeScheduleView(TenantMixin, TemplateView):
    """Staff: one adopted schedule as adopted, also after it was superseded."""

    access = Access.STAFF
    template_name = "members/adoption_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        adoption = queries.adoption(self.association, self.kwargs["pk"]).first()
        if adoption is None:
            raise Http404
        schedule = services.adopted_schedule_of(adoption)
        context.update(adoption=adoption, schedule=schedule, year=adoption.year)
        return context


class RegisterView(TenantMixin, TemplateView):
    """The national register, read-only: 21 counties and 290 municipalities."""

    access = Access.PUBLIC
    template_name = "members/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipalities"] = queries.municipalities()
        context["counties"] = queries.counties()
        return context


# --- platform: national figures ------------------------------------------------------------


class PlatformFigureImportView(AccessMixin, FormView):
    """Platform admins import SCB's national figures (platform reference data)."""

    access = Access.PLATFORM_ADMIN
    template_name = "members/platform_figure_import.html"
    form_class = FigureImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["bad_rows"] = form.parsed.errors if form.parsed else []
        context["imports"] = queries.recent_imports()
        context["national_figures"] = queries.national_figures_all()
        context["changes"] = queries.figure_history()[:50]
        return context

    def form_valid(self, form):
        figure_import = services.stage_figure_import(
            actor=self.request.user, kind=form.cleaned_data["kind"],
            file_name=form.cleaned_data["file"].name, source=form.cleaned_data["source"],
            rows=form.parsed.rows,
        )  # fmt: skip
        return redirect("national_figures:import_preview", pk=figure_import.pk)


class PlatformFigureImportPreviewView(AccessMixin, TemplateView):
    access = Access.PLATFORM_ADMIN
    template_name = "members/platform_figure_import_preview.html"

    def get_import(self):
        figure_import = queries.figure_import(self.kwargs["pk"]).first()
        if figure_import is None:
            raise Http404
        return figure_import

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figure_import = self.get_import()
        preview = queries.import_preview(figure_import)
        context.update(
            figure_import=figure_import,
            preview=preview,
            counts={
                status: sum(1 for row in preview if row["status"] == status)
                for status in ("new", "changed", "unchanged")
            },
            is_population=figure_import.kind == FigureKind.POPULATION,
        )
        return context

    def post(self, request, *args, **kwargs):
        figure_import = self.get_import()
        try:
            if request.POST.get("action") == "confirm":
                counts = services.apply_figure_import(
                    figure_import=figure_import, actor=request.user
                )
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(changed)s changed, %(unchanged)s unchanged.")
                    % counts,
                )
            else:
                services.discard_figure_import(figure_import=figure_import, actor=request.user)
                messages.success(request, _("The import was discarded; nothing changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("national_figures:import")
