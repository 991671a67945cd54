"""Host municipalities: the rotation over its wrap-around, and next year's chairs proposed
for staff to confirm."""

from datetime import date

import pytest

from association.tenancy import scopes_disabled
from governance import services
from governance.models import Assignment
from members.models import Municipality
from tests import factories

# The rotation starts with the test term, whatever year the suite runs in.
Y0 = factories.TERM_START.year

# Umeåregionen from 2023: Vindeln, then Vännäs, Örnsköldsvik, Bjurholm, Nordmaling,
# Robertsfors, Umeå, and Vindeln again.
ORDER = ["2404", "2460", "2284", "2403", "2401", "2409", "2480"]


@pytest.fixture
def rotation(association):
    with scopes_disabled():
        places = [Municipality.objects.get(code=code) for code in ORDER]
        return services.set_rotation(
            association=association, actor=None, name="Värdkommun", first_year=Y0,
            municipalities=places,
        )  # fmt: skip


def names(rotation, years):
    with scopes_disabled():
        return [rotation.host(year).name if rotation.host(year) else None for year in years]


def test_the_rotation_follows_the_table_and_wraps_around(rotation):
    assert names(rotation, range(Y0, Y0 + 8)) == [
        "Vindeln", "Vännäs", "Örnsköldsvik", "Bjurholm", "Nordmaling", "Robertsfors", "Umeå",
        "Vindeln",
    ]  # fmt: skip
    with scopes_disabled():
        # The chief executives' vice chair comes from the next in line (the source's table).
        assert rotation.next_in_line(Y0 + 1).name == "Örnsköldsvik"
        assert rotation.next_in_line(Y0 + 6).name == "Vindeln"  # over the wrap-around
        assert rotation.next_in_line(Y0 + 7).name == "Vännäs"
        assert rotation.host(Y0 - 1) is None  # before the first year
        assert rotation.host(Y0 + 7 * 10).name == "Vindeln"


def test_the_public_page_shows_who_hosts_which_year(client, rotation):
    page = client.get("/norrbotten/organ/vardkommuner/").text
    assert "Värdkommun" in page and "Bjurholm" in page


