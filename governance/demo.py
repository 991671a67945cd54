# ruff: noqa: E501  (source prose, quoted as the documents have it)
"""Demo governance from the source documents in shared/seeds: bodies, reporting lines, seats
and the people the documents name. Every other seat stays vacant; the two demo accounts are
marked as demo.

Safe to run again: it creates what is missing and leaves existing rows (and any change a
user made to them) alone.
"""

from datetime import date

from association.demo import DEMO_PASSWORD
from association.models import Association
from association.services import create_person as create_account
from association.tenancy import tenant_scope
from governance import services
from governance.models import (
    Assignment,
    Body,
    BodyKind,
    ChairRule,
    HostRotation,
    Person,
    Seat,
    Term,
)
from governance.models import QuorumRule as Q
from members.models import Municipality

TERMS = [("2023–2026", date(2023, 1, 1), date(2026, 12, 31)),
         ("2027–2030", date(2027, 1, 1), date(2030, 12, 31))]  # fmt: skip

NORRBOTTEN = ["2505", "2506", "2510", "2513", "2514", "2518", "2521", "2523", "2560", "2580",
              "2581", "2582", "2583", "2584"]  # fmt: skip
VASTERNORRLAND = ["2260", "2262", "2280", "2281", "2282", "2283", "2284"]
UMEAREGIONEN = ["2401", "2403", "2404", "2409", "2460", "2480", "2284"]
# Umeåregionen's host rotation from 2023: Vindeln, then the table for 2024–2030.
UMEA_ROTATION = ["2404", "2460", "2284", "2403", "2401", "2409", "2480"]

