# ruff: noqa: E501  (source prose, quoted as the documents have it)
"""Demo directions and plans from the source documents in shared/seeds:

- Norrbottens Kommuner: "Inriktning 2019–2022" (five overarching goals, each with its
  strategies; kept as history) and "Inriktning 2023–2026" (mission, business idea, three goal
  areas with their "Vi ..." goals, six strategies, financing, SDG 3, 4, 11 primary and 5, 8,
  9 secondary), and a draft plan and budget for the current year whose member fee line
  comes from the members' fee schedule.
- Kommunförbundet Västernorrland: the 2021 goal structure (vision, mission, four goals) and
  the 2021 plan's three challenges with a promise each, approved by the board, adopted by
  the assembly and published, with a tertial report (January–April) and the annual report,
  which shows the networks demo's closed 2021 feedback round on the three promises (linked
  to them). The sources name the decisions but publish no minutes: the board's and the
  assembly's meetings and decisions are demo (titled "(Demo)"), recorded through the
  meetings services and adjusted at once, and so are the reports' summaries.
- Umeåregionen: the 2023–2027 plan's vision and its two focus areas, with the assignments
  of the current year's plan given to the groups the plan names, and the networks demo's
  assignments ("Uppdrag / Ansvarig") linked to the focus area goal they stand under.

The sources publish no budget amounts other than the fee rule; every other amount is left
at zero for staff to enter. Safe to run again: it creates what is missing.
"""

from django.utils import timezone

from association.models import Association
from association.tenancy import tenant_scope
from planning import services
from planning.models import Direction, Plan

# --- Norrbotten 2019–2022 -----------------------------------------------------------------

NB_2019 = {
    "title": "Inriktning 2019–2022",
    "first_year": 2019,
    "last_year": 2022,
    "business_idea": "Norrbottens Kommuner ska genom ett processinriktat arbetssätt och ett utvecklat beredningsförfarande företräda, påverka, driva och stödja kommunerna i deras samarbete för en positiv och hållbar regional utveckling i såväl ett nationellt- som internationellt perspektiv.",
    "mission": "Norrbottens Kommuner är en fristående intresseorganisation som ägs av länets 14 kommuner. Grunduppdraget är att i nära samarbete med medlemmarna, organisera, driva och utveckla arenor och nätverk för dialog och kunskapsutveckling.",
}
NB_2019_GOALS = [
    ("Fördjupat och breddat politiskt företrädarskap regionalt, nationellt och internationellt", [
        "Utveckla dialogen inom styrelsen, mellan styrelsen och beredningar, med medlemmarna, med riksdagspolitiker, med Region Norrbotten m fl",
        "Utveckla samarbete på nationell och regional nivå med bland annat organisationer, myndigheter och lärosäten",
        "Tillhandahålla omvärldsbevakning",
        "Aktivt medverka på olika arenor som Norrbottens Kommuners representant",
    ]),
    ("Ökade förutsättningar för att kommunerna på sikt ska klara kompetensförsörjningen", [
        "Följa och stödja det samarbete som sker inomregionalt inom utbildningsområdet",
        "Bidra till kompetensutveckling och ett utvecklat samarbete inom utbildningsområdet",
        "Omvärldsbevaka, informera, ge kunskap om samt initiera samarbeten inom integrationsområdet",
        "Bidra till att kommunernas attraktivitet som arbetsgivare ökar",
        "Hitta effektiva samverkansformer inom kompetensförsörjningsarbetet mellan Norrbottens Kommuner, Region Norrbotten och Länsstyrelsen i Norrbotten",
    ]),
    ("Ett utökat samarbete mellan kommunerna för effektivisering och gemensamt nyttjande av resurser för bättre samhällsservice", [
        "Aktivt och systematiskt driva, utveckla och stödja samtal mellan medlemmarna med målsättningen att nå samsyn och samförstånd kring vad, hur och vilka som ska delta i olika samarbeten, för en positiv samhällsutveckling",
        "Norrbottens Kommuner blir en plattform för utökad avtalssamverkan",
        "Verka för att de kommunala verksamheterna utvecklas med stöd av vetenskaplig kunskap och beprövad erfarenhet",
    ]),
    ("Fler innovationer och nyttjande av digitala verktyg inom kommunal verksamhet", [
        "Stödja implementeringen av intentionerna i nationella och regionala strategier för digitalisering",
        "Omvärldsbevaka och i samverkan testa och stödja implementeringen av innovationer i medlemskommunerna",
        "Norrbottens Kommuner, e-Nämnden och IT Norrbotten samverkar för största nytta för kommunerna",
        "Verka för verksamhetsutveckling med digitaliseringen som möjliggörare",
    ]),
    ("En hållbar samhällsbyggnad i kommunerna", [
        "Omvärldsbevaka, samordna nätverk och genomföra utbildningar för att stödja implementeringen av principerna för jämställdhet som finns reglerade i internationella avtal, främst CEMR- deklarationen (The Council of European Municipalities and Regions)",
        "Arbeta systematiskt med folkhälsoinsatser",
        "Arbeta främjande, förebyggande och med barn- och ungaperspektivet",
    ]),
]  # fmt: skip

