"""Networks: membership gives access to that network's material and nothing else; the
public sees names only where the list is public; assignments keep a dated status history;
the missing yearly reports; reminders."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from association.tenancy import scopes_disabled
from networks import queries, services
from networks.models import WorkAssignmentUpdate
from tests import factories
from tests.networks.conftest import make_network, seat_user

pytestmark = pytest.mark.django_db


def test_a_network_is_a_body_that_governance_charts_leave_out(association, network):
    from governance.queries import org_chart

    board = factories.make_body(association)
    with scopes_disabled():
        assert network.body.kind == "network"
        assert network.body.is_formal is False
        chart = org_chart(association, timezone.localdate())
    assert [node.body for node in chart] == [board]


def test_membership_opens_that_networks_material_and_nothing_else(
    client, association, network, other_network
):
    from association.permissions import Access

    board = factories.make_body(association)
    user = seat_user(network, municipality=None)
    client.force_login(user)
    own = client.get(f"/norrbotten/natverk/{network.body.slug}/medlemmar/")
    assert own.status_code == 200
    assert "070-123 45 67" in own.text and user.email in own.text  # contact details
    other = client.get(f"/norrbotten/natverk/{other_network.body.slug}/medlemmar/")
    assert other.status_code == 403
    # Meetings: the network's own agenda, not the board's.
    own_meeting = factories.make_meeting(network.body, factories.days_from_today(7), notice=True)
    board_meeting = factories.make_meeting(board, factories.days_from_today(7), notice=True)
    assert client.get(f"/norrbotten/moten/{own_meeting.pk}/dagordning/").status_code == 200
    assert client.get(f"/norrbotten/moten/{board_meeting.pk}/dagordning/").status_code == 403
    # The association-wide BODY_MEMBER level (room booking, the people's contact details
    # on the body pages) does not come with a network seat.
    from association.permissions import user_has_access

    request = client.get("/norrbotten/natverk/").wsgi_request
    assert user_has_access(request, Access.BODY_MEMBER) is False
    assert client.get("/norrbotten/lokaler/").status_code == 403


def test_a_board_member_keeps_body_member_rights(client, association, network):
    from association.permissions import Access, user_has_access

    board = factories.make_body(association)
    user = factories.make_member(board)
    client.force_login(user)
    request = client.get("/norrbotten/natverk/").wsgi_request
    assert user_has_access(request, Access.BODY_MEMBER) is True
    # ...but not another group's members' page.
    assert client.get(f"/norrbotten/natverk/{network.body.slug}/medlemmar/").status_code == 403


def test_public_page_shows_names_only_where_the_list_is_public(client, association, network):
    user = factories.make_user(first_name="Nora", last_name="Nätverksson")
    seat_user(network, user=user)
    page = client.get(f"/norrbotten/natverk/{network.body.slug}/")
    assert page.status_code == 200
    assert "Nätverksson" not in page.text
    assert "inte offentlig" in page.text or "not public" in page.text
    with scopes_disabled():
        network.member_list_public = True
        network.save()
    page = client.get(f"/norrbotten/natverk/{network.body.slug}/")
    assert "Nätverksson" in page.text
    assert user.email not in page.text and "070-123" not in page.text
    # The governance body page sends the public to the network page.
    moved = client.get(f"/norrbotten/organ/{network.body.slug}/")
    assert moved.status_code == 302
    assert moved["Location"] == f"/norrbotten/natverk/{network.body.slug}/"


def test_members_are_per_municipality_seats(association, network):
    from governance.models import Seat

    first = seat_user(network, municipality=_municipality("2580"))
    second = seat_user(network, municipality=_municipality("2580"))
    seat_user(network, municipality=_municipality("2581"))
    with scopes_disabled():
        seats = {s.municipality.code: s.members for s in Seat.objects.filter(body=network.body)}
        taking_part = queries.municipalities_taking_part([network.body_id])[network.body_id]
    assert seats == {"2580": 2, "2581": 1}
    assert taking_part == ["Luleå", "Piteå"]
    assert first != second


def _municipality(code):
    from members.models import Municipality

    return Municipality.objects.get(code=code)


def test_an_operational_group_reports_to_its_network(association, network):
    with scopes_disabled():
        group = make_network(association, slug="operativ-grupp", name="Operativ grupp",
                             kind="operational", parent=network)  # fmt: skip
        assert group.body.reports_to == network.body
        assert group.body.kind == "working_group"
        groups = queries.grouped(list(queries.networks(association)))
    assert [n.pk for n in groups[0].networks] == [network.pk]
    assert [n.pk for n in groups[0].networks[0].child_groups] == [group.pk]


def test_assignment_status_history_is_dated_and_kept(association, network):
    editor = factories.make_staff(association, "editor")
    with scopes_disabled():
        assignment = services.create_work_assignment(
            association=association, actor=editor, title="Avfallsplanens genomförande",
            responsible=network.body,
        )  # fmt: skip
        services.set_work_status(assignment=assignment, actor=editor, status="ongoing",
                                 comment="Igång")  # fmt: skip
        services.set_work_status(assignment=assignment, actor=editor, status="paused",
                                 comment="Väntar på budget")  # fmt: skip
        assignment.refresh_from_db()
        history = list(WorkAssignmentUpdate.objects.filter(assignment=assignment))
    assert assignment.status == "paused"
    assert [(u.status, u.comment) for u in history[:2]] == [
        ("paused", "Väntar på budget"), ("ongoing", "Igång"),
    ]  # fmt: skip
    assert len(history) == 3  # with the first "not started"


def test_an_assignment_needs_someone_responsible(association):
    from django.core.exceptions import ValidationError

    with scopes_disabled(), pytest.raises(ValidationError):
        services.create_work_assignment(association=association, actor=None, title="Uppdrag")


def test_missing_yearly_reports(client, association, network, other_network):
    year = timezone.localdate().year
    with scopes_disabled():
        services.submit_yearly_report(network=network, actor=None, year=year, text="Klart.")
        make_network(association, slug="inget-krav", name="Utan rapport", reports_yearly=False)
        missing = queries.missing_yearly_reports(association, year)
        assert [n.pk for n in missing] == [other_network.pk]
        last_year = set(queries.missing_yearly_reports(association, year - 1))
        assert last_year == {network, other_network}
    client.force_login(factories.make_staff(association, "viewer"))
    page = client.get("/norrbotten/natverk/arsrapporter/")
    missing_part = page.text.split('id="missing-caption"')[1].split("</table>")[0]
    assert other_network.body.name in missing_part
    assert network.body.name not in missing_part


def test_the_coordinator_is_reminded_of_a_missing_report(association, network):
    from association.notifications.kinds import get as get_kind

    coordinator_user = factories.make_user()
    coordinator = factories.make_person(association, user=coordinator_user)
    with scopes_disabled():
        network.coordinator = coordinator
        network.save()
    kind = get_kind("networks.yearly_report_missing")
    year = timezone.localdate().year
    now = timezone.make_aware(timezone.datetime(year, 12, 10, 9))
    with scopes_disabled():
        occasions = list(kind.find(association, now, 30))
        assert [o.data["network"] for o in occasions] == [network.pk]
        recipients = kind.recipients(association, occasions[0].data)
    assert [r.user_id for r in recipients] == [coordinator_user.pk]
    too_early = timezone.make_aware(timezone.datetime(year, 10, 1, 9))
    with scopes_disabled():
        assert list(kind.find(association, too_early, 30)) == []


def test_staff_pages_answer(client, association, network):
    client.force_login(factories.make_staff(association, "editor"))
    for path in ["", "alla/", "uppdrag/", "aterkoppling/", "arsrapporter/?ar=abc", "ny/",
                 f"{network.body.slug}/", f"{network.body.slug}/medlemmar/",
                 f"{network.body.slug}/medlem/ny/", f"{network.body.slug}/arsrapport/ny/",
                 "uppdrag/ny/", "aterkoppling/ny/", "mina/"]:  # fmt: skip
        assert client.get(f"/norrbotten/natverk/{path}").status_code == 200, path


def test_create_a_network_and_add_a_member_through_the_pages(client, association):
    from governance.models import Body

    factories.make_term(association)
    factories.make_membership(association, "2580")
    board = factories.make_body(association)
    client.force_login(factories.make_staff(association, "editor"))
    response = client.post("/norrbotten/natverk/ny/", {
        "name": "Nätverk för HR", "slug": "hr", "kind": "managers", "purpose": "Samverkan",
        "reports_to": board.pk, "reports_yearly": "on",
    })  # fmt: skip
    assert response.status_code == 302, response.content
    person = factories.make_person(association, first_name="Per")
    with scopes_disabled():
        body = Body.objects.get(association=association, slug="hr")
    response = client.post("/norrbotten/natverk/hr/medlem/ny/", {
        "person": person.pk, "municipality": _municipality("2580").pk, "role": "member",
        "starts_on": timezone.localdate().isoformat(),
    })  # fmt: skip
    assert response.status_code == 302, response.content
    with scopes_disabled():
        assert body.assignments.get().person == person
    # The slug of another body is refused on the form.
    taken = client.post("/norrbotten/natverk/ny/", {"name": "X", "slug": "styrelse",
                                                    "kind": "other"})  # fmt: skip
    assert taken.status_code == 200


def test_yearly_report_reminder_window_is_the_years_end():
    from networks.notification_kinds import report_due_day

    assert report_due_day(2025) == date(2025, 12, 31)
    assert report_due_day(2025) - timedelta(days=30) == date(2025, 12, 1)


def test_members_are_reminded_of_the_networks_meetings(association, network):
    from association.notifications.kinds import get as get_kind
    from association.notifications.services import _render

    board = factories.make_body(association)
    member = seat_user(network)
    soon = factories.days_from_today(1)
    meeting = factories.make_meeting(network.body, soon, notice=True)
    factories.make_meeting(board, soon, notice=True)  # a board meeting: not this reminder
    kind = get_kind("networks.meeting_coming")
    with scopes_disabled():
        occasions = list(kind.find(association, timezone.now(), 2))
        assert [o.data["meeting"] for o in occasions] == [meeting.pk]
        recipients = kind.recipients(association, occasions[0].data)
        assert [r.user_id for r in recipients] == [member.pk]
        context = {**kind.context(association, occasions[0].data), "association": association}
        subject, body, _html = _render(kind, context, "sv")
    assert network.body.name in subject and meeting.title in body


def test_governance_makes_no_network_bodies_but_keeps_a_networks_kind(association, network):
    from governance.forms import BodyForm

    with scopes_disabled():
        new = BodyForm(association=association)
        kinds = {value for value, _label in new.fields["kind"].choices}
        assert "network" not in kinds and "board" in kinds
        existing = BodyForm(association=association, instance=network.body)
        assert "network" in {value for value, _label in existing.fields["kind"].choices}
