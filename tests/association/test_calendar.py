"""Calendar files: read back with the icalendar library they are written with."""

import datetime

import pytest
from icalendar import Calendar

from association.calendar import STOCKHOLM, CalendarEvent, calendar_bytes, calendar_response

UTC = datetime.UTC


def meeting(**changes) -> CalendarEvent:
    fields = {
        "uid": "mote-17@norrbotten.samverka.se",
        "sequence": 0,
        # Saturday before the switch to summer time (29 March 2026) and the Monday after.
        "start": datetime.datetime(2026, 3, 28, 9, 0, tzinfo=STOCKHOLM),
        "end": datetime.datetime(2026, 3, 28, 12, 0, tzinfo=STOCKHOLM),
        "summary": "Styrelsemöte",
        "location": "Kommunhuset, Luleå",
        "description": "Kallelse och handlingar finns i portalen.",
        "url": "https://samverka.example/norrbotten/moten/17/",
    }
    fields.update(changes)
    return CalendarEvent(**fields)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_an_event_round_trips_with_its_uid_and_sequence():
    calendar = parse(calendar_bytes([meeting(sequence=3)], name="Norrbottens Kommuner"))
    assert calendar["METHOD"] == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Norrbottens Kommuner"
    [event] = calendar.events
    assert str(event["UID"]) == "mote-17@norrbotten.samverka.se"
    assert event["SEQUENCE"] == 3
    assert str(event["SUMMARY"]) == "Styrelsemöte"
    assert str(event["LOCATION"]) == "Kommunhuset, Luleå"
    assert str(event["URL"]) == "https://samverka.example/norrbotten/moten/17/"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_uid_is_stable_across_changes():
    first = parse(calendar_bytes([meeting()], name="x")).events[0]
    moved = meeting(sequence=1, start=meeting().start + datetime.timedelta(hours=1))
    second = parse(calendar_bytes([moved], name="x")).events[0]
    assert str(first["UID"]) == str(second["UID"])
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)


def test_times_are_in_stockholm_across_the_change_to_summer_time():
    before = meeting(uid="fore@x")
    after = meeting(
        uid="efter@x",
        # Given in UTC: 07:00 UTC on Monday 30 March is 09:00 summer time in Stockholm.
        start=datetime.datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
        end=datetime.datetime(2026, 3, 30, 10, 0, tzinfo=UTC),
    )
    data = calendar_bytes([before, after], name="x")
    assert b"DTSTART;TZID=Europe/Stockholm:20260328T090000" in data
    assert b"DTSTART;TZID=Europe/Stockholm:20260330T090000" in data
    calendar = parse(data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    events = {str(e["UID"]): e for e in calendar.events}
    start_before = events["fore@x"].decoded("DTSTART")
    start_after = events["efter@x"].decoded("DTSTART")
    assert start_before.utcoffset() == datetime.timedelta(hours=1)  # CET
    assert start_after.utcoffset() == datetime.timedelta(hours=2)  # CEST
    assert start_before.astimezone(UTC) == datetime.datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert start_after.astimezone(UTC) == datetime.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_a_cancelled_event_says_so():
    calendar = parse(calendar_bytes([meeting(sequence=2, cancelled=True)], name="x",
                                    method="CANCEL"))  # fmt: skip
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.events
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    # In a published calendar a cancelled event stays, marked cancelled.
    published = parse(calendar_bytes([meeting(cancelled=True)], name="x")).events[0]
    assert str(published["STATUS"]) == "CANCELLED"


def test_invitations_use_request_and_last_modified_is_utc():
    changed = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=STOCKHOLM)
    invitation = meeting(last_modified=changed, organizer_email="kansli@norrbotten.se",
                         organizer_name="Kansliet, Norrbottens Kommuner")  # fmt: skip
    calendar = parse(calendar_bytes([invitation], name="x", method="request"))
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.events
    assert str(event["ORGANIZER"]) == "mailto:kansli@norrbotten.se"
    assert event["ORGANIZER"].params["CN"] == "Kansliet, Norrbottens Kommuner"
    assert event.decoded("LAST-MODIFIED") == changed
    assert "DTSTAMP" in event


def test_naive_times_and_unknown_methods_are_programming_errors():
    with pytest.raises(ValueError, match="aware"):
        meeting(start=datetime.datetime(2026, 3, 28, 9, 0))
    with pytest.raises(ValueError, match="before"):
        meeting(end=datetime.datetime(2026, 3, 28, 8, 0, tzinfo=STOCKHOLM))
    with pytest.raises(ValueError, match="method"):
        calendar_bytes([meeting()], name="x", method="PUBLISH; X")


def test_the_response_is_a_utf8_calendar_download():
    response = calendar_response([meeting()], name="Möten", filename="Styrelsemöte")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert "Styrelsem%C3%B6te.ics" in response["Content-Disposition"]
    assert parse(response.content).events[0]["SUMMARY"] == "Styrelsemöte"
