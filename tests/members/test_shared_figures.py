"""The yearly figures are shared, but who imported them through another association is not."""

from decimal import Decimal

from association.tenancy import scopes_disabled
from members.services import set_figures
from tests import factories
from tests.members.conftest import make_members


def test_figure_history_hides_people_of_other_associations(client, association, other_association):
    own_staff = factories.make_staff(association, "editor", "own.editor@example.org")
    foreign_staff = factories.make_staff(other_association, "editor", "foreign.editor@example.org")
    [membership] = make_members(association, ["2580"])
    with scopes_disabled():
        set_figures(
            kind="population", values={("2580", 2023): Decimal(80_000)}, source="SCB",
            actor=foreign_staff, via_association=other_association,
        )  # fmt: skip
        set_figures(
            kind="population", values={("2580", 2024): Decimal(80_500)}, source="SCB",
            actor=own_staff, via_association=association,
        )  # fmt: skip
    client.force_login(own_staff)
    page = client.get(f"/norrbotten/medlemmar/{membership.pk}/")
    assert page.status_code == 200
    assert "80" in page.text
    assert "foreign.editor@example.org" not in page.text
    assert str(foreign_staff) not in page.text
    assert str(own_staff) in page.text


def test_import_page_does_not_name_who_imported_the_national_figures(
    client, association, other_association
):
    own_staff = factories.make_staff(association, "editor")
    foreign_staff = factories.make_staff(other_association, "editor", "utrikes@example.org")
    with scopes_disabled():
        set_figures(
            kind="tax_capacity", values={("00", 2024): Decimal(271_000)}, source="SCB",
            actor=foreign_staff, via_association=other_association,
        )  # fmt: skip
    client.force_login(own_staff)
    page = client.get("/norrbotten/medlemmar/import/")
    assert page.status_code == 200
    assert "271" in page.text
    assert "utrikes@example.org" not in page.text
    assert str(foreign_staff) not in page.text