# slug, name, kind, reports to, fields
BODIES = {
    "norrbotten": [
        (
            "forbundsfullmaktige",
            "Förbundsfullmäktige",
            BodyKind.ASSEMBLY,
            None,
            {
                "mandate": "Samlas årligen för att ta beslut om verksamhetsplan och budget för "
                "förbundet. Vart fjärde år tar förbundsfullmäktige beslut om "
                "inriktningsdokument och styrelse för kommande mandatperiod.",
                "meetings_per_year": 1,
            },
        ),
        (
            "styrelse",
            "Styrelse",
            BodyKind.BOARD,
            "forbundsfullmaktige",
            {
                "mandate": "Styrelsen tar beslut i frågor som rör förbundet och rekommenderar "
                "kommunerna att ta beslut i frågor som är av större vikt och som ofta ger "
                "ekonomiska effekter. Dessutom beslutar styrelsen om politisk "
                "representation i beredningar, styrgrupper och utskott.",
                "seat_rule": "Kommunstyrelsernas ordföranden från de 14 kommunerna samt politiska "
                "representanter från partier som finns representerade i riksdagen men "
                "inte innehar kommunstyrelsepost i någon av länets kommuner.",
                "meetings_per_year": 5,
            },
        ),
        (
            "kommundirektorsberedning",
            "Kommundirektörsberedning",
            BodyKind.CHIEF_EXECUTIVES,
            "styrelse",
            {
                "mandate": "Förbundsdirektören samlar kommundirektörerna från de 14 kommunerna ett par "
                "veckor före varje styrelsesammanträde. Bereder ärenden till styrelsen, kan "
                "initiera ärenden och utvecklingsarbeten och besluta om strategiska "
                "nätverk.",
                "seat_rule": "Kommundirektören i var och en av de 14 kommunerna.",
                "quorum_rule": Q.NONE,
            },
        ),
        (
            "socialberedning",
            "Socialberedning",
            BodyKind.PREPARATORY_COMMITTEE,
            "styrelse",
            {
                "mandate": "Förbundets egen beredning, utsedd av styrelsen. Bereder ärenden och "
                "rapporterar till styrelsen i de fall de inte kan avgöras i beredningen."
            },
        ),
        (
            "utbildningsberedning",
            "Utbildningsberedning",
            BodyKind.PREPARATORY_COMMITTEE,
            "styrelse",
            {
                "mandate": "Förbundets egen beredning, utsedd av styrelsen. Bereder ärenden och "
                "rapporterar till styrelsen i de fall de inte kan avgöras i beredningen."
            },
        ),
        (
            "gemensam-beredning",
            "Gemensam beredning",
            BodyKind.PREPARATORY_COMMITTEE,
            "styrelse",
            {
                "mandate": "Utbildningsberedningen och Socialberedningen samlas regelbundet i den "
                "Gemensamma beredningen."
            },
        ),
        (
            "tillvaxtberedning",
            "Tillväxtberedning",
            BodyKind.PREPARATORY_COMMITTEE,
            "styrelse",
            {
                "mandate": "Gemensamt beredningsorgan och samverkansforum för Norrbottens Kommuners "
                "styrelse och Region Norrbottens styrelse: politisk samsyn i länet om "
                "strategiska tillväxt- och utvecklingsfrågor samt infrastruktur.",
                "outside_parties": "Region Norrbotten",
            },
        ),
        (
            "kulturberedning",
            "Kulturberedning",
            BodyKind.PREPARATORY_COMMITTEE,
            "styrelse",
            {
                "mandate": "Samordnar kulturfrågor mellan kommunerna och Region Norrbotten; är också "
                "ett beredningsorgan för regionstyrelsen i Norrbotten.",
                "outside_parties": "Region Norrbotten",
            },
        ),
        (
            "halsa-vard-omsorg-skola",
            "Politisk samverkansberedning för hälsa, vård, omsorg och skola",
            BodyKind.PREPARATORY_COMMITTEE,
            "styrelse",
            {
                "mandate": "Arena mellan Norrbottens Kommuner och Region Norrbotten där gemensamma "
                "frågor inom hälso- och sjukvård, omsorg och skola diskuteras, bereds, "
                "förankras och utvärderas.",
                "outside_parties": "Region Norrbotten",
            },
        ),
        (
            "regionalt-forum",
            "Regionalt forum",
            BodyKind.INFORMAL_FORUM,
            "styrelse",
            {
                "mandate": "Inte en formell beredning men en viktig mötesplats för att diskutera "
                "frågor som är viktiga för Norrbottens utveckling.",
                "outside_parties": "Region Norrbotten, myndigheter och organisationer",
                "is_formal": False,
                "quorum_rule": Q.NONE,
            },
        ),
    ],
    "vasternorrland": [
        (
            "forbundsmote",
            "Förbundsmöte",
            BodyKind.ASSEMBLY,
            None,
            {
                "mandate": "Förbundets högsta beslutande organ. Medlemmarna utövar beslutanderätt "
                "rörande förbundet genom förbundsmötet, som genomförs årligen på tid och "
                "plats som styrelsen beslutar.",
                "meetings_per_year": 1,
            },
        ),
        (
            "styrelse",
            "Styrelse",
            BodyKind.BOARD,
            "forbundsmote",
            {
                "mandate": "Tydliggör förväntningarna på verksamheten genom övergripande mål och "
                "utser representanter till regionala, nationella och internationella "
                "åtaganden.",
                "seat_rule": "Länets kommunalråd och oppositionsråd.",
            },
        ),
        (
            "presidier",
            "Presidier",
            BodyKind.PRESIDIUM,
            "styrelse",
            {
                "mandate": "Kultur & fritid; Utbildning & arbetsliv; Socialtjänstens samverkan och "
                "stödstrukturer."
            },
        ),
        (
            "styrgrupper",
            "Styrgrupper",
            BodyKind.STEERING_GROUP,
            "styrelse",
            {"mandate": "Kommunövergripande frågor, digitalisering och EU.", "quorum_rule": Q.NONE},
        ),
        (
            "ledningsgrupp",
            "Ledningsgrupp",
            BodyKind.MANAGEMENT_TEAM,
            "styrelse",
            {
                "mandate": "Direktörens ledningsgrupp för förbundets verksamhet.",
                "quorum_rule": Q.NONE,
            },
        ),
    ],
    "umearegionen": [
        (
            "umearegionradet",
            "Umeåregionrådet",
            BodyKind.COUNCIL,
            None,
            {
                "mandate": "Står för den övergripande politiska och strategiska ledningen i "
                "samarbetet. Inriktningsbeslut fattas i konsensus.",
                "seat_rule": "Kommunernas ledande företrädare för den politiska majoriteten "
                "respektive minoriteten.",
                "meetings_per_year": 4,
                "chair_rule": ChairRule.HOST_BOTH,
            },
        ),
        (
            "kommunchefsgruppen",
            "Kommunchefsgruppen",
            BodyKind.CHIEF_EXECUTIVES,
            "umearegionradet",
            {
                "mandate": "Föreslår, verkställer och följer upp beslutade samarbeten och "
                "samverkansinsatser på tjänstemannanivå; kan tillsätta arbetsgrupper och "
                "tjänstemannaberedningar.",
                "seat_rule": "Kommuncheferna i Umeåregionens kommuner.",
                "quorum_rule": Q.NONE,
                "chair_rule": ChairRule.HOST_CHAIR_NEXT_VICE,
            },
        ),
        (
            "overformyndarnamnd",
            "Överförmyndarnämnden",
            BodyKind.JOINT_COMMITTEE,
            None,
            {
                "mandate": "Gemensam nämnd för överförmyndare i Bjurholm, Nordmaling, Robertsfors, "
                "Umeå, Vindeln, Vännäs och Örnsköldsvik: motverkar genom tillsyn "
                "rättsförluster för personer som inte själva kan tillvara sina rättigheter.",
                "seat_rule": "Tio ledamöter och tio ersättare: Umeå tre, Örnsköldsvik två och övriga "
                "kommuner en ledamot med ersättare var. Efter allmänna val väljer "
                "kommunfullmäktige i respektive kommun ledamöter och ersättare för "
                "längst fyra år.",
                "chair_rule": ChairRule.HOST_BOTH,
                "host": "2480",
            },
        ),
        (
            "brand-och-raddningsnamnden",
            "Brand- och räddningsnämnden",
            BodyKind.JOINT_COMMITTEE,
            None,
            {
                "mandate": "Gemensam för Robertsfors, Umeå och Vindeln: kommunernas räddningstjänst "
                "och tillsyn och tillstånd enligt lagen (2010:1011) om brandfarliga och "
                "explosiva varor.",
                "seat_rule": "Fyra ledamöter och fyra ersättare: Umeå två, Robertsfors och Vindeln "
                "en ledamot och en ersättare vardera. Värdkommunen väljer ordförande "
                "och vice ordförande.",
                "chair_rule": ChairRule.HOST_BOTH,
                "host": "2480",
            },
        ),
        (
            "personaladministrativa-namnden",
            "Personaladministrativa nämnden",
            BodyKind.JOINT_COMMITTEE,
            None,
            {
                "mandate": "Drift och hantering av personaladministrativa system för Umeå, Bjurholm, "
                "Nordmaling, Robertsfors, Vindeln och Vännäs.",
                "seat_rule": "Källan anger nio ledamöter och nio ersättare men fördelar sju: Umeå två "
                "ledamöter och två ersättare; Bjurholm, Nordmaling, Robertsfors, Vindeln "
                "och Vännäs en ledamot och en ersättare vardera. Värdkommunen utser "
                "ordförande och vice ordförande.",
                "chair_rule": ChairRule.HOST_BOTH,
                "host": "2480",
            },
        ),
        (
            "it-namnden",
            "Nämnden för grundläggande IT-kapacitetstjänster",
            BodyKind.JOINT_COMMITTEE,
            None,
            {
                "mandate": "Gemensam för Umeå, Vännäs och Skellefteå: lagring, virtualisering och "
                "backup för kommunernas IT-verksamhet.",
                "seat_rule": "Sex ledamöter och sex ersättare: Umeå, Skellefteå och Vännäs två "
                "vardera. Varje år nominerar en av kommunerna ordföranden, i tur och "
                "ordning; Umeå kommunfullmäktige väljer ordförande.",
                "chair_rule": ChairRule.HOST_CHAIR,
                "host": "2480",
                "outside_parties": "Skellefteå kommun",
            },
        ),
    ],
}

