import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from association.tenancy import scopes_disabled, tenant_scope
from governance.meetings import services
from governance.meetings.calendars import meeting_event
from governance.meetings.models import AgendaItem, Meeting
from tests import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")
pytestmark = pytest.mark.django_db


def test_paragraph_numbers_run_per_body_and_year(association, board):
    other = factories.make_body(association, "beredning", kind="preparatory_committee")
    year = timezone.localdate().year + 1  # December and January ahead, whatever today is
    first = factories.make_meeting(
        board, datetime.datetime(year, 12, 10, 10, tzinfo=STOCKHOLM), items=3
    )
    second = factories.make_meeting(
        board, datetime.datetime(year, 12, 17, 10, tzinfo=STOCKHOLM), items=2
    )
    elsewhere = factories.make_meeting(other, items=2)
    next_year = factories.make_meeting(
        board, datetime.datetime(year + 1, 1, 20, 10, tzinfo=STOCKHOLM), items=2
    )
    with scopes_disabled():
        # Before the notice, no §; reordering never renumbers.
        assert not AgendaItem.objects.filter(number__isnull=False).exists()
        items = list(first.items.order_by("position"))
        services.reorder_items(meeting=first, actor=None, order=[items[2].pk, items[0].pk])
        for meeting in (second, first, elsewhere, next_year):
            services.send_notice(meeting=meeting, actor=None)

        def numbers(meeting):
            return [(i.title, i.number) for i in meeting.items.order_by("position")]

        assert numbers(second) == [("Ärende 1", 1), ("Ärende 2", 2)]
        assert numbers(first) == [("Ärende 3", 3), ("Ärende 1", 4), ("Ärende 2", 5)]
        assert numbers(elsewhere) == [("Ärende 1", 1), ("Ärende 2", 2)]
        assert numbers(next_year) == [("Ärende 1", 1), ("Ärende 2", 2)]
        # Added after the notice: the next free number, marked as a change.
        late = services.add_item(meeting=first, actor=None, title="Extra ärende")
        assert late.number == 6 and late.changed_after_notice
        with pytest.raises(ValidationError):
            services.send_notice(meeting=first, actor=None)


def test_standing_items_and_preparatory_meeting(association, board):
    chiefs = factories.make_body(association, "kommundirektorer", kind="chief_executives")
    with scopes_disabled():
        services.save_settings(body=board, actor=None, data={
            "standing_items": "Mötets öppnande\n\nVal av justerare\n",
            "preparatory_body": chiefs, "preparatory_days_before": 14,
        })  # fmt: skip
        meeting = factories.make_meeting(board)
        assert [i.title for i in meeting.items.order_by("position")] == [
            "Mötets öppnande", "Val av justerare",
        ]  # fmt: skip
        body, starts = services.preparatory_proposal(meeting)
        assert body == chiefs
        assert starts == meeting.starts_at - datetime.timedelta(days=14)
        assert starts.astimezone(STOCKHOLM).hour == 10
        prepared = services.confirm_preparatory(meeting=meeting, actor=None)
        assert prepared.body == chiefs and prepared.prepares == meeting
        assert services.preparatory_proposal(meeting) is None


def test_substitute_call_up_order(association, board, people):
    meeting = factories.make_meeting(board, notice=True)
    member = people["member"]
    with scopes_disabled():
        absence = services.report_absence(meeting=meeting, user=member)
        # The personal substitute first.
        assert absence.substitute == people["personal_person"]
        # The personal substitute is now away too: ordered substitutes by their place.
        second_member = factories.make_member(board, seat=people["seat"])
        absence = services.report_absence(meeting=meeting, user=second_member)
        assert absence.substitute == people["first"]
        with pytest.raises(ValidationError):
            services.report_absence(meeting=meeting, user=member)
        with pytest.raises(ValidationError):
            services.report_absence(meeting=meeting, user=people["outsider"])


def test_substitute_call_up_skips_the_absent(association, board, people):
    meeting = factories.make_meeting(board, notice=True)
    with scopes_disabled():
        services.report_absence(meeting=meeting, user=people["personal"])
        absence = services.report_absence(meeting=meeting, user=people["member"])
        assert absence.substitute == people["first"]