# --- Norrbotten 2023–2026 -----------------------------------------------------------------

NB_2023 = {
    "title": "Inriktning 2023–2026",
    "first_year": 2023,
    "last_year": 2026,
    "mission": "Norrbottens Kommuner är ett kommunförbund som ägs av länets 14 kommuner. Grunduppdraget för förbundet är att i nära samarbete med medlemmarna organisera, driva och utveckla arenor och nätverk för dialog och kunskapsutveckling.",
    "business_idea": "Norrbottens Kommuner ska genom ett processinriktat arbetssätt och utvecklat beredningsförfarande företräda, samordna och stödja kommunerna i det gemensamma arbetet för en hållbar samhällsutveckling i ett lokalt, nationellt och internationellt perspektiv.",
    "financing": "Norrbottens Kommuners verksamhet finansieras av länets 14 kommuner. De ekonomiska ramarna för verksamheten beslutas årligen av förbundsfullmäktige efter utarbetat förslag från förbundsstyrelsen. Under mandatperioden åren 2023–2026 är taket 0,34 promille beräknat utifrån medlemskommunens befolkningsantal samt medelskattekraften i riket.",
}
NB_2023_AREAS = [
    ("Jämlik välfärd", [
        "Vi verkar för välfärd som främjar trygghet och goda livsvillkor genom livets alla skeenden.",
        "Vi stödjer innovativa lösningar kring välfärdens utmaningar.",
        "Vi bidrar till utvecklade kunskaper som stärker kvalitet och verksamhetsutveckling.",
        "Vi bevakar omställningar och förändrade ramverk i välfärden för att stärka kommunernas förutsättningar.",
    ]),
    ("Strategisk kompetensförsörjning", [
        "Vi initierar och utvecklar samverkan för att öka inkluderingen och möta kompetensbehoven på arbetsmarknaden.",
        "Vi tar fram strategier för att vidareutveckla kompetenser och kunskaper genom hela arbetslivet.",
        "Vi bidrar med nyskapande initiativ som långsiktigt stärker kompetensförutsättningarna i kommunerna.",
    ]),
    ("Hållbar samhällsutveckling och tillväxt", [
        "Vi stärker kommunerna i Norrbotten som en aktiv part i EU och det europeiska Arktis.",
        "Vi verkar för attraktiva livsmiljöer att växa upp, leva och åldras i.",
        "Vi arbetar för ett sammanhållet hållbarhetsperspektiv i kommunstrategisk utveckling.",
    ]),
]  # fmt: skip
NB_2023_STRATEGIES = [
    ("Processinriktat och innovativt arbetssätt", "I rollen som mötesorganisatör och samverkanspart nyttjar Norrbottens Kommuner innovativa metoder som sätter fokus på målgruppsbehoven. Vi främjar erfarenhetsutbyte, lärande och spridning kring nyskapande sätt att arbeta där digitaliseringens potential tillvaratas."),
    ("Strategisk samverkan och partnerskap", "Norrbottens Kommuner ingår i flera olika regionala, nationella och internationella nätverk och partnerskap med andra aktörer som delar våra intressen. Vi samverkar med regionala parter, nationella myndigheter och organisationer samt med lärosäten och andra kunskapsaktörer."),
    ("Politiskt företrädarskap", "När alla 14 kommunföreträdare kan representera varandra och föra fram ett gemensamt budskap i regionala, nationella och internationella sammanhang är politiskt företrädarskap möjligt."),
    ("Nätverk", "Norrbottens Kommuner samlar kontinuerligt ett antal nätverk inom kommunala verksamheter i länet. Vissa nätverk är utpekade som strategiska nätverk och då främst inom förvaltningsområdena utbildning, socialtjänst, arbetsmarknad samt näringslivsutveckling."),
    ("Avtal och överenskommelser", "Inom många områden finns en stor nytta av att gemensamt arbeta fram och teckna avtal och överenskommelser."),
    ("Omvärldsbevakning och kunskapsstöd", ""),
]  # fmt: skip
# "primär påverkan": SDG 3, 4, 11; "sekundära avtryck": 5, 8, 9 (of the three areas together).
NB_SDGS = [(3, True), (4, True), (11, True), (5, False), (8, False), (9, False)]

