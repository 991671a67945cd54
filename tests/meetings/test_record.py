"""The record and the minutes: attendance, decisions, the approval flow per role, locking
in the application and the database, corrections, the PDF, the pages."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from association.locking import RecordLocked
from association.models import AuditEntry
from association.services import ConcurrentEditError
from association.tenancy import scopes_disabled
from governance.meetings import records, services
from governance.meetings.models import (
    Adjuster,
    Attendance,
    Decision,
    Minutes,
    MinutesStatus,
    Statement,
    Vote,
)
from governance.meetings.signals import minutes_adjusted
from tests import factories

pytestmark = pytest.mark.django_db


def url(meeting, name, **extra):
    return reverse(
        f"meetings:{name}",
        kwargs={"association": meeting.association.slug, "pk": meeting.pk, **extra},
    )


@pytest.fixture
def council(association, board):
    """A board of three members (chair, vice chair, member) with a substitute and a
    secretary, every one with a login; a meeting with two items, its notice sent."""
    seat = factories.make_post(board, members=3, substitutes=1, label="Kommunerna")
    users, people = {}, {}
    for key, role in (("chair", "chair"), ("vice", "vice_chair"), ("member", "member"),
                      ("substitute", "substitute"), ("secretary", "secretary")):  # fmt: skip
        user = factories.make_user(f"{key}@example.org", first_name=key.title(), last_name="Test")
        person = factories.make_person(association, user=user, first_name=key.title(),
                                       last_name="Test")  # fmt: skip
        factories.assign(
            board, person, role=role, seat=None if role == "secretary" else seat,
            **({"substitute_order": 1} if role == "substitute" else {}),
        )  # fmt: skip
        users[key], people[key] = user, person
    meeting = factories.make_meeting(board)
    first = factories.make_item(meeting, "Verksamhetsplan", proposed_decision="Att anta planen.")
    second = factories.make_item(meeting, "Personalfråga", is_public=False,
                                 proposed_decision="Att anställa.")  # fmt: skip
    with scopes_disabled():
        meeting = services.send_notice(meeting=meeting, actor=None)
        first.refresh_from_db()
        second.refresh_from_db()
    return {"meeting": meeting, "items": [first, second], "users": users, "people": people}


def roll(council, **overrides):
    """Everyone present; overrides: key -> dict of changes."""
    rows = []
    for key in ("chair", "vice", "member", "substitute", "secretary"):
        row = {"person": council["people"][key].pk, "status": "present", "serves_for": None,
               "arrived_before": None, "left_after": None}  # fmt: skip
        row.update(overrides.get(key, {}))
        rows.append(row)
    return rows


def record_attendance(council, **overrides):
    meeting = council["meeting"]
    with scopes_disabled():
        meeting.refresh_from_db()
        return records.save_attendance(
            meeting=meeting, actor=None, expected_version=meeting.version,
            rows=roll(council, **overrides),
        )  # fmt: skip


def decide(item, version=None, votes=None, statements=None, **data):
    with scopes_disabled():
        return records.save_decision(
            item=item, actor=None, expected_version=version,
            data={"text": "Beslut.", "method": "acclamation", **data},
            votes=votes, statements=statements,
        )  # fmt: skip


def test_attendance_is_proposed_from_absences_and_called_up_substitutes(council, login):
    meeting = council["meeting"]
    login(council["users"]["member"])
    with scopes_disabled():
        absence = services.report_absence(meeting=meeting, user=council["users"]["member"])
        assert absence.substitute == council["people"]["substitute"]
        proposed = {row["person"].pk: row for row in records.proposed_attendance(meeting)}
    member = proposed[council["people"]["member"].pk]
    substitute = proposed[council["people"]["substitute"].pk]
    assert member["status"] == "absent"
    assert substitute["status"] == "present"
    assert substitute["serves_for"] == council["people"]["member"].pk
    assert proposed[council["people"]["chair"].pk]["status"] == "present"


def test_attendance_refuses_nonsense_and_concurrent_saves(council):
    meeting, items, people = council["meeting"], council["items"], council["people"]
    with scopes_disabled(), pytest.raises(ValidationError):
        records.save_attendance(
            meeting=meeting, actor=None, expected_version=meeting.version,
            rows=roll(council, chair={"serves_for": people["vice"].pk}),
        )  # fmt: skip
    with scopes_disabled(), pytest.raises(ValidationError):
        records.save_attendance(
            meeting=meeting, actor=None, expected_version=meeting.version,
            rows=roll(council, vice={"arrived_before": items[1].pk, "left_after": items[0].pk}),
        )  # fmt: skip
    record_attendance(council)
    with scopes_disabled(), pytest.raises(ConcurrentEditError):
        records.save_attendance(meeting=meeting, actor=None, expected_version=meeting.version,
                                rows=roll(council))  # fmt: skip


def test_quorum_on_the_record_page_follows_departures_and_jav(council, login, association):
    items, people = council["items"], council["people"]
    # The vice chair leaves after the first item; the member declares jäv on the second.
    record_attendance(council, vice={"left_after": items[0].pk})
    login(council["users"]["member"])
    with scopes_disabled():
        services.declare_conflict(item=items[1], user=council["users"]["member"])
    client = login(council["users"]["secretary"])
    response = client.get(url(council["meeting"], "record"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Deltar: 3; beslutförhet: 2." in text  # item 1: chair, vice, member
    assert "Deltar: 1; beslutförhet: 2." in text  # item 2: chair only
    assert "Utan beslutförhet" in text
    assert str(people["member"]) in text


def test_decision_prefilled_votes_by_name_and_tie_needs_the_casting_vote(council, login):
    meeting, items, people = council["meeting"], council["items"], council["people"]
    record_attendance(council, substitute={"status": "absent"})
    client = login(council["users"]["secretary"])
    response = client.get(url(meeting, "decision", item=items[0].pk))
    assert "Att anta planen." in response.content.decode()
    votes = {people["chair"].pk: "yes", people["vice"].pk: "no", people["member"].pk: "abstain"}
    with pytest.raises(ValidationError) as refused:
        decide(items[0], method="vote", votes=votes)
    assert "casting_vote" in refused.value.error_dict
    decision = decide(items[0], method="vote", votes=votes, casting_vote="no")
    with scopes_disabled():
        assert Vote.objects.filter(decision=decision).count() == 3
    # Someone absent cannot vote.
    with pytest.raises(ValidationError):
        decide(items[0], version=decision.version, method="vote",
               votes={people["substitute"].pk: "yes"})  # fmt: skip
    # The page states the outcome.
    with scopes_disabled():
        minutes = records.draft_minutes(meeting=meeting, actor=None)
    assert minutes.status == MinutesStatus.DRAFT
    text = client.get(url(meeting, "minutes_edit")).content.decode()
    assert "Omröstning: 1 ja, 1 nej, 1 avstår." in text
    assert "Ordförandens utslagsröst avgjorde." in text
    assert "Förslaget är avslaget." in text


def test_consensus_must_say_whether_it_was_reached(council):
    record_attendance(council)
    with pytest.raises(ValidationError):
        decide(council["items"][0], method="consensus")
    decision = decide(council["items"][0], method="consensus", consensus_reached=False)
    assert decision.consensus_reached is False


def test_adjusted_at_once_locks_the_decision_its_votes_and_statements(council):
    people = council["people"]
    record_attendance(council)
    decision = decide(
        council["items"][0], method="vote", adjusted_at_once=True,
        votes={people["chair"].pk: "yes", people["vice"].pk: "yes", people["member"].pk: "no"},
        statements=[{"person": people["member"].pk, "kind": "reservation", "text": "Emot."}],
    )  # fmt: skip
    assert decision.is_locked
    with scopes_disabled():
        vote = Vote.objects.filter(decision=decision).first()
        statement = Statement.objects.get(decision=decision)
        assert vote.is_locked and statement.is_locked
        with pytest.raises(RecordLocked):
            vote.save()
        with pytest.raises(RecordLocked):
            statement.delete()
    with pytest.raises(ValidationError):
        decide(council["items"][0], version=decision.version)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_vote SET choice = 'no' WHERE id = %s", [vote.pk])


def _send_out(council, adjusters=("chair", "member")):
    meeting = council["meeting"]
    with scopes_disabled():
        minutes = records.draft_minutes(meeting=meeting, actor=None)
        minutes = records.update_minutes(
            minutes=minutes, actor=None, expected_version=minutes.version, data={},
            adjusters=[council["people"][key] for key in adjusters],
        )  # fmt: skip
        return records.send_for_adjustment(minutes=minutes, actor=None)


def test_approval_flow_allowed_and_refused_steps(council, django_capture_on_commit_callbacks):
    users = council["users"]
    record_attendance(council)
    decide(council["items"][0])
    minutes = _send_out(council)
    received = []

    def listener(sender, minutes, actor, **kwargs):
        received.append((minutes.pk, actor))

    minutes_adjusted.connect(listener)
    try:
        with scopes_disabled():
            # Not named: refused. Without a second factor: refused.
            with pytest.raises(ValidationError, match=r"not named|inte utsedd"):
                records.approve(minutes=minutes, user=users["vice"], second_factor=True)
            with pytest.raises(ValidationError):
                records.approve(minutes=minutes, user=users["chair"], second_factor=False)
            # A draft can no longer change once sent.
            with pytest.raises(ValidationError):
                records.update_minutes(
                    minutes=minutes, actor=None, expected_version=minutes.version, data={}
                )
            minutes = records.approve(minutes=minutes, user=users["chair"], second_factor=True)
            assert not minutes.is_adjusted
            with pytest.raises(ValidationError):
                records.approve(minutes=minutes, user=users["chair"], second_factor=True)
            with django_capture_on_commit_callbacks(execute=True):
                minutes = records.approve(minutes=minutes, user=users["member"], second_factor=True)
        assert minutes.is_adjusted and minutes.status == MinutesStatus.ADJUSTED
        assert received == [(minutes.pk, users["member"])]
    finally:
        minutes_adjusted.disconnect(listener)
    with scopes_disabled():
        assert all(Decision.objects.filter(item__meeting=council["meeting"]).values_list(
            "is_locked", flat=True))  # fmt: skip
        assert all(Attendance.objects.filter(meeting=council["meeting"]).values_list(
            "is_locked", flat=True))  # fmt: skip
        actions = set(AuditEntry.objects.filter(object_id=str(minutes.pk)).values_list(
            "action", flat=True))  # fmt: skip
    assert {"created", "sent_for_adjustment", "approved", "adjusted"} <= actions


def test_adjusted_minutes_and_record_refuse_changes_through_orm_and_raw_sql(council):
    record_attendance(council)
    decide(council["items"][0])
    minutes = _send_out(council, adjusters=("chair",))
    with scopes_disabled():
        minutes = records.approve(minutes=minutes, user=council["users"]["chair"],
                                  second_factor=True)  # fmt: skip
        decision = Decision.objects.get(item=council["items"][0])
        minutes.opening = "Ändrad"
        with pytest.raises(RecordLocked):
            minutes.save()
        with pytest.raises(RecordLocked):
            decision.delete()
        # The service refuses the record too.
        with pytest.raises(ValidationError):
            decide(council["items"][1])
    for statement, pk in (
        ("DELETE FROM meetings_minutes WHERE id = %s", minutes.pk),
        ("DELETE FROM meetings_decision WHERE id = %s", decision.pk),
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_minutes SET opening = 'x' WHERE id = %s", [minutes.pk])
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.filter(meeting=council["meeting"]).update(status="absent")


def test_a_correction_is_a_new_version_through_the_same_adjustment(council):
    record_attendance(council)
    minutes = _send_out(council, adjusters=("chair",))
    with scopes_disabled():
        minutes = records.approve(minutes=minutes, user=council["users"]["chair"],
                                  second_factor=True)  # fmt: skip
        with pytest.raises(ValidationError):
            records.start_correction(minutes=minutes, actor=None, reason=" ")
        correction = records.start_correction(minutes=minutes, actor=None, reason="Fel datum")
        assert (correction.number, correction.supersedes, correction.status) == (
            2, minutes, MinutesStatus.DRAFT)  # fmt: skip
        assert list(Adjuster.objects.filter(minutes=correction).values_list(
            "person", flat=True)) == [council["people"]["chair"].pk]  # fmt: skip
        # The adjusted version stays as it was; only the latest can be corrected.
        with pytest.raises(ValidationError):
            records.start_correction(minutes=minutes, actor=None, reason="Igen")
        correction = records.send_for_adjustment(minutes=correction, actor=None)
        correction = records.approve(minutes=correction, user=council["users"]["chair"],
                                     second_factor=True)  # fmt: skip
        assert correction.is_adjusted
        assert Minutes.objects.filter(meeting=council["meeting"]).count() == 2


def test_pages_per_role(council, client, login, association, other_association):
    meeting, users = council["meeting"], council["users"]
    record_attendance(council)
    decide(council["items"][0])
    decide(council["items"][1], is_public=False, text="Hemligt beslut.")
    # Before adjustment the public minutes are a 404.
    assert client.get(url(meeting, "minutes")).status_code == 404
    assert client.get(url(meeting, "minutes_pdf")).status_code == 404
    # A member who is not the secretary may not record.
    login(users["member"])
    assert client.get(url(meeting, "record")).status_code == 403
    assert client.get(url(meeting, "minutes_edit")).status_code == 403
    # The body's secretary (not staff) drafts, names adjusters and sends.
    login(users["secretary"])
    assert client.get(url(meeting, "record")).status_code == 200
    response = client.post(url(meeting, "minutes_edit"), {"action": "draft"}, follow=True)
    assert "Protokollet är upprättat" in response.content.decode()
    with scopes_disabled():
        minutes = Minutes.objects.get(meeting=meeting)
    response = client.post(url(meeting, "minutes_edit"), {
        "action": "save", "version": minutes.version, "opening": "Mötet öppnades.",
        "closing": "Mötet avslutades.", "kept_at": "Kansliet",
        "adjusters": [council["people"]["chair"].pk],
    })  # fmt: skip
    assert response.status_code == 302
    # A stale version is a conflict, not an overwrite.
    response = client.post(url(meeting, "minutes_edit"), {
        "action": "save", "version": minutes.version, "opening": "Annat", "adjusters": [],
    })  # fmt: skip
    assert "någon annan" in response.content.decode().lower()
    client.post(url(meeting, "minutes_edit"), {"action": "send"})
    with scopes_disabled():
        minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.OUT_FOR_ADJUSTMENT
    assert minutes.opening == "Mötet öppnades."
    # The secretary is not an adjuster: sees where the adjustment stands, without the
    # button, and an approval is refused.
    text = client.get(url(meeting, "approve")).content.decode()
    assert "Du är inte utsedd att justera protokollet." in text
    assert "Justera protokollet</button>" not in text
    client.post(url(meeting, "approve"))
    # Someone logged in who is neither named nor in the body is sent to their meetings.
    login(factories.make_user())
    response = client.get(url(meeting, "approve"))
    assert response.status_code == 302 and response["Location"] == reverse("my_meetings")
    # The chair logged in without a second factor sees the page but cannot approve.
    login(users["chair"])
    assert client.get(url(meeting, "approve")).status_code == 200
    client.post(url(meeting, "approve"))
    with scopes_disabled():
        minutes.refresh_from_db()
    assert not minutes.is_adjusted
    # My meetings lists the minutes to adjust.
    assert url(meeting, "approve") in client.get(reverse("my_meetings")).content.decode()
    # Another association's meeting does not exist here.
    other = reverse("meetings:minutes", kwargs={"association": other_association.slug,
                                                "pk": meeting.pk})  # fmt: skip
    assert client.get(other).status_code == 404


def log_in_with_totp(client, email, secret):
    client.post(reverse("account_login"), {"login": email, "password": factories.PASSWORD})
    code = factories.current_totp_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)
    assert response.wsgi_request.user.is_authenticated


def test_adjusters_with_a_second_factor_approve_and_the_public_reads(council, client):
    meeting, users = council["meeting"], council["users"]
    record_attendance(council)
    decide(council["items"][0], text="Planen antas.")
    decide(council["items"][1], text="Hemligt beslut.")
    _send_out(council)
    for key in ("chair", "member"):
        secret = factories.give_totp(users[key])
        client.logout()
        log_in_with_totp(client, f"{key}@example.org", secret)
        response = client.post(url(meeting, "approve"), follow=True)
        assert "Du har justerat" in response.content.decode(), response.content.decode()[-3000:]
    client.logout()
    response = client.get(url(meeting, "minutes"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Planen antas." in text
    assert "Hemligt beslut." not in text and "Personalfråga" not in text
    # Members of the body see every item.
    client.force_login(users["vice"])
    assert "Hemligt beslut." in client.get(url(meeting, "minutes")).content.decode()


def test_minutes_pdf_text_metadata_and_variant(council, client, association):
    from pypdf import PdfReader

    record_attendance(council, vice={"status": "absent"})
    decide(council["items"][0], text="Planen antas.")
    minutes = _send_out(council, adjusters=("chair",))
    with scopes_disabled():
        records.approve(minutes=minutes, user=council["users"]["chair"], second_factor=True)
    response = client.get(url(council["meeting"], "minutes_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    held_on = council["meeting"].starts_at.astimezone(factories.STOCKHOLM).date()
    expected_texts = (
        f"Protokoll: Styrelsen {held_on}", "Planen antas.", "§ 1", "Närvarande", "Chair Test",
        "Frånvarande", "Vice Test", "Chair Test: justerade", association.name,
    )  # fmt: skip
    for expected in expected_texts:
        assert expected in text, expected
    assert "Personalfråga" not in text
    assert reader.metadata.title == f"Protokoll: Styrelsen {held_on}"
    assert reader.metadata.author == association.name
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert "/OutputIntents" in root  # PDF/A's sRGB output intent
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp or 'pdfaid:part="2"' in xmp
    assert 'pdfaid:conformance="A"' in xmp or "<pdfaid:conformance>A" in xmp
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp


@pytest.mark.parametrize(
    ("reached", "said", "not_said"),
    [(True, "Konsensus nåddes.", "Konsensus nåddes inte."),
     (False, "Konsensus nåddes inte.", "Konsensus nåddes.")],
)  # fmt: skip
def test_the_minutes_say_whether_consensus_was_reached(council, client, reached, said, not_said):
    from pypdf import PdfReader

    record_attendance(council)
    decide(council["items"][0], method="consensus", consensus_reached=reached,
           text="Inriktningen antas.")  # fmt: skip
    minutes = _send_out(council, adjusters=("chair",))
    with scopes_disabled():
        records.approve(minutes=minutes, user=council["users"]["chair"], second_factor=True)
    page = client.get(url(council["meeting"], "minutes")).content.decode()
    assert said in page and not_said not in page
    pdf = client.get(url(council["meeting"], "minutes_pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Inriktningen antas." in text
    assert said in text and not_said not in text


def test_minutes_pages_queries_do_not_grow(client, association, board):
    counts = {}
    chair = factories.make_member(board, role="chair")
    for size in (5, 80):
        meeting = factories.make_meeting(board, items=size, notice=True)
        with scopes_disabled():
            items = list(meeting.items.order_by("position"))
            meeting.refresh_from_db()
            assignments = records.body_assignments(meeting)
            records.save_attendance(meeting=meeting, actor=None, expected_version=meeting.version,
                                    rows=[{"person": a.person_id, "status": "present"}
                                          for a in assignments])  # fmt: skip
            for item in items:
                records.save_decision(item=item, actor=None, expected_version=None,
                                      data={"text": f"Beslut {item.pk}"})  # fmt: skip
            minutes = records.draft_minutes(meeting=meeting, actor=None)
            records.send_for_adjustment(minutes=minutes, actor=None)
            records.approve(minutes=minutes, user=chair, second_factor=True)
        client.get(f"/{association.slug}/")
        with CaptureQueriesContext(connection) as public:
            assert client.get(url(meeting, "minutes")).status_code == 200
        counts.setdefault("public", []).append(len(public))
        staff = factories.make_staff(association, "editor")
        client.force_login(staff)
        client.get(f"/{association.slug}/")
        for page in ("record", "minutes_edit", "minutes"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(meeting, page)).status_code == 200
            counts.setdefault(page, []).append(len(queries))
        client.logout()
    for page, (small, big) in counts.items():
        assert small == big, page


def test_overdue_minutes_are_listed_for_staff(client, association, board, login):
    old = factories.make_meeting(board, factories.days_from_today(-30), notice=True)
    login(factories.make_staff(association, "viewer"))
    response = client.get(reverse("meetings:overdue", kwargs={"association": association.slug}))
    assert response.status_code == 200
    assert url(old, "minutes_edit") in response.content.decode()


def test_after_adjustment_no_late_jav_and_decided_items_stay(council, board):
    record_attendance(council)
    minutes = _send_out(council, adjusters=("chair",))
    with scopes_disabled():
        records.approve(minutes=minutes, user=council["users"]["chair"], second_factor=True)
        with pytest.raises(ValidationError):
            services.declare_conflict(item=council["items"][0], user=council["users"]["member"])
    planned = factories.make_meeting(board)
    item = factories.make_item(planned, "Ej numrerat")
    with scopes_disabled():
        records.save_decision(item=item, actor=None, expected_version=None,
                              data={"text": "Beslut.", "adjusted_at_once": True})  # fmt: skip
        with pytest.raises(ValidationError):
            services.delete_item(item=item, actor=None)


def test_decision_page_detects_a_concurrent_edit_and_keeps_what_was_typed(council, login):
    meeting, item = council["meeting"], council["items"][0]
    record_attendance(council)
    client = login(council["users"]["secretary"])
    page = url(meeting, "decision", item=item.pk)
    fields = {"text": "Första lydelsen.", "method": "acclamation", "is_public": "on"}
    assert client.post(page, fields).status_code == 302
    with scopes_disabled():
        version = Decision.objects.get(item=item).version
    assert client.post(page, {**fields, "text": "Andra.", "version": version}).status_code == 302
    response = client.post(page, {**fields, "text": "Tredje.", "version": version})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan ändrade detta under tiden" in text and "Tredje." in text
    with scopes_disabled():
        assert Decision.objects.get(item=item).text == "Andra."
    # A tie without the casting vote is refused on the field, nothing saved.
    people = council["people"]
    response = client.post(page, {
        **fields, "method": "vote", "version": version + 1,
        f"vote-{people['chair'].pk}": "yes", f"vote-{people['vice'].pk}": "no",
    })  # fmt: skip
    assert "ordförandens utslagsröst" in response.content.decode()
    with scopes_disabled():
        assert Decision.objects.get(item=item).method == "acclamation"