def test_substitute_call_up_falls_back_to_the_bodys_other_substitutes(association, board, people):
    """Neither the personal substitute nor the seat's ordered ones are free: the body's
    other seat's ordered substitutes are called up, by their place; then nobody."""
    from governance.meetings.models import Absence

    meeting = factories.make_meeting(board, notice=True)
    other_seat = factories.make_post(board, members=1, substitutes=2, label="Regionen")
    later = factories.make_person(association, email="senare@example.org")
    factories.assign(board, later, role="substitute", seat=other_seat, substitute_order=2)
    sooner = factories.make_person(association, email="tidigare@example.org")
    factories.assign(board, sooner, role="substitute", seat=other_seat, substitute_order=1)
    with scopes_disabled():
        # The seat's own substitutes are away.
        services.report_absence(meeting=meeting, user=people["personal"])
        for person in (people["first"], people["second"]):
            Absence.objects.create(association=association, meeting=meeting, person=person)
        absence = services.report_absence(meeting=meeting, user=people["member"])
        assert absence.substitute == sooner
        second_member = factories.make_member(board, seat=people["seat"])
        assert services.report_absence(meeting=meeting, user=second_member).substitute == later
        third_member = factories.make_member(board, seat=other_seat)
        assert services.report_absence(meeting=meeting, user=third_member).substitute is None


def test_move_keeps_uid_and_raises_sequence_cancel_cancels(association, board):
    meeting = factories.make_meeting(board, notice=True)
    with scopes_disabled():
        uid, sequence = meeting.calendar_uid, meeting.sequence
        moved = services.update_meeting(
            meeting=meeting, actor=None, expected_version=meeting.version,
            data={"starts_at": meeting.starts_at + datetime.timedelta(days=1),
                  "ends_at": meeting.ends_at + datetime.timedelta(days=1)},
            reason="Krockar med fullmäktige",
        )  # fmt: skip
        assert moved.calendar_uid == uid and moved.sequence == sequence + 1
        # The same data again is no move.
        same = services.update_meeting(
            meeting=moved, actor=None, expected_version=moved.version,
            data={"starts_at": moved.starts_at},
        )  # fmt: skip
        assert same.sequence == moved.sequence
        with pytest.raises(services.ConcurrentEditError):
            services.update_meeting(meeting=moved, actor=None, expected_version=1, data={})
        cancelled = services.cancel_meeting(meeting=same, actor=None, reason="Inga ärenden")
        assert cancelled.sequence == same.sequence + 1
        cancelled = Meeting.objects.select_related("body", "association").get(pk=cancelled.pk)
        with tenant_scope(association):
            from association.calendar import calendar_bytes

            parsed = Calendar.from_ical(calendar_bytes([meeting_event(cancelled)], name="x"))
        event = parsed.walk("VEVENT")[0]
        assert str(event["UID"]) == uid
        assert event["STATUS"] == "CANCELLED"
        assert int(event["SEQUENCE"]) == sequence + 2


def test_continues_only_another_bodys_item(association, board):
    other = factories.make_body(association, "beredning", kind="preparatory_committee")
    earlier = factories.make_meeting(other, factories.days_from_today(5, hour=9))
    source = factories.make_item(earlier, "Rekommendation till kommunerna")
    meeting = factories.make_meeting(board)
    item = factories.make_item(meeting, "Rekommendation till kommunerna", continues=source)
    with scopes_disabled():
        assert item.trail() == [source]
        with pytest.raises(ValidationError):
            services.add_item(meeting=meeting, actor=None, title="x", continues=item)


def test_room_held_by_the_meeting(association, board):
    from governance.rooms.services import create_resource

    staff = factories.make_staff(association, "editor", totp=False)
    with scopes_disabled():
        room = create_resource(
            association=association,
            actor=None,
            name="Mötesrum",
            kind="meeting_room",
            capacity=12,
            location="Renmarkstorget",
        )
        start = factories.days_from_today(14)
        meeting = services.create_meeting(
            body=board, actor=staff, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
            resource=room,
        )  # fmt: skip
        assert meeting.booking.meeting_reference == f"meeting:{meeting.pk}"
        assert meeting.place.startswith("Mötesrum")
        with pytest.raises(ValidationError):
            services.create_meeting(
                body=board,
                actor=staff,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                resource=room,
            )
        services.cancel_meeting(meeting=meeting, actor=staff, reason="Inställt")
        meeting.booking.refresh_from_db()
        assert meeting.booking.cancelled_at is not None