# --- Västernorrland 2021 ------------------------------------------------------------------

VN_DIRECTION = {
    "title": "Målstruktur Kommunförbundet Västernorrland",
    "first_year": 2021,
    "last_year": 2021,
    "vision": "Tillsammans för välfärd och utveckling",
    "mission": "Stödja kommunerna i det primärkommunala uppdraget att leverera välfärdstjänster av god kvalité till sina medborgare.",
}
VN_GOALS = [
    "Kommunerna har möjlighet att utveckla en god och likställd kvalitet på ett effektivt sätt genom att utnyttja styrkan i att arbeta tillsammans och växeldra.",
    "Kommunerna har underlag för strategiska beslut och kan ta höjd för framtida utmaningar.",
    "Kommunerna får möjlighet till omvärldsbevakning, påverkansarbete och input från nationell och regional nivå.",
    "Kommunerna får möjlighet att påverka genom en tydlig gemensam röst i viktiga frågor.",
]
VN_CHALLENGES = [
    ("Kärnutmaningen", "Inom ramen för Kommunförbundet kan kommunerna samverka för att öka sina möjligheter att erbjuda verksamhet som håller en god och likställd kvalitet. Detta är basen i vår verksamhet och självklart något som kommer att få stort utrymme under 2021."),
    ("Fokusutmaningen", "I planeringsarbetet inför 2021 har vi identifierat en utmaning som vi kommer att lägga extra fokus vid under året. Detta är frågan om kommunernas kompetensförsörjning."),
    ("Den interna utmaningen", "Inför 2021 kommer därmed det interna arbetet att ha fokus på att föra Kommunförbundets medarbetare närmare varandra för att gynna en fruktbar samverkan."),
]  # fmt: skip
VN_PROMISES = [
    ("Kärnutmaningen", "Efter 2021 kommer länets kommuner att uppleva att de fått stöd för att ta ytterligare steg mot verksamheter som håller en likställd och god kvalitet."),
    ("Fokusutmaningen", "Efter 2021 kommer kommunernas förmåga att tillvarata befintlig kompetens och utveckla nödvändig ny kunskap att ha stärkts."),
    ("Den interna utmaningen", "Efter 2021 kommer kommunerna att uppleva Kommunförbundet mer som en organisation, där den interna samverkan kan vara ett föredöme och stöd kan ges med större helhetssyn där det är fruktbart."),
]  # fmt: skip
# Two of the focus challenge's named efforts (Fokusutmaningen), under the first goal.
VN_ACTIVITIES = [
    "Samarbetsprojektet Hållbart Arbetsliv Västernorrland",
    "Fortsatt utveckling av Vård- och Omsorgscollege",
    "Stärka vuxenutbildningens gemensamma arbete i länet",
]

# The networks demo's closed round on these promises (networks/demo.py ROUND_TITLE).
VN_FEEDBACK_ROUND = "Röster från kommunerna 2021"
DEMO = "(Demo)"
# The sources describe the tertial follow-up and the annual report but publish neither.
VN_REPORT_SUMMARY = {
    "t1": f"{DEMO} Tertialrapport januari–april 2021 till styrelsen; texten är demo.",
    "annual": f"{DEMO} Årsredovisning 2021; nätverkens återkoppling på löftena nedan.",
}