# body slug -> [(municipality code or None, label, members, substitutes)]
SEATS = {
    "norrbotten": {
        "styrelse": [(code, "Kommunstyrelsens ordförande", 1, 0) for code in NORRBOTTEN]
        + [(None, "Riksdagsparti utan kommunstyrelsens ordförande i länet", 1, 0)],
        "kommundirektorsberedning": [(code, "Kommundirektör", 1, 0) for code in NORRBOTTEN],
    },
    "vasternorrland": {
        "styrelse": [(code, "Kommunalråd och oppositionsråd", 2, 0) for code in VASTERNORRLAND],
    },
    "umearegionen": {
        "umearegionradet": [
            (code, "Majoritetens och minoritetens ledande företrädare", 2, 0)
            for code in UMEAREGIONEN
        ],
        "kommunchefsgruppen": [(code, "Kommunchef", 1, 0) for code in UMEAREGIONEN],
        "overformyndarnamnd": [("2480", "", 3, 3), ("2284", "", 2, 2), ("2403", "", 1, 1),
                               ("2401", "", 1, 1), ("2409", "", 1, 1), ("2404", "", 1, 1),
                               ("2460", "", 1, 1)],
        "brand-och-raddningsnamnden": [("2480", "", 2, 2), ("2409", "", 1, 1),
                                       ("2404", "", 1, 1)],
        "personaladministrativa-namnden": [("2480", "", 2, 2), ("2403", "", 1, 1),
                                           ("2401", "", 1, 1), ("2409", "", 1, 1),
                                           ("2404", "", 1, 1), ("2460", "", 1, 1)],
        "it-namnden": [("2480", "", 2, 2), ("2482", "", 2, 2), ("2460", "", 2, 2)],
    },
}  # fmt: skip

