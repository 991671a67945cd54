"""National figures are platform data: staff see the source, platform admins see who."""

from decimal import Decimal

from members.services import set_figures
from tests import factories
from tests.members.conftest import make_members


def test_association_staff_see_the_platform_not_the_person(client, association):
    own_staff = factories.make_staff(association, "editor", "own.editor@example.org")
    admin = factories.make_platform_admin("plattformsadmin@example.org")
    [membership] = make_members(association, ["2580"])
    set_figures(
        kind="population", values={("2580", 2023): Decimal(80_000)}, source="SCB BE0101",
        actor=admin,
    )  # fmt: skip
    set_figures(
        kind="tax_capacity", values={("00", 2024): Decimal(271_000)}, source="SCB OE0101",
        actor=admin,
    )  # fmt: skip
    client.force_login(own_staff)
    for url in (f"/norrbotten/medlemmar/{membership.pk}/", "/norrbotten/medlemmar/siffror/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "SCB" in page.text
        assert "plattformsadmin@example.org" not in page.text, url
        assert str(admin) not in page.text, url
    assert (
        "The platform (national figures)"
        in client.get(f"/norrbotten/medlemmar/{membership.pk}/").text
    )
    figures = client.get("/norrbotten/medlemmar/siffror/").text
    assert "80,000" in figures or "80 000" in figures or "80000" in figures
    assert "271" in figures


def test_platform_admins_see_who_changed_the_national_figures(client, db):
    admin = factories.make_platform_admin("plattformsadmin@example.org")
    set_figures(
        kind="population", values={("2580", 2023): Decimal(80_000)}, source="SCB", actor=admin
    )
    client.force_login(factories.make_platform_admin())
    page = client.get("/plattform/siffror/")
    assert page.status_code == 200
    assert str(admin) in page.text
    assert "Luleå" in page.text