# --- Umeåregionen 2023–2027 ---------------------------------------------------------------

UR_DIRECTION = {
    "title": "Verksamhetsplan Umeåregionen 2023–2027",
    "first_year": 2023,
    "last_year": 2027,
    "vision": "Världens bästa livsmiljö för 300 000 invånare år 2050!",
}
UR_AREAS = [
    ("Gemensam arbetsmarknadsregion", "Ett av Umeåregionens uppdrag är att Umeåregionen ska vara en stark arbetsmarknadsregion med god tillgång till kompetens och arbete.", [
        "Gymnasieutbildning", "Kompetensförsörjning",
        "Befolkningsökning, inflyttning, attraktivitet och positionering", "Samhällsbyggande",
        "Kommunikationer och infrastruktur",
    ]),
    ("Effektivisera kommunal verksamhet", "Umeåregionens kommuner ska arbeta tillsammans för att ge invånarna bästa möjliga service.", [
        "De gemensamma nämnderna", "Civilt försvar", "Digitalisering",
    ]),
]  # fmt: skip
# (goal, assignment, responsible body slug): assignments the plan gives Kommunchefsgruppen.
UR_ASSIGNMENTS = [
    ("Kommunikationer och infrastruktur", "Verka för ett gemensamt pendlarkort med olika bolag inom Umeåregionen", "kommunchefsgruppen"),
    ("Kommunikationer och infrastruktur", "Påskynda Förbifart Örnsköldsvik", "kommunchefsgruppen"),
    ("Civilt försvar", "Arbeta för att en gemensam säkerhetsskyddschef anställs", "kommunchefsgruppen"),
    ("Samhällsbyggande", "Starta ett projekt för mobilisering för ökat småhusbyggande.", "kommunchefsgruppen"),
]  # fmt: skip

# The networks demo's assignments (by the start of their title) and the plan's heading
# (a goal of its focus areas) they stand under.
UR_ASSIGNMENT_GOALS = [
    ("Stärka samarbetet för ökad effektivitet", "Gymnasieutbildning"),
    ("Kompetensförsörjning Gemensamma utbildningar", "Kompetensförsörjning"),
    (
        "Befolkningsökning, inflyttning",
        "Befolkningsökning, inflyttning, attraktivitet och positionering",
    ),
    ("Samhällsbyggande Stärka samarbetet", "Samhällsbyggande"),
    ("Undersöka möjligheterna att Umeåregionen blir en pilot", "Samhällsbyggande"),
    ("Bevaka att de gemensamma nämndernas arbete", "De gemensamma nämnderna"),
    ("Verka för gemensamma anställningar av säkerhetsskyddschef", "Civilt försvar"),
    ("Verka för ett gemensamt pendlarkort", "Kommunikationer och infrastruktur"),
    ("Arbeta för gemensamma upphandlingar av verksamhetssystem", "Digitalisering"),
]


def seed(out) -> dict[str, str]:
    for slug, build in (("norrbotten", _norrbotten), ("vasternorrland", _vasternorrland),
                        ("umearegionen", _umearegionen)):  # fmt: skip
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            continue
        with tenant_scope(association):
            made = build(association)
        out.write(f"  {association.name}: {made} planning records")
    return {}


def _direction(association, fields: dict) -> Direction | None:
    """The direction, or None when it exists already (then nothing under it is made)."""
    if Direction.objects.filter(association=association, first_year=fields["first_year"]).exists():
        return None
    return services.create_direction(
        association=association, actor=None, is_published=True, **fields
    )


