"""Demo associations: the three first customers, from the source documents in shared/seeds."""

from association.models import Association, RoleAssignment, StaffRole
from association.services import assign_role, create_person
from association.tenancy import tenant_scope

DEMO_PASSWORD = "samverka-demo-2026"

ASSOCIATIONS = [
    {
        "slug": "norrbotten",
        "name": "Norrbottens Kommuner",
        "short_name": "Norrbottens Kommuner",
        "organisation_number": "222000-0653",
        "legal_form": "Ideell förening",
        "vision": "Norrbottens kommuner – en samlad och tydlig röst, både hemma och ute i världen.",
        "mission": (
            "Norrbottens Kommuner är ett kommunförbund som ägs av länets 14 kommuner. "
            "Grunduppdraget för förbundet är att i nära samarbete med medlemmarna organisera, "
            "driva och utveckla arenor och nätverk för dialog och kunskapsutveckling."
        ),
        "business_idea": (
            "Norrbottens Kommuner ska genom ett processinriktat arbetssätt och utvecklat "
            "beredningsförfarande företräda, samordna och stödja kommunerna i det gemensamma "
            "arbetet för en hållbar samhällsutveckling i ett lokalt, nationellt och "
            "internationellt perspektiv."
        ),
        "city": "Luleå",
        "primary_colour": "#00507a",
        "accent_colour": "#8a3b12",
    },
    {
        "slug": "vasternorrland",
        "name": "Kommunförbundet Västernorrland",
        "short_name": "KFVN",
        "vision": "Tillsammans för välfärd och utveckling",
        "mission": (
            "Vårt uppdrag är att stödja kommunerna i det primärkommunala uppdraget att leverera "
            "välfärdstjänster av god kvalitet till sina medborgare. Vårt arbete genomsyras av "
            "hög grad av delaktighet, jämställdhet och alla människors lika värde."
        ),
        "street_address": "Järnvägsgatan 2",
        "postal_code": "871 45",
        "city": "Härnösand",
        "phone": "0611-55 54 00",
        "email": "info@kfvn.se",
        "website": "https://kfvn.se",
        "primary_colour": "#2d5f2e",
        "accent_colour": "#6b2c6e",
    },
    {
        "slug": "umearegionen",
        "name": "Umeåregionen",
        "short_name": "Umeåregionen",
        "vision": "Världens bästa livsmiljö för 300 000 invånare år 2050!",
        "mission": (
            "Utveckla arbetsmarknadsregionen och effektivisera kommunal verksamhet, på "
            "demokratisk grund: inriktningsbeslut tas alltid i konsensus och varje kommun är "
            "självstyrande."
        ),
        "business_idea": (
            "Bjurholm, Vindeln, Vännäs, Robertsfors, Nordmaling och Umeå kommuner har "
            "samarbetat sedan 1993; Örnsköldsviks kommun gick med 2013."
        ),
        "city": "Umeå",
        "primary_colour": "#6a1b4d",
        "accent_colour": "#1d4f91",
    },
]


def demo_logo(association: Association) -> bytes:
    """A plain monogram in the association's colour: demo data needs a logo to show."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (120, 120), association.primary_colour)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 46)
    except OSError:
        font = ImageFont.load_default(size=46)
    words = (association.short_name or association.name).split()
    initials = "".join(word[0] for word in words[:3]).upper()
    draw.rounded_rectangle((8, 8, 112, 112), radius=18, fill="#ffffff")
    draw.text((60, 60), initials, fill=association.primary_colour, font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def demo_email(role: str, slug: str) -> str:
    return f"{role}.{slug}@demo.samverka.se"


def seed(out) -> dict[str, str]:
    """Create the demo associations and staff that are missing; returns the demo accounts.

    Running it again never overwrites: rows that exist (an association's profile, a role,
    an account) are left as the people using the demo changed them."""
    accounts: dict[str, str] = {}
    admin = create_person(
        email="admin@demo.samverka.se", first_name="Plattforms", last_name="Admin",
        password=DEMO_PASSWORD, is_superuser=True,
    )  # fmt: skip
    accounts[admin.email] = "platform admin"
    for data in ASSOCIATIONS:
        fields = {key: value for key, value in data.items() if key != "slug"}
        association, created = Association.objects.get_or_create(
            slug=data["slug"], defaults={**fields, "is_demo": True}
        )
        # A new association gets its logo; an existing one only if its file went missing
        # (a cleared logo stays cleared).
        if created or (
            association.logo and not association.logo.storage.exists(association.logo.name)
        ):
            from django.core.files.base import ContentFile

            association.logo.save(f"{association.slug}.png", ContentFile(demo_logo(association)))
        with tenant_scope(association):
            for role, label in [
                (StaffRole.ADMINISTRATOR, "administratör"),
                (StaffRole.EDITOR, "handläggare"),
                (StaffRole.VIEWER, "läsare"),
            ]:
                user = create_person(
                    email=demo_email(role.value, data["slug"]),
                    first_name=label.capitalize(), last_name=association.display_name,
                    password=DEMO_PASSWORD,
                )  # fmt: skip
                if not RoleAssignment.objects.filter(association=association, user=user).exists():
                    assign_role(
                        association=association, user=user, role=role, actor=None,
                        first_name=label.capitalize(), last_name=association.display_name,
                    )  # fmt: skip
                accounts[user.email] = f"{role.label} – {association.name}"
        out.write(f"  {association.name}: /{association.slug}/")
    return accounts
