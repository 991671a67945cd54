"""Demo bodies from the source documents, with a board member and a committee member."""

from datetime import date

from association.demo import DEMO_PASSWORD
from association.models import Association
from association.services import create_person
from association.tenancy import tenant_scope
from governance.models import Body, BodyKind, Seat, SeatRole
from governance.services import grant_seat

TERM_START, TERM_END = date(2023, 1, 1), date(2026, 12, 31)

BODIES = {
    "norrbotten": [
        (
            "forbundsfullmaktige",
            "Förbundsfullmäktige",
            BodyKind.ASSEMBLY,
            "Samlas årligen för att besluta om verksamhetsplan och budget; vart fjärde år om "
            "inriktningsdokument och styrelse för kommande mandatperiod.",
        ),
        (
            "styrelse",
            "Styrelse",
            BodyKind.BOARD,
            "Kommunstyrelsernas ordförande i de 14 kommunerna samt representanter för "
            "riksdagspartier utan kommunstyrelsepost i länet. Fyra till fem sammanträden per år.",
        ),
        (
            "kommundirektorsberedning",
            "Kommundirektörsberedning",
            BodyKind.CHIEF_EXECUTIVES,
            "Förbundsdirektören samlar kommundirektörerna från de 14 kommunerna några veckor "
            "före varje styrelsemöte.",
        ),
        (
            "socialberedning",
            "Socialberedning",
            BodyKind.PREPARATORY_COMMITTEE,
            "Förbundets egen beredning, utsedd av styrelsen.",
        ),
        (
            "utbildningsberedning",
            "Utbildningsberedning",
            BodyKind.PREPARATORY_COMMITTEE,
            "Förbundets egen beredning, utsedd av styrelsen.",
        ),
        (
            "tillvaxtberedning",
            "Tillväxtberedning",
            BodyKind.PREPARATORY_COMMITTEE,
            "Gemensamt beredningsorgan för Norrbottens Kommuners och Region Norrbottens styrelser.",
        ),
        (
            "kulturberedning",
            "Kulturberedning",
            BodyKind.PREPARATORY_COMMITTEE,
            "Samordnar kulturfrågor mellan kommunerna och Region Norrbotten.",
        ),
    ],
    "vasternorrland": [
        ("forbundsmote", "Förbundsmöte", BodyKind.ASSEMBLY, "Förbundets högsta beslutande organ."),
        ("styrelse", "Styrelse", BodyKind.BOARD, "Följer verksamheten genom tertialrapporter."),
    ],
    "umearegionen": [
        (
            "umearegionradet",
            "Umeåregionrådet",
            BodyKind.COUNCIL,
            "Majoritets- och minoritetsföreträdare från varje kommun; cirka fyra möten per år. "
            "Inriktningsbeslut tas i konsensus.",
        ),
        (
            "kommunchefsgruppen",
            "Kommunchefsgruppen",
            BodyKind.CHIEF_EXECUTIVES,
            "Kommuncheferna i de sju kommunerna; tar emot arbetsgruppernas årliga avrapportering.",
        ),
        (
            "overformyndarnamnd",
            "Gemensam överförmyndarnämnd",
            BodyKind.JOINT_COMMITTEE,
            "Tio ledamöter och tio ersättare: Umeå tre, Örnsköldsvik två, övriga kommuner en var. "
            "Umeå är värdkommun och utser ordförande och vice ordförande.",
        ),
    ],
}


def seed(out) -> dict[str, str]:
    accounts: dict[str, str] = {}
    for slug, bodies in BODIES.items():
        association = Association.objects.get(slug=slug)
        with tenant_scope(association):
            for order, (body_slug, name, kind, description) in enumerate(bodies):
                # A body that exists keeps whatever its association changed.
                Body.objects.get_or_create(
                    association=association, slug=body_slug,
                    defaults={"name": name, "kind": kind, "description": description,
                              "ordering": order * 10,
                              "members_information": "Handlingar skickas ut en vecka före mötet."},
                )  # fmt: skip
    norrbotten = Association.objects.get(slug="norrbotten")
    with tenant_scope(norrbotten):
        for email, first, last, body_slug, role, label in [
            (
                "styrelseledamot@demo.samverka.se",
                "Stina",
                "Styrelseledamot",
                "styrelse",
                SeatRole.MEMBER,
                "board member – Norrbottens Kommuner",
            ),
            (
                "beredningsledamot@demo.samverka.se",
                "Bengt",
                "Beredningsledamot",
                "socialberedning",
                SeatRole.MEMBER,
                "committee member – Socialberedning",
            ),
        ]:
            user = create_person(
                email=email, first_name=first, last_name=last, password=DEMO_PASSWORD
            )
            body = Body.objects.get(association=norrbotten, slug=body_slug)
            if not Seat.objects.filter(body=body, user=user).exists():
                grant_seat(body=body, user=user, role=role, starts_on=TERM_START,
                           ends_on=TERM_END, actor=None)  # fmt: skip
            accounts[email] = label
    return accounts