def _norrbotten(association) -> int:
    made = 0
    old = _direction(association, NB_2019)
    if old is not None:
        made += 1
        for number, (text, strategies) in enumerate(NB_2019_GOALS, start=1):
            services.add_goal(direction=old, actor=None, text=text)
            services.add_strategy(
                direction=old, actor=None, title=f"Strategier för mål {number}",
                text="\n".join(strategies),
            )  # fmt: skip
    direction = _direction(association, NB_2023)
    if direction is not None:
        made += 1
        for title, goals in NB_2023_AREAS:
            area = services.add_goal_area(direction=direction, actor=None, title=title)
            for text in goals:
                services.add_goal(direction=direction, actor=None, area=area, text=text)
        for title, text in NB_2023_STRATEGIES:
            services.add_strategy(direction=direction, actor=None, title=title, text=text)
        for number, primary in NB_SDGS:
            services.link_sdg(direction=direction, actor=None, number=number, is_primary=primary)
    direction = Direction.objects.get(association=association, first_year=2023)
    year = timezone.localdate().year
    if (
        direction.covers(year)
        and not Plan.objects.filter(association=association, year=year).exists()
    ):
        # A draft: the member fee line comes from the members' fee schedule of the year.
        services.create_plan(direction=direction, actor=None, year=year)
        made += 1
    return made


def _vasternorrland(association) -> int:
    made = _vasternorrland_plan(association)
    plan = Plan.objects.filter(association=association, year=2021, number=1).first()
    if plan is not None:
        made += _vasternorrland_follow_up(association, plan)
    return made


def _demo_decision(association, body_slug: str, starts_at, title: str, text: str):
    """A demo meeting of the body with one decision, adjusted at once, recorded through the
    meetings services. The sources name the decisions but publish no minutes: the meeting,
    its date and the decision's wording are demo and say so."""
    from datetime import timedelta

    from django.utils import timezone

    from governance.meetings import records
    from governance.meetings import services as meetings
    from governance.meetings.demo import record_meeting
    from governance.meetings.models import Minutes, MinutesStatus
    from governance.models import Body
    from governance.noticeboard.demo import post_missing_notices

    body = Body.objects.filter(association=association, slug=body_slug).first()
    if body is None:
        return None
    meeting = meetings.create_meeting(
        body=body, actor=None, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
        title=f"{DEMO} {body.name}", place=DEMO,
    )  # fmt: skip
    item = meetings.add_item(meeting=meeting, actor=None, title=title, kind="decision",
                             proposed_decision=text)  # fmt: skip
    meetings.send_notice(meeting=meeting, actor=None)
    item.refresh_from_db()
    decision = records.save_decision(
        item=item, actor=None, expected_version=None,
        data={"text": f"{DEMO} {text}", "adjusted_at_once": True},
    )  # fmt: skip
    # The rest recorded, the minutes drafted and adjusted a week after the meeting and the
    # notice posted, as the meetings and notice board demos do for their past meetings
    # (the approvals taken as given): the decisions rest on adjusted minutes.
    record_meeting(meeting)
    minutes = records.draft_minutes(meeting=meeting, actor=None)
    Minutes.objects.filter(pk=minutes.pk).update(
        status=MinutesStatus.OUT_FOR_ADJUSTMENT, sent_at=meeting.ends_at
    )
    minutes.refresh_from_db()
    records.complete_adjustment(
        minutes=minutes, actor=None, when=meeting.ends_at + timedelta(days=7)
    )
    post_missing_notices(association, timezone.localdate())
    return decision


