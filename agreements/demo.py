# ruff: noqa: E501  (source prose, quoted as the documents have it)
"""Demo agreements and projects from the source documents in shared/seeds: the LTU letter of
intent (Norrbottens Kommuner), Umeåregionen's service agreement with Visit Umeå and its four
projects. Where the sources are silent (signing dates, amounts other than 100 000 kr a year,
the Visit Umeå agreement's terms) the values are illustrative and say so in a comment.

Safe to run again: it creates what is missing and leaves existing rows alone.
"""

from datetime import date

from django.utils import timezone

from agreements import services
from agreements.models import (
    Agreement,
    AgreementKind,
    FollowUpRule,
    FundingSource,
    OrganisationKind,
    OutsideOrganisation,
    Project,
    ProjectStatus,
    ValidityKind,
)
from association.models import Association
from association.tenancy import tenant_scope
from members.models import Municipality

UMEAREGIONEN = ["2401", "2403", "2404", "2409", "2460", "2480", "2284"]

ORGANISATIONS = {
    "norrbotten": [
        # The letter of intent gives the number (the scan reads "202100-284I").
        ("Luleå tekniska universitet", "202100-2841", OrganisationKind.UNIVERSITY, "971 87 Luleå"),
    ],
    # The plan names these without organisation numbers; none is invented here.
    "umearegionen": [
        ("Visit Umeå", "", OrganisationKind.COMPANY, ""),
        ("RISE", "", OrganisationKind.AGENCY, ""),
        ("Region Västerbotten", "", OrganisationKind.REGION, ""),
        ("Tillväxtverket", "", OrganisationKind.AGENCY, ""),
    ],
}

LTU_PURPOSE = (
    "Denna avsiktsförklaring beskriver en övergripande inriktning mot en bred samverkan mellan "
    "intresseorganisationen Norrbottens Kommuner och Luleå tekniska universitet för att gemensamt verka för "
    "kommunal utveckling. Syftet är att tydliggöra hur parterna kan stärka en långsiktig och strategisk "
    "samverkan inom ett antal områden för fördjupat samarbete som parterna kommer överens om."
)
LTU_AREAS = "Kompetensutveckling, hälsa och vård, digitalisering, utbildning samt forskning, utveckling och innovation."
VISIT_PURPOSE = (
    "Att skapa förutsättningar och utveckling avseende destinationsutveckling, marknadsföring och "
    "införsäljning av det privatturistiska innehållet mot relevanta målgrupper och marknader. Syftet är att "
    "öka antalet inresande och förstärka besöksnäringens position i Umeåregionen genom att utveckla och "
    "positionera en hållbar destination."
)


def seed(out) -> dict[str, str]:
    for slug in ("norrbotten", "umearegionen"):
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            continue
        with tenant_scope(association):
            organisations = _organisations(association, ORGANISATIONS[slug])
            if slug == "norrbotten":
                made = _ltu(association, organisations)
                out.write(f"  {association.name}: {made} agreements")
            else:
                made = _visit_umea(association, organisations)
                projects = _projects(association, organisations)
                out.write(f"  {association.name}: {made} agreements, {projects} projects")
    return {}


def _organisations(association, rows) -> dict[str, OutsideOrganisation]:
    by_name = {o.name: o for o in OutsideOrganisation.objects.filter(association=association)}
    for name, number, kind, address in rows:
        if name not in by_name:
            by_name[name] = services.create_organisation(
                association=association, actor=None, name=name, organisation_number=number,
                kind=kind, address=address,
            )  # fmt: skip
    return by_name


def _exists(association, title) -> bool:
    return Agreement.objects.filter(association=association, title=title).exists()


def _ltu(association, organisations) -> int:
    title = "Avsiktsförklaring om strategisk samverkan mellan Luleå tekniska universitet och Norrbottens Kommuner"
    if _exists(association, title):
        return 0
    agreement = services.create_agreement(
        association=association, actor=None, kind=AgreementKind.LETTER_OF_INTENT, title=title,
        purpose=LTU_PURPOSE, areas=LTU_AREAS, includes_association=True,
        organisations=[organisations["Luleå tekniska universitet"]],
        # The scanned letter shows no date; 2021-06-01 is illustrative.
        signed_on=date(2021, 6, 1),
        validity_kind=ValidityKind.UNTIL_TERMINATED, notice_months=3, is_published=True,
    )  # fmt: skip
    # "en ledningsdialog som ska genomföras två gånger per år" and the cooperation structure
    # "följas upp en gång per år": from this year to the end of the next.
    year = timezone.localdate().year
    group = "Samverkansgruppen (LTU och Norrbottens Kommuner)"
    services.generate_follow_ups(
        agreement=agreement, actor=None, rule=FollowUpRule.TWICE_A_YEAR, title="Ledningsdialog",
        first_on=date(year, 4, 15), until=date(year + 1, 12, 31), responsible=group,
    )  # fmt: skip
    services.generate_follow_ups(
        agreement=agreement, actor=None, rule=FollowUpRule.YEARLY,
        title="Årlig uppföljning av samverkansstrukturen", first_on=date(year, 11, 30),
        until=date(year + 1, 12, 31), responsible=group,
    )  # fmt: skip
    return 1