# The people Umeåregionen's business plan names for 2023: (first, last, municipality, body,
# seat municipality, role).
NAMED_2023 = [
    ("Mathias", "Haglund", "2404", "umearegionradet", "chair"),
    ("Tomas", "Nilsson", "2404", "umearegionradet", "vice_chair"),
    ("Therese", "Berg", "2404", "kommunchefsgruppen", "chair"),
    ("Margaretha", "Alfredsson", "2480", "kommunchefsgruppen", "vice_chair"),
]

DEMO_ACCOUNTS = [
    # e-mail, first, last, body, role, label in the account list
    ("styrelseledamot@demo.samverka.se", "Stina", "Styrelseledamot", "styrelse", "member",
     "board member – Norrbottens Kommuner (demo person)"),
    ("beredningsledamot@demo.samverka.se", "Bengt", "Beredningsledamot", "socialberedning",
     "member", "committee member – Socialberedning (demo person)"),
]  # fmt: skip


def seed(out) -> dict[str, str]:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    accounts: dict[str, str] = {}
    for slug, bodies in BODIES.items():
        association = Association.objects.get(slug=slug)
        with tenant_scope(association):
            terms = _terms(association)
            rotation = _rotation(association, municipalities) if slug == "umearegionen" else None
            by_slug = _bodies(association, bodies, municipalities, rotation)
            _seats(association, by_slug, SEATS.get(slug, {}), municipalities)
            if slug == "umearegionen":
                _named_2023(association, by_slug, terms[0], municipalities)
            if slug == "norrbotten":
                accounts.update(_demo_accounts(association, by_slug, terms))
        out.write(f"  {association.name}: {len(by_slug)} bodies")
    return accounts


def _terms(association) -> list[Term]:
    result = []
    for name, start, end in TERMS:
        term = Term.objects.filter(association=association, name=name).first()
        if term is None:
            term = services.create_term(
                association=association, actor=None, name=name, starts_on=start, ends_on=end
            )
        result.append(term)
    return result