def test_a_rotation_is_entered_once_by_name_or_code(client, association):
    client.force_login(factories.make_staff(association, "editor"))
    response = client.post("/norrbotten/organ/vardkommuner/ny/", {
        "name": "IT-nämndens ordförande", "first_year": Y0,
        "municipalities": "Umeå\n2482\n vännäs \n",
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post("/norrbotten/organ/vardkommuner/ny/", {
        "name": "Fel", "first_year": Y0, "municipalities": "Umeå\nAtlantis\nUmeå",
    })  # fmt: skip
    assert response.status_code == 200 and "Atlantis" in response.text
    from governance.models import HostRotation

    with scopes_disabled():
        it = HostRotation.objects.get(name="IT-nämndens ordförande")
        assert [p.municipality.code for p in it.places_in_order()] == ["2480", "2482", "2460"]


@pytest.fixture
def council(association, rotation):
    """Two members from Vindeln and one from Vännäs, all for the whole term."""
    factories.make_term(association)
    body = factories.make_body(
        association, "rad", kind="council", name="Umeåregionrådet", chair_rule="host_both",
        host_rotation=rotation,
    )  # fmt: skip
    people = {}
    with scopes_disabled():
        for code, count in (("2404", 2), ("2460", 2)):
            municipality = Municipality.objects.get(code=code)
            seat = factories.make_post(body, code, members=2)
            for number in range(count):
                person = factories.make_person(
                    association, municipality=municipality, last_name=f"{municipality.name}{number}"
                )
                factories.assign(body, person, seat=seat)
                people[person.last_name] = person
    return body, people


def test_next_years_chairs_are_proposed_from_the_host(council):
    body, _people = council
    with scopes_disabled():
        proposal = services.chair_proposal(body=body, year=Y0 + 1)  # Vännäs hosts the second year
    assert [p.role for p in proposal] == ["chair", "vice_chair"]
    assert all(p.municipality.name == "Vännäs" for p in proposal)
    assert {p.assignment.person.last_name for p in proposal} == {"Vännäs0", "Vännäs1"}
    assert all(p.can_confirm for p in proposal)


def test_confirming_splits_the_members_assignments_around_the_year(client, council, association):
    body, people = council
    client.force_login(factories.make_staff(association, "editor"))
    page = client.get(f"/norrbotten/organ/rad/ordforande/?year={Y0 + 1}").text
    assert "Vännäs0" in page
    response = client.post("/norrbotten/organ/rad/ordforande/", {"year": Y0 + 1})
    assert response.status_code == 302
    with scopes_disabled():
        pieces = list(
            Assignment.objects.filter(person=people["Vännäs0"]).order_by("starts_on")
            .values_list("role", "starts_on", "ends_on")
        )  # fmt: skip
    assert pieces == [
        ("member", date(Y0, 1, 1), date(Y0, 12, 31)),
        ("chair", date(Y0 + 1, 1, 1), date(Y0 + 1, 12, 31)),
        ("member", date(Y0 + 2, 1, 1), date(Y0 + 3, 12, 31)),
    ]
    # The composition on a day in 2024 shows the chair; confirming again changes nothing.
    assert "Ordförande" in client.get(f"/norrbotten/organ/rad/?datum={Y0 + 1}-05-01").text
    client.post("/norrbotten/organ/rad/ordforande/", {"year": Y0 + 1})
    with scopes_disabled():
        assert Assignment.objects.filter(person=people["Vännäs0"]).count() == 3
        proposal = services.chair_proposal(body=body, year=Y0 + 1)
    assert all(p.already is not None for p in proposal)


def test_a_host_without_members_in_the_body_gets_no_proposal(council):
    body, _people = council
    with scopes_disabled():
        proposal = services.chair_proposal(body=body, year=Y0 + 2)  # Örnsköldsvik: no one
    assert [p.assignment for p in proposal] == [None, None]
    assert proposal[0].municipality.name == "Örnsköldsvik"


def test_the_vice_chair_from_the_next_in_line(association, rotation):
    factories.make_term(association)
    body = factories.make_body(
        association, "kc", kind="chief_executives", chair_rule="host_chair_next_vice",
        host_rotation=rotation,
    )  # fmt: skip
    with scopes_disabled():
        for code in ("2460", "2284"):
            seat = factories.make_post(body, code)
            person = factories.make_person(
                association, municipality=Municipality.objects.get(code=code)
            )
            factories.assign(body, person, seat=seat)
        proposal = services.chair_proposal(body=body, year=Y0 + 1)
    assert [(p.role, p.municipality.name) for p in proposal] == [
        ("chair", "Vännäs"), ("vice_chair", "Örnsköldsvik"),
    ]  # fmt: skip
    assert all(p.assignment is not None for p in proposal)


def test_a_fixed_host_and_a_chair_that_rotates(association, rotation):
    with scopes_disabled():
        umea = Municipality.objects.get(code="2480")
    fixed = factories.make_body(association, "overformyndare", kind="joint_committee",
                                chair_rule="host_both", fixed_host=umea)  # fmt: skip
    it = factories.make_body(association, "it", kind="joint_committee", chair_rule="host_chair",
                             fixed_host=umea, host_rotation=rotation)  # fmt: skip
    with scopes_disabled():
        assert fixed.host(Y0 + 1) == umea and fixed.host(Y0 + 8) == umea
        assert it.host(Y0 + 1).name == "Vännäs"  # the chair's turn, not the fixed host
        assert [p.role for p in services.chair_proposal(body=it, year=Y0 + 1)] == ["chair"]
        # Without the rotation entered, a rotating chair has no one to propose.
        it.host_rotation = None
        assert [p.municipality for p in services.chair_proposal(body=it, year=Y0 + 1)] == [None]


def test_december_reminds_staff_once_to_confirm_next_years_chairs(
    council, association, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    """The hand-over reminder is a kind of the notifications mechanism: the hourly scan
    makes it on the first December morning at 08:00, once per body and year."""
    from association.notifications import services as notifications
    from association.notifications.kinds import local_moment
    from association.tenancy import tenant_scope

    factories.make_staff(association, "editor", "redaktor@example.org")
    factories.make_staff(association, "viewer", "lasare@example.org")

    def run(day, hour=8):
        with tenant_scope(association), django_capture_on_commit_callbacks(execute=True):
            return notifications.scan(association, local_moment(day).replace(hour=hour))

    assert run(date(Y0, 11, 30)) == 0  # only in December
    assert run(date(Y0, 12, 1), hour=7) == 0  # at 08:00
    assert run(date(Y0, 12, 1)) == 1  # Vännäs hosts the second year and has members to propose
    assert run(date(Y0, 12, 2)) == 1  # still waiting: found again, but made once
    assert [m["To"] for m in smtp_server.messages] == ["redaktor@example.org"]
    body = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert f"/norrbotten/organ/rad/ordforande/?year={Y0 + 1}" in body
    assert f"{Y0 + 1}" in smtp_server.messages[0]["Subject"]
    assert "ordförande" in smtp_server.messages[0]["Subject"].lower()  # in Swedish


def test_the_reminder_task_sweeps_every_association(council):
    from association.notifications.tasks import scan_reminders

    factories.make_association("annat-forbund")
    result = scan_reminders()
    assert set(result) == {"norrbotten", "annat-forbund"}
    assert result["annat-forbund"] == 0  # no bodies there


def test_a_hand_over_meeting_to_plan_is_reminded_once_until_one_is_planned(
    council, association, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    """Where the host changes at the turn of the year, staff are reminded 30 days before
    1 December to plan the hand-over meeting; a December meeting planned ends it."""
    from association.notifications import services as notifications
    from association.notifications.kinds import local_moment
    from association.tenancy import tenant_scope
    from governance.meetings.notifications import HANDOVER_MEETING

    body, _people = council
    factories.make_staff(association, "editor", "redaktor@example.org")

    def run(day):
        with tenant_scope(association), django_capture_on_commit_callbacks(execute=True):
            return notifications.scan(association, local_moment(day))

    def found(day):
        with tenant_scope(association):
            return [o.key for o in HANDOVER_MEETING.find(association, local_moment(day), 30)]

    assert found(date(Y0, 10, 31)) == []  # before the lead time
    assert run(date(Y0, 11, 1)) >= 1
    handover = [m for m in smtp_server.messages if "överlämningsmötet" in m["Subject"]]
    assert [m["To"] for m in handover] == ["redaktor@example.org"]
    text = handover[0].get_body(("plain",)).get_content()
    assert "Vindeln" in text and "Vännäs" in text  # the outgoing and the incoming host
    assert f"/norrbotten/moten/organ/rad/{Y0}/" in text
    run(date(Y0, 11, 2))
    assert (
        len([m for m in smtp_server.messages if "överlämningsmötet" in m["Subject"]]) == 1
    )  # once

    assert found(date(Y0, 11, 20)) == [f"handover:{body.pk}:{Y0}"]
    factories.make_meeting(body, local_moment(date(Y0, 12, 10)).replace(hour=13))
    assert found(date(Y0, 11, 20)) == []  # planned: nothing more to remind of
