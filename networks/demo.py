# ruff: noqa: E501  (source prose, quoted as the documents have it)
"""Demo networks and working groups from the source documents in shared/seeds:

- Norrbottens Kommuner (Inriktning 2023–2026): the strategic networks for education, social
  services, labour market and business development, under the chief executives' committee
  that "kan ta beslut om strategiska nätverk". The demo committee member gets a seat in the
  social services network (for Luleå), so its members' page can be tried with that login.
- Kommunförbundet Västernorrland (verksamhetsplan 2021): its political, managers', staff and
  subject networks, and a closed feedback round on the plan's three promises ("Röster från
  kommunerna"), asked of the networks and the presidia. The sources publish no answers: the
  round's answers come from six demo respondents (accounts that cannot log in), and their
  scores and comments are illustrative.
- Umeåregionen (verksamhetsplan 2023–2027): the working groups the plan names, reporting
  yearly to the chief executives' group, and every row of its "Uppdrag / Ansvarig" tables.

Safe to run again: it creates what is missing and leaves existing rows alone.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from association.models import Association
from association.services import create_person as create_account
from association.tenancy import tenant_scope
from governance.models import Body, Person, Seat
from members.models import Municipality
from networks import services
from networks.models import (
    FeedbackAnswer,
    FeedbackPromise,
    FeedbackRound,
    Network,
    NetworkKind,
    WorkAssignment,
    WorkStatus,
)

NORRBOTTEN = ["2505", "2506", "2510", "2513", "2514", "2518", "2521", "2523", "2560", "2580",
              "2581", "2582", "2583", "2584"]  # fmt: skip
VASTERNORRLAND = ["2260", "2262", "2280", "2281", "2282", "2283", "2284"]
UMEAREGIONEN = ["2401", "2403", "2404", "2409", "2460", "2480", "2284"]
# The joint waste plan: every municipality but Örnsköldsvik; the Visit Umeå agreement likewise.
WITHOUT_ORNSKOLDSVIK = [code for code in UMEAREGIONEN if code != "2284"]

NORRBOTTEN_PURPOSE = (
    "Strategiskt nätverk inom förvaltningsområdet {area}. Nätverken är centrala för att driva den "
    "gemensamma utvecklingen framåt genom dialog, kunskapsutbyte och kunskapshöjande aktiviteter. "
    "En viktig roll för nätverken är också lokal förankring av beslutade uppdrag. Nätverken kan "
    "utse operativa grupper med uppgiften att arbeta vidare med prioriterade utvecklingsområden."
)
VASTERNORRLAND_PURPOSE = (
    "Vi samordnar kommunal samverkan i politik-, chefs- och medarbetarnätverk samt "
    "sakområdesnätverk. Genom nätverken och arrangemang såsom konferenser och fortbildningsinsatser "
    "får kommunerna tillgång till bland annat omvärldsbevakning och ny kunskap inom relevanta områden."
)
UMEA_PURPOSE = (
    "De arbetsgrupper som bildas inom Umeåregionen består oftast av respektive kommuns "
    "verksamhetsansvarige inom det aktuella området. Genom årlig avrapportering till "
    "kommunchefsgruppen från arbetsgrupperna följs samarbetets resultat upp."
)

# slug, name, kind, reports to (body slug), municipalities, public member list, purpose
NETWORKS = {
    "norrbotten": [
        ("natverk-utbildning", "Strategiskt nätverk utbildning", NetworkKind.STRATEGIC,
         "kommundirektorsberedning", NORRBOTTEN, False, NORRBOTTEN_PURPOSE.format(area="utbildning")),
        ("natverk-socialtjanst", "Strategiskt nätverk socialtjänst", NetworkKind.STRATEGIC,
         "kommundirektorsberedning", NORRBOTTEN, False, NORRBOTTEN_PURPOSE.format(area="socialtjänst")),
        ("natverk-arbetsmarknad", "Strategiskt nätverk arbetsmarknad", NetworkKind.STRATEGIC,
         "kommundirektorsberedning", NORRBOTTEN, False, NORRBOTTEN_PURPOSE.format(area="arbetsmarknad")),
        ("natverk-naringslivsutveckling", "Strategiskt nätverk näringslivsutveckling",
         NetworkKind.STRATEGIC, "kommundirektorsberedning", NORRBOTTEN, False,
         NORRBOTTEN_PURPOSE.format(area="näringslivsutveckling")),
    ],
    "vasternorrland": [
        ("politiknatverk", "Politiknätverk", NetworkKind.POLITICAL, "styrelse", VASTERNORRLAND,
         True, VASTERNORRLAND_PURPOSE),
        ("chefsnatverk", "Chefsnätverk", NetworkKind.MANAGERS, "styrelse", VASTERNORRLAND, False,
         VASTERNORRLAND_PURPOSE),
        ("medarbetarnatverk", "Medarbetarnätverk", NetworkKind.STAFF, "styrelse", VASTERNORRLAND,
         False, VASTERNORRLAND_PURPOSE),
        ("sakomradesnatverk", "Sakområdesnätverk", NetworkKind.SUBJECT, "styrelse",
         VASTERNORRLAND, False, VASTERNORRLAND_PURPOSE),
    ],
    "umearegionen": [
        ("personalchefgruppen", "Personalchefgruppen", NetworkKind.WORKING_GROUP,
         "kommunchefsgruppen", UMEAREGIONEN, False, UMEA_PURPOSE),
        ("skolchefgruppen", "Skolchefgruppen", NetworkKind.WORKING_GROUP, "kommunchefsgruppen",
         UMEAREGIONEN, False, UMEA_PURPOSE),
        ("kommunikatorgruppen", "Kommunikatörgruppen", NetworkKind.WORKING_GROUP,
         "kommunchefsgruppen", UMEAREGIONEN, False, UMEA_PURPOSE),
        ("samhallsbyggnadsgruppen", "Samhällsbyggnadsgruppen", NetworkKind.WORKING_GROUP,
         "kommunchefsgruppen", UMEAREGIONEN, False, UMEA_PURPOSE),
        ("digitaliseringsgruppen", "Digitaliseringsgruppen", NetworkKind.WORKING_GROUP,
         "kommunchefsgruppen", UMEAREGIONEN, False, UMEA_PURPOSE),
        ("lbu-gruppen", "LBU-gruppen (Landsbygdsutvecklingsgruppen)", NetworkKind.WORKING_GROUP,
         "kommunchefsgruppen", UMEAREGIONEN, False,
         "Umeåregionens kommuner har tillsammans arbetat fram en gemensam "
         "landsbygdsutvecklingsstrategi. LBU-gruppen arbetar med insatser för den gemensamma strategin."),
        ("turismgruppen", "Turismgruppen (Arbetsgruppen för turism)", NetworkKind.WORKING_GROUP,
         "kommunchefsgruppen", WITHOUT_ORNSKOLDSVIK, False,
         "Uppdrag: Att vara utvärderande part av avtalet med Visit Umeå."),
        ("upphandlingsgruppen", "Upphandlingsgruppen", NetworkKind.WORKING_GROUP,
         "kommunchefsgruppen", UMEAREGIONEN, False, UMEA_PURPOSE),
        ("urax-gruppen", "Urax-gruppen", NetworkKind.WORKING_GROUP, "kommunchefsgruppen",
         UMEAREGIONEN, False,
         "Bibliotekssamverkan: gemensam katalog och gemensamt lånekort gör att böcker kan lånas och "
         "lämnas tillbaka i vilket bibliotek som helst i regionen."),
        ("arbetsgrupp-avfallsplanen", "Arbetsgrupp för avfallsplanen", NetworkKind.WORKING_GROUP,
         "kommunchefsgruppen", WITHOUT_ORNSKOLDSVIK, False,
         "Arbetsgruppen för avfallsplanen har fått i uppdrag att jobba gemensamt med "
         "avfallsplanens genomförande."),
        ("naringslivsgruppen", "Näringslivsgruppen (Arbetsgruppen för näringslivsutveckling)",
         NetworkKind.WORKING_GROUP, "kommunchefsgruppen", UMEAREGIONEN, False, UMEA_PURPOSE),
    ],
}  # fmt: skip

# Umeåregionen's tables "Uppdrag / Ansvarig": heading, text, responsible group (network or body
# slug), other responsible named in the table, period.
RUNNING = "Arbetsgrupper/projekt i löpande verksamhet"
LABOUR = "Utveckla arbetsmarknadsregionen"
EFFICIENT = "Effektivisera kommunalverksamhet"
PLAN_PERIOD = (date(2023, 1, 1), date(2027, 12, 31))
WORK = [
    (RUNNING, "Avfallsplanens genomförande", "arbetsgrupp-avfallsplanen", "", None),
    (RUNNING, "Arbetsmarknadskunskap i skolan, projekt", None, "Kanslichef", None),
    (RUNNING, "Studenter möter arbetsliv, projekt", None, "Kanslichef", None),
    (RUNNING, "Attrahera flera, projekt", "naringslivsgruppen", "", None),
    (RUNNING, "Thriving Northern Capacities", None, "RISE", None),
    (RUNNING, "Business Arena", "naringslivsgruppen", "", None),
    (RUNNING, "Rally VM", "naringslivsgruppen", "", None),
    (RUNNING, "Aktiviteter kring Landsbygdsstrategin", "lbu-gruppen", "", None),
    (RUNNING, "Idériket 2030", None, "Styrelsen", None),
    (RUNNING, "Utveckla, samverkan Bibilotek", "urax-gruppen", "", None),
    (RUNNING, "Utvärdera avtalet med Visit Umeå", "turismgruppen", "", None),
    (RUNNING, "Samverkan inom upphandlingar", "upphandlingsgruppen", "", None),
    (RUNNING, "Kompetensförsörjning samt utveckling inom arbetsmarknadsregionen", "personalchefgruppen", "", None),
    (LABOUR, "Stärka samarbetet för ökad effektivitet och samnyttjande av resurser. Verka för ett systematiskt samarbete som kompletterar samverkan inom Region Västerbotten. Säkerställa ett gott utbud av gymnasieutbildningar inkluderat introduktionsprogram utifrån behov inom Umeåregionen.", "skolchefgruppen", "", PLAN_PERIOD),
    (LABOUR, "Kompetensförsörjning Gemensamma utbildningar för Umeåregionens medarbetare. Skapa karriärvägar inom Umeåregionen. Ökade rekryteringsinsatser mot unga, fokus är gemensamma insatser för de kommunala jobben. Hitta nya lösningar för kompetensförsörjning. Digitala eller tekniska lösningar, kompetensväxling, flexibla anställningar och andra lösningar i samverkan inom Umeåregionen. Utveckla den kommunala vuxenutbildningen inom Umeåregionen. Ge förutsättningar och inspirera studenter till att stanna i Umeåregionen.", "personalchefgruppen", "", PLAN_PERIOD),
    (LABOUR, "Befolkningsökning, inflyttning, attraktivitet och positionering. Övergripande synliggöra Umeåregionen.", "kommunikatorgruppen", "", PLAN_PERIOD),
    (LABOUR, "Samhällsbyggande Stärka samarbetet med plan- och byggfrågor och samhällsbyggnadsfrågor i stort. Bygga upp långsiktiga och effektiva samverkansmodeller där kommunerna hjälps åt att möta utmaningarna inom samhällsbyggnadssektorn. Förbättra planeringskapaciteten för nya etableringar och bostäder. Det handlar om elförsörjning, tillgång till mark, till vatten och till kompetens. Förbättra samplaneringen mellan kommunerna och se till att inte kommun- och länsgränserna blir ett hinder.", "samhallsbyggnadsgruppen", "", PLAN_PERIOD),
    (LABOUR, "Undersöka möjligheterna att Umeåregionen blir en pilot för hållbart samhällsbyggande. I en sådan pilot skulle man kunna få möjlighet att införa anpassade regler för strandskydd, kunna få del av ett regionalt etablerings-/expansionsstöd för fastighetsaktörer så att aktörerna kan bygga till rimliga hyresnivåer och snabbt öka volymerna av byggnation. Starta upp arbete för en revidering av den gemensamma Vindkraftsplänen, tillägg till ÖP, samt en förstudie gällande solkraft. Starta ett projekt för mobilisering för ökat småhusbyggande.", "kommunchefsgruppen", "", PLAN_PERIOD),
    (EFFICIENT, "Bevaka att de gemensamma nämndernas arbete är administrativt och ekonomiskt effektivt.", "kommunchefsgruppen", "", PLAN_PERIOD),
    (EFFICIENT, "Verka för gemensamma anställningar av säkerhetsskyddschef samt informationssäkerhetschef.", "kommunchefsgruppen", "Kanslichef", PLAN_PERIOD),
    (EFFICIENT, "Verka för ett gemensamt pendlarkort med olika bolag inom Umeåregionen Påskynda Förbifart Örnsköldsvik Verka för att Kollektivtrafikmyndigheten identifierar de nya resmönstren och knyter ihop olika trafikslag.", "kommunchefsgruppen", "", PLAN_PERIOD),
    (EFFICIENT, "Arbeta för gemensamma upphandlingar av verksamhetssystem Arbeta för att ta fram gemensamma modeller och processer Arbeta för att ta fram gemensamma E-tjänster.", "digitaliseringsgruppen", "", PLAN_PERIOD),
]  # fmt: skip

PROMISES_2021 = [
    "Efter 2021 kommer länets kommuner att uppleva att de fått stöd för att ta ytterligare steg mot verksamheter som håller en likställd och god kvalitet.",
    "Efter 2021 kommer kommunernas förmåga att tillvarata befintlig kompetens och utveckla nödvändig ny kunskap att ha stärkts.",
    "Efter 2021 kommer kommunerna att uppleva Kommunförbundet mer som en organisation, där den interna samverkan kan vara ett föredöme och stöd kan ges med större helhetssyn där det är fruktbart.",
]
ROUND_TITLE = "Röster från kommunerna 2021"
# Illustrative answers (the sources publish none): respondent number, network slug, scores.
DEMO_ANSWERS = [
    (1, "politiknatverk", (4, 3, 3)), (2, "politiknatverk", (5, 4, 3)),
    (3, "politiknatverk", (4, 4, 2)), (4, "chefsnatverk", (3, 4, 4)),
    (5, "chefsnatverk", (4, 3, 3)), (6, "sakomradesnatverk", (3, 3, 2)),
]  # fmt: skip
DEMO_COMMENT = "Demosvar: stödet i nätverket har varit värdefullt under året."

DEMO_MEMBER = ("beredningsledamot@demo.samverka.se", "natverk-socialtjanst", "2580")


def seed(out) -> dict[str, str]:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for slug, rows in NETWORKS.items():
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            continue
        with tenant_scope(association):
            by_slug = _networks(association, rows, municipalities)
            made = ""
            if slug == "norrbotten":
                _demo_member(association, by_slug, municipalities)
            if slug == "umearegionen":
                made = f", {_work(association, by_slug)} assignments"
            if slug == "vasternorrland":
                made = f", {_round(association, by_slug)} feedback round"
            out.write(f"  {association.name}: {len(by_slug)} networks{made}")
    return {}


def _networks(association, rows, municipalities) -> dict[str, Network]:
    existing = {n.body.slug: n for n in Network.objects.filter(association=association)
                .select_related("body")}  # fmt: skip
    bodies = {b.slug: b for b in Body.objects.filter(association=association)}
    for order, (slug, name, kind, parent, codes, public, purpose) in enumerate(rows):
        if slug in existing or slug in bodies:
            continue
        network = services.create_network(
            association=association, actor=None, name=name, slug=slug, kind=kind,
            purpose=purpose, reports_to=bodies.get(parent), member_list_public=public,
            ordering=500 + order * 10,
        )  # fmt: skip
        for position, code in enumerate(codes):
            Seat.objects.create(
                association=association, body=network.body, municipality=municipalities[code],
                members=1, ordering=position * 10,
            )  # fmt: skip
        existing[slug] = network
    return existing


def _demo_member(association, by_slug, municipalities) -> None:
    from governance.models import Assignment, Term

    email, slug, code = DEMO_MEMBER
    person = Person.objects.filter(association=association, email=email).first()
    network = by_slug.get(slug)
    if person is None or network is None:
        return
    for term in Term.objects.filter(association=association):
        if Assignment.objects.filter(body=network.body, person=person, term=term).exists():
            continue
        services.add_member(network=network, actor=None, person=person,
                            municipality=municipalities[code], starts_on=term.starts_on,
                            ends_on=term.ends_on)  # fmt: skip


def _work(association, by_slug) -> int:
    if WorkAssignment.objects.filter(association=association).exists():
        return 0
    bodies = {b.slug: b for b in Body.objects.filter(association=association)}
    council = bodies.get("umearegionradet")
    for order, (heading, text, responsible, other, period) in enumerate(WORK):
        title = text.split(". ")[0].rstrip(".")[:300]
        services.create_work_assignment(
            association=association, actor=None, title=title,
            description=text if title != text.rstrip(".") else "", heading=heading,
            given_by=council, responsible=bodies.get(responsible) if responsible else None,
            responsible_other=other, starts_on=period[0] if period else None,
            ends_on=period[1] if period else None, ordering=order * 10,
            # The running operations are ongoing as the plan describes them; the focus
            # areas' assignments were new in the 2023–2027 plan.
            status=WorkStatus.ONGOING if heading == RUNNING else WorkStatus.NOT_STARTED,
            comment="Enligt verksamhetsplan 2023–2027.",
        )  # fmt: skip
    return len(WORK)


def _round(association, by_slug) -> int:
    if FeedbackRound.objects.filter(association=association, title=ROUND_TITLE).exists():
        return 0
    closes_at = datetime(2021, 12, 15, 23, 59, 59, tzinfo=ZoneInfo("Europe/Stockholm"))
    presidia = list(Body.objects.filter(association=association, slug="presidier"))
    # Written as it stood then: the service refuses a closing time in the past, so the
    # demo stores the closed round and its answers directly.
    feedback_round = FeedbackRound.objects.create(
        association=association, title=ROUND_TITLE, year=2021, closes_at=closes_at,
        created_at=datetime(2021, 11, 15, 9, tzinfo=ZoneInfo("Europe/Stockholm")),
    )  # fmt: skip
    feedback_round.networks.set(by_slug.values())
    feedback_round.bodies.set(presidia)
    promises = [
        FeedbackPromise.objects.create(
            association=association, round=feedback_round, position=position, text=text
        )
        for position, text in enumerate(PROMISES_2021, start=1)
    ]
    for number, slug, scores in DEMO_ANSWERS:
        user = create_account(email=f"aterkoppling-{number}@demo.samverka.se",
                              first_name="Demo", last_name=f"Svarande {number}")  # fmt: skip
        if user.is_active:
            user.is_active = False  # a respondent of the demo only, never a login
            user.save(update_fields=["is_active"])
        for promise, score in zip(promises, scores, strict=True):
            answer = FeedbackAnswer.objects.create(
                association=association, promise=promise, respondent=user, score=score,
                comment=DEMO_COMMENT if score >= 4 and number % 2 else "",
                updated_at=closes_at.replace(day=10),
            )  # fmt: skip
            answer.networks.set([by_slug[slug]])
    return 1