def _rotation(association, municipalities) -> HostRotation:
    rotation = HostRotation.objects.filter(association=association, name="Värdkommun").first()
    if rotation is None:
        rotation = services.set_rotation(
            association=association, actor=None, name="Värdkommun", first_year=2023,
            municipalities=[municipalities[code] for code in UMEA_ROTATION],
            notes="Värdkommunen har ordförande- och vice ordförandeskapet i Umeåregionrådet, "
                  "ordförandeskapet i kommunchefsgruppen samt vissa prioriterade arbetsgrupper "
                  "under ett år. Vice ordförande i kommunchefsgruppen kommer från nästa "
                  "värdkommun. Överlämningsmöte i december.",
        )  # fmt: skip
    return rotation


def _bodies(association, bodies, municipalities, rotation) -> dict[str, Body]:
    by_slug = {b.slug: b for b in Body.objects.filter(association=association)}
    for order, (slug, name, kind, parent, fields) in enumerate(bodies):
        if slug in by_slug:
            continue
        fields = dict(fields)
        host = fields.pop("host", None)
        if host:
            fields["fixed_host"] = municipalities[host]
        if (
            rotation is not None
            and fields.get("chair_rule") in (ChairRule.HOST_BOTH, ChairRule.HOST_CHAIR_NEXT_VICE)
            and not host
        ):
            fields["host_rotation"] = rotation
        by_slug[slug] = services.create_body(
            association=association, actor=None, slug=slug, name=name, kind=kind,
            reports_to=by_slug.get(parent) if parent else None, ordering=order * 10,
            members_information="Handlingar skickas ut en vecka före mötet.", **fields,
        )  # fmt: skip
    return by_slug


def _seats(association, by_slug, seats, municipalities) -> None:
    for body_slug, rows in seats.items():
        body = by_slug[body_slug]
        if Seat.objects.filter(body=body).exists():
            continue
        for order, (code, label, members, substitutes) in enumerate(rows):
            services.create_seat(
                body=body, actor=None, municipality=municipalities.get(code) if code else None,
                label=label, members=members, substitutes=substitutes, ordering=order * 10,
            )  # fmt: skip


def _person(association, first, last, **fields) -> Person:
    person = Person.objects.filter(
        association=association, first_name=first, last_name=last
    ).first()
    if person is None:
        person = services.create_person(
            association=association, actor=None, first_name=first, last_name=last, **fields
        )
    return person


def _named_2023(association, by_slug, term, municipalities) -> None:
    for first, last, code, body_slug, role in NAMED_2023:
        person = _person(association, first, last, municipality=municipalities[code])
        body = by_slug[body_slug]
        if Assignment.objects.filter(body=body, person=person).exists():
            continue
        seat = Seat.objects.filter(body=body, municipality=municipalities[code]).first()
        services.create_assignment(
            body=body, actor=None, person=person, seat=seat, term=term, role=role,
            starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31),
        )  # fmt: skip


def _demo_accounts(association, by_slug, terms) -> dict[str, str]:
    """The demo logins sit in both terms (re-elected for 2027–2030), so the demo keeps
    working after the turn of the term."""
    accounts = {}
    for email, first, last, body_slug, role, label in DEMO_ACCOUNTS:
        user = create_account(email=email, first_name=first, last_name=last,
                              password=DEMO_PASSWORD)  # fmt: skip
        person = _person(association, first, last, email=email, is_demo=True,
                         title="Demoperson")  # fmt: skip
        if person.user_id is None:
            services.link_account(person=person, user=user, actor=None)
        body = by_slug[body_slug]
        for term in terms:
            if Assignment.objects.filter(body=body, person=person, term=term).exists():
                continue
            seat = Seat.objects.filter(body=body, municipality__isnull=True).first()
            services.create_assignment(
                body=body, actor=None, person=person, seat=seat, term=term, role=role,
                starts_on=term.starts_on, ends_on=term.ends_on,
            )  # fmt: skip
        accounts[email] = label
    return accounts
