"""Querysets and sums for the pages, the reminders and the planning work."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, Sum

from agreements.models import (
    Agreement,
    AgreementDocument,
    BudgetYear,
    FollowUp,
    Funding,
    FundingSource,
    OutsideOrganisation,
    Project,
)
from association.models import AuditEntry


def organisations(association) -> QuerySet[OutsideOrganisation]:
    return OutsideOrganisation.objects.filter(association=association)


def organisation(association, pk: int) -> QuerySet[OutsideOrganisation]:
    return organisations(association).filter(pk=pk)


def staff_names(association) -> dict[int, str]:
    """The association's staff by user id, named as the association knows them (never the
    account's own name, which another association may have typed)."""
    from association.models import RoleAssignment

    rows = RoleAssignment.objects.filter(association=association).select_related("user")
    return {
        row.user_id: f"{row.first_name} {row.last_name}".strip() or row.user.email for row in rows
    }


def _with_parties(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return agreements.prefetch_related("municipalities", "organisations")


def agreements(association) -> QuerySet[Agreement]:
    return _with_parties(Agreement.objects.filter(association=association))


def published_agreements(association) -> QuerySet[Agreement]:
    return agreements(association).filter(is_published=True).exclude(signed_on__isnull=True)


def agreement(association, pk: int) -> QuerySet[Agreement]:
    return (
        agreements(association)
        .filter(pk=pk)
        .select_related("responsible")
        .prefetch_related(
            "signatories",
            Prefetch(
                "documents",
                queryset=AgreementDocument.objects.select_related(
                    "document__current_version"
                ).prefetch_related("document__versions"),
            ),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("body")),
        )
    )


def public_documents(agreement: Agreement) -> QuerySet[AgreementDocument]:
    return AgreementDocument.objects.filter(
        agreement=agreement, document__is_public=True
    ).select_related("document__current_version")


def follow_up(association, pk: int) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(association=association, pk=pk).select_related(
        "agreement", "body"
    )


def agreement_history(agreement: Agreement) -> QuerySet[AuditEntry]:
    """Every change to the agreement and its signatories and follow-ups, newest first."""
    signatory_ids = [str(pk) for pk in agreement.signatories.values_list("pk", flat=True)]
    follow_up_ids = [str(pk) for pk in agreement.follow_ups.values_list("pk", flat=True)]
    document_ids = [str(pk) for pk in agreement.documents.values_list("document_id", flat=True)]
    return (
        AuditEntry.objects.filter(association=agreement.association_id)
        .filter(
            Q(object_type="agreements.agreement", object_id=str(agreement.pk))
            | Q(object_type="agreements.signatory", object_id__in=signatory_ids)
            | Q(object_type="agreements.followup", object_id__in=follow_up_ids)
            | Q(object_type="association.document", object_id__in=document_ids)
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


# --- projects -----------------------------------------------------------------------------


def projects(association) -> QuerySet[Project]:
    return (
        Project.objects.filter(association=association)
        .select_related("body")
        .prefetch_related(
            "municipalities",
            "partners",
            "budget_years",
            Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
        )
    )


def project(association, pk: int) -> QuerySet[Project]:
    return projects(association).filter(pk=pk)


def funding(association, pk: int) -> QuerySet[Funding]:
    return Funding.objects.filter(association=association, pk=pk).select_related("project")


@dataclass
class YearSums:
    year: int
    budget: int = 0
    by_source: dict[str, int] = field(default_factory=dict)

    @property
    def funded(self) -> int:
        return sum(self.by_source.values())

    @property
    def shortfall(self) -> int:
        return max(self.budget - self.funded, 0)

    @property
    def covered(self) -> bool:
        return self.funded >= self.budget


def funding_by_year(project: Project) -> list[YearSums]:
    """Per year: the budget, the funding per source and whether it covers the budget (from
    the prefetched rows; no query of its own)."""
    years: dict[int, YearSums] = {}
    for row in project.budget_years.all():
        years.setdefault(row.year, YearSums(row.year)).budget = row.amount
    for row in project.fundings.all():
        sums = years.setdefault(row.year, YearSums(row.year))
        sums.by_source[row.source] = sums.by_source.get(row.source, 0) + row.amount
    return [years[year] for year in sorted(years)]


def is_underfunded(project: Project) -> bool:
    return any(not sums.covered for sums in funding_by_year(project))


def external_funding(association, year: int) -> dict[str, int]:
    """The funding of the association's projects in ``year`` per source (kronor), the
    association's own budget excluded: what the planning work counts as external funding.
    Cancelled projects are left out. Every source is present (0 when none)."""
    sums: dict[str, int] = defaultdict(int)
    rows = (
        Funding.objects.filter(association=association, year=year)
        .exclude(source=FundingSource.OWN)
        .exclude(project__status="cancelled")
        .values("source")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        sums[row["source"]] += row["total"]
    return {
        source: sums.get(source, 0)
        for source in FundingSource.values
        if source != FundingSource.OWN
    }


def budget_years(project: Project) -> QuerySet[BudgetYear]:
    return BudgetYear.objects.filter(project=project)