def _vasternorrland_follow_up(association, plan) -> int:
    """The 2021 plan approved by the board and adopted by the assembly (demo decisions),
    published, with a tertial report and the annual report that reads the networks' closed
    feedback round on its three promises."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from networks.models import FeedbackRound
    from planning.models import FollowUpReport, PlanStatus, PromiseFeedback

    made = 0
    zone = ZoneInfo("Europe/Stockholm")
    if plan.status == PlanStatus.DRAFT:
        plan = services.propose(plan=plan, actor=None)
    if plan.status == PlanStatus.PROPOSED:
        decision = _demo_decision(
            association, "styrelse", datetime(2020, 11, 20, 9, tzinfo=zone),
            "Verksamhetsplan 2021",
            "Styrelsen godkänner verksamhetsplan 2021 och föreslår förbundsmötet att fastställa den.",
        )  # fmt: skip
        plan = services.record_board_approval(plan=plan, actor=None, decision=decision)
    if plan.status == PlanStatus.BOARD_APPROVED:
        decision = _demo_decision(
            association, "forbundsmote", datetime(2020, 12, 11, 9, tzinfo=zone),
            "Verksamhetsplan 2021", "Förbundsmötet fastställer verksamhetsplan 2021.",
        )  # fmt: skip
        plan = services.adopt(
            plan=plan, actor=None, adopted_on=datetime(2020, 12, 11, tzinfo=zone).date(),
            decision=decision,
        )  # fmt: skip
        services.publish(plan=plan, actor=None)
        made += 1
    feedback_round = FeedbackRound.objects.filter(
        association=association, title=VN_FEEDBACK_ROUND
    ).first()
    if (
        feedback_round is not None
        and not PromiseFeedback.objects.filter(promise__plan=plan).exists()
    ):
        services.link_feedback_round(plan=plan, actor=None, feedback_round=feedback_round)
    for period in ("t1", "annual"):
        if not FollowUpReport.objects.filter(plan=plan, period=period).exists():
            report = services.create_report(plan=plan, actor=None, period=period)
            report = services.update_report(
                report=report, actor=None, expected_version=report.version,
                data={"summary": VN_REPORT_SUMMARY[period]},
            )  # fmt: skip
            services.publish_report(report=report, actor=None)
            made += 1
    return made


def _vasternorrland_plan(association) -> int:
    direction = _direction(association, VN_DIRECTION)
    if direction is None:
        return 0
    goals = [services.add_goal(direction=direction, actor=None, text=text) for text in VN_GOALS]
    plan = services.create_plan(
        direction=direction, actor=None, year=2021, title="Verksamhetsplan 2021",
        introduction="Verksamhetsplanen för 2021 är ett led i detta arbete och syftar till att ge en tydlig bild av de utmaningar vi tänker oss att särskilt arbeta med under året. I verksamhetsplanen ger vi också tre löften som vi följer upp under året.",
    )  # fmt: skip
    for title, text in VN_CHALLENGES:
        services.add_part(plan=plan, actor=None, kind="challenge", title=title, text=text)
    for title, text in VN_PROMISES:
        services.add_part(plan=plan, actor=None, kind="promise", title=title, text=text)
    for title in VN_ACTIVITIES:
        services.add_part(plan=plan, actor=None, kind="activity", title=title, goal=goals[0])
    return 2


def _umearegionen(association) -> int:
    made = _umearegionen_plan(association)
    direction = Direction.objects.filter(association=association, first_year=2023).first()
    if direction is not None:
        made += _umearegionen_assignments(association, direction)
    return made


def _umearegionen_assignments(association, direction) -> int:
    """Link the networks demo's assignments (the plan's "Uppdrag / Ansvarig" tables) to the
    focus area goal whose heading they stand under in the plan."""
    from networks.queries import work_assignments
    from planning.models import AssignmentGoal

    goals = {g.text: g for g in direction.goals.all()}
    linked = set(AssignmentGoal.objects.filter(goal__direction=direction)
                 .values_list("assignment_id", flat=True))  # fmt: skip
    made = 0
    for assignment in work_assignments(association):
        heading = next(
            (h for start, h in UR_ASSIGNMENT_GOALS if assignment.title.startswith(start)), None
        )
        if heading is None or assignment.pk in linked or heading not in goals:
            continue
        services.link_assignment(goal=goals[heading], actor=None, assignment=assignment)
        made += 1
    return made


def _umearegionen_plan(association) -> int:
    from governance.models import Body

    direction = _direction(association, UR_DIRECTION)
    if direction is None:
        return 0
    goals = {}
    for title, description, headings in UR_AREAS:
        area = services.add_goal_area(
            direction=direction, actor=None, title=title, description=description
        )
        for heading in headings:
            goals[heading] = services.add_goal(
                direction=direction, actor=None, area=area, text=heading
            )
    year = timezone.localdate().year
    if not direction.covers(year):
        return 1
    plan = services.create_plan(direction=direction, actor=None, year=year)
    bodies = {b.slug: b for b in Body.objects.filter(association=association)}
    for goal, title, body in UR_ASSIGNMENTS:
        services.add_part(plan=plan, actor=None, kind="activity", title=title,
                          goal=goals[goal], responsible_body=bodies.get(body))  # fmt: skip
    return 2