def _visit_umea(association, organisations) -> int:
    title = "Uppdragsavtal med Visit Umeå om privatturism"
    if _exists(association, title):
        return 0
    members = Municipality.objects.filter(code__in=UMEAREGIONEN).exclude(code="2284")
    agreement = services.create_agreement(
        association=association, actor=None, kind=AgreementKind.SERVICE, title=title,
        purpose=VISIT_PURPOSE, areas="Destinationsutveckling, marknadsföring, införsäljning",
        includes_association=True, municipalities=list(members),
        organisations=[organisations["Visit Umeå"]],
        # The plan states no terms: yearly periods from 2023 with six months' notice are
        # illustrative.
        signed_on=date(2022, 12, 1), starts_on=date(2023, 1, 1),
        validity_kind=ValidityKind.RENEWING, period_months=12, notice_months=6,
        is_published=True,
    )  # fmt: skip
    year = timezone.localdate().year
    services.generate_follow_ups(
        agreement=agreement, actor=None, rule=FollowUpRule.YEARLY,
        title="Utvärdering av avtalet med Visit Umeå", first_on=date(year, 10, 15),
        until=date(year + 1, 12, 31), responsible="Turismgruppen",
    )  # fmt: skip
    return 1


def _projects(association, organisations) -> int:
    made = 0
    by_code = {m.code: m for m in Municipality.objects.filter(code__in=UMEAREGIONEN)}

    def project(name, fields, municipalities=(), partners=(), budget=(), funding=()):
        nonlocal made
        if Project.objects.filter(association=association, name=name).exists():
            return
        created = services.create_project(
            association=association, actor=None, name=name,
            municipalities=[by_code[c] for c in municipalities],
            partners=[organisations[p] for p in partners], **fields,
        )  # fmt: skip
        for year, amount in budget:
            services.set_budget(project=created, actor=None, year=year, amount=amount)
        for source, funder, year, amount in funding:
            services.add_funding(
                project=created, actor=None, source=source,
                funder=organisations.get(funder) if funder else None, year=year, amount=amount,
            )  # fmt: skip
        made += 1

    project(
        "Arbetsmarknadskunskap i skolan",
        {
            "purpose": "Genom arbetsmarknadskunskap i skolan vill vi öka elevers kunskap och bild om arbetsmarknaden och vägen till ett jobb. På uppdrag av lokala arbetsgivare, offentliga och privata, besöks skolor för att prata med unga om hur arbetsmarknaden ser ut och förändras.",
            "status": ProjectStatus.ONGOING,
            "responsible": "Kanslichef",
        },
    )
    project(
        "Studenter möter arbetsliv",
        {
            "purpose": "Projektet skapar kontaktytor mellan studenter på Umeå universitet och SLU med Västerbottens arbetsgivare för att bidra till Västerbottens långsiktiga utveckling.",
            # The plan gives the end (2023-08-31) and 100 000 kr a year; the start is illustrative.
            "starts_on": date(2021, 9, 1),
            "ends_on": date(2023, 8, 31),
            "status": ProjectStatus.FINISHED,
            "responsible": "Kanslichef",
        },
        budget=[(2021, 100_000), (2022, 100_000), (2023, 100_000)],
        funding=[(FundingSource.OWN, None, y, 100_000) for y in (2021, 2022, 2023)],
    )
    # Co-funded by Region Västerbotten and the ERDF through Tillväxtverket; the plan gives
    # no amounts, so these are illustrative.
    project(
        "Attrahera flera",
        {
            "purpose": "Att paketera och sälja regionen på ett sätt som attraherar kompetens, nya företag samt ökar förutsättningarna för befintliga företag att växa; öka små och medelstora företags konkurrenskraft.",
            "starts_on": date(2023, 1, 1),
            "ends_on": date(2025, 12, 31),
            "status": ProjectStatus.FINISHED,
            "responsible": "Näringslivsgruppen",
        },
        municipalities=UMEAREGIONEN,
        partners=["Region Västerbotten", "Tillväxtverket"],
        budget=[(y, 2_000_000) for y in (2023, 2024, 2025)],
        funding=[
            *[(FundingSource.ERDF, "Tillväxtverket", y, 1_000_000) for y in (2023, 2024, 2025)],
            *[
                (FundingSource.REGION, "Region Västerbotten", y, 500_000)
                for y in (2023, 2024, 2025)
            ],
            *[(FundingSource.OWN, None, y, 500_000) for y in (2023, 2024, 2025)],
        ],
    )
    project(
        "Thriving Northern Capacities",
        {
            "purpose": "Tillsammans med RISE ska Nordmalings, Robertsfors och Vännäs kommuner identifiera gemensamma fokusområden inom grön omställning samt hitta och testa metoder för gemensamt resursutnyttjande och lärande.",
            "status": ProjectStatus.ONGOING,
            "responsible": "RISE",
        },
        municipalities=["2401", "2409", "2460"],
        partners=["RISE"],
    )
    return made
