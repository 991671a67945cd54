import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from association.tenancy import scopes_disabled
from governance.decisions import services
from governance.decisions.models import Answer, PerCapsulamRule, Proposal, ProposalStatus
from governance.meetings.models import AgendaItem, Decision
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(board):
    """A board with a chair, two members and a substitute (who does not answer)."""
    seat = factories.make_post(board, members=3, substitutes=1, label="Kommunerna")
    chair = factories.make_member(board, role="chair", seat=seat)
    members = [factories.make_member(board, seat=seat) for _ in range(2)]
    substitute = factories.make_member(board, role="substitute", seat=seat)
    board.people = {"chair": chair, "members": members, "substitute": substitute}
    return board


def circulate(body, closes_in=datetime.timedelta(days=3), rule=None, **fields):
    if rule is not None:
        with scopes_disabled():
            services.save_rule(body=body, actor=None, expected_version=1, rule=rule)
    with scopes_disabled():
        return services.circulate(
            body=body, actor=None, title=fields.pop("title", "Remissvar"),
            text="Styrelsen ställer sig bakom yttrandet.",
            closes_at=timezone.now() + closes_in, **fields,
        )  # fmt: skip


def answer_all(proposal, body, answers):
    voters = [body.people["chair"], *body.people["members"]]
    with scopes_disabled():
        for user, yes in zip(voters, answers, strict=False):
            if yes is not None:
                services.answer(proposal=proposal, user=user, yes=yes)


def close_after(proposal):
    with scopes_disabled():
        return services.close(
            proposal=proposal, now=proposal.closes_at + datetime.timedelta(seconds=1)
        )


def test_circulating_sends_it_to_the_members_of_today(body):
    proposal = circulate(body)
    with scopes_disabled():
        people = {a.person.user for a in Answer.objects.filter(proposal=proposal)}
        assert people == {body.people["chair"], *body.people["members"]}  # no substitute
        assert proposal.rule == PerCapsulamRule.ALL
        assert proposal.chair.user == body.people["chair"]


@pytest.mark.parametrize(
    ("rule", "answers", "passed"),
    [
        (PerCapsulamRule.ALL, [True, True, True], True),
        (PerCapsulamRule.ALL, [True, True, False], False),
        (PerCapsulamRule.ALL, [True, True, None], False),
        (PerCapsulamRule.MAJORITY, [True, True, False], True),
        (PerCapsulamRule.MAJORITY, [True, None, None], False),
        (PerCapsulamRule.MAJORITY, [True, False, False], False),
    ],
)
def test_passing_and_failing_per_rule(body, rule, answers, passed):
    proposal = circulate(body, rule=rule)
    answer_all(proposal, body, answers)
    closed = close_after(proposal)
    assert closed.status == (ProposalStatus.PASSED if passed else ProposalStatus.FAILED)


def test_a_changed_answer_counts(body):
    proposal = circulate(body)
    answer_all(proposal, body, [True, True, False])
    with scopes_disabled():
        services.answer(proposal=proposal, user=body.people["members"][1], yes=True)
        assert Answer.objects.filter(proposal=proposal, answer=True).count() == 3
    assert close_after(proposal).status == ProposalStatus.PASSED


def test_the_rule_is_the_one_it_was_sent_with(body):
    proposal = circulate(body, rule=PerCapsulamRule.MAJORITY)
    with scopes_disabled():
        services.save_rule(body=body, actor=None, expected_version=1, rule=PerCapsulamRule.ALL)
    answer_all(proposal, body, [True, True, None])
    assert close_after(proposal).status == ProposalStatus.PASSED


def test_answers_after_closing_are_refused(body):
    proposal = circulate(body)
    later = proposal.closes_at + datetime.timedelta(minutes=1)
    with scopes_disabled(), pytest.raises(ValidationError) as refused:
        services.answer(proposal=proposal, user=body.people["chair"], yes=True, now=later)
    assert refused.value.code == "closed"
    with scopes_disabled():
        Proposal.objects.filter(pk=proposal.pk).update(
            closes_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        proposal.refresh_from_db()
        with pytest.raises(ValidationError):
            services.answer(proposal=proposal, user=body.people["chair"], yes=True)
        assert not Answer.objects.filter(proposal=proposal, answer__isnull=False).exists()


def test_a_non_member_is_refused(body, association):
    proposal = circulate(body)
    outsider = factories.make_member(factories.make_body(association, "beredning"))
    with scopes_disabled():
        for user in (outsider, body.people["substitute"]):
            with pytest.raises(ValidationError) as refused:
                services.answer(proposal=proposal, user=user, yes=True)
            assert refused.value.code == "not_member"


def test_closing_time_must_be_ahead_and_the_body_have_members(board, body):
    with pytest.raises(ValidationError):
        circulate(body, closes_in=-datetime.timedelta(minutes=1))
    empty = factories.make_body(board.association, "tom", kind="other")
    with pytest.raises(ValidationError):
        circulate(empty)


def test_a_passed_proposal_becomes_a_numbered_decision_on_the_next_meeting(body):
    proposal = circulate(body, closes_in=datetime.timedelta(days=2))
    after = proposal.closes_at + datetime.timedelta(days=5)
    cancelled = factories.make_meeting(body, after)
    with scopes_disabled():
        from governance.meetings.services import cancel_meeting

        cancel_meeting(meeting=cancelled, actor=None, reason="Inställt")
    before = factories.make_meeting(body, proposal.closes_at - datetime.timedelta(days=1))
    target = factories.make_meeting(body, after + datetime.timedelta(days=7), notice=True)
    answer_all(proposal, body, [True, True, True])
    closed = close_after(proposal)
    with scopes_disabled():
        item = AgendaItem.objects.get(pk=closed.item_id)
        assert item.meeting_id == target.pk != before.pk
        assert item.number is not None  # the notice had gone out: it is numbered at once
        decision = Decision.objects.get(item=item)
        assert "per capsulam" in decision.text
        names = ", ".join(sorted(str(a.person) for a in Answer.objects.filter(proposal=proposal)))
        assert all(name in decision.text for name in names.split(", "))


def test_without_a_meeting_it_waits_and_is_attached_when_one_is_planned(
    body, django_capture_on_commit_callbacks
):
    proposal = circulate(body)
    answer_all(proposal, body, [True, True, True])
    closed = close_after(proposal)
    assert closed.status == ProposalStatus.PASSED and closed.item_id is None
    with scopes_disabled():
        from governance.decisions import queries

        assert list(queries.awaiting_meeting(body.association)) == [closed]
    with django_capture_on_commit_callbacks(execute=True):
        meeting = factories.make_meeting(body, proposal.closes_at + datetime.timedelta(days=3))
    with scopes_disabled():
        closed.refresh_from_db()
        assert closed.item.meeting_id == meeting.pk
        positions = list(meeting.items.order_by("position").values_list("title", flat=True))
        assert positions[-1] == "Remissvar"


def test_staff_attach_a_waiting_proposal(client, body, association):
    proposal = circulate(body)
    answer_all(proposal, body, [True, True, True])
    close_after(proposal)
    # The receiver attaches on commit; a test transaction never commits, so it waits.
    meeting = factories.make_meeting(body, proposal.closes_at + datetime.timedelta(days=3))
    url = f"/{association.slug}/beslut/per-capsulam/{proposal.pk}/koppla/"
    client.force_login(factories.make_staff(association, "viewer"))
    assert client.post(url).status_code == 403
    client.force_login(factories.make_staff(association, "editor"))
    assert client.post(url).status_code == 302
    with scopes_disabled():
        proposal.refresh_from_db()
        assert proposal.item.meeting_id == meeting.pk
    client.post(url)  # twice: refused with a message, nothing more added
    with scopes_disabled():
        assert AgendaItem.objects.filter(meeting=meeting, title="Remissvar").count() == 1


def test_who_may_circulate(client, body, association):
    url = f"/{association.slug}/beslut/per-capsulam/organ/{body.slug}/ny/"
    day = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    data = {"title": "Brådskande", "text": "Beslut.", "is_public": "on", "closes_on": day,
            "closes_time": "12:00"}  # fmt: skip
    for user, status in [
        (body.people["members"][0], 403),
        (factories.make_staff(association, "viewer"), 403),
        (body.people["chair"], 302),
        (factories.make_staff(association, "editor"), 302),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == (200 if status == 302 else 403)
        assert client.post(url, data).status_code == status
    with scopes_disabled():
        assert Proposal.objects.filter(title="Brådskande").count() == 2
        proposal = Proposal.objects.filter(title="Brådskande").first()
        local = timezone.localtime(proposal.closes_at)
        assert (local.hour, local.tzinfo.key) == (12, "Europe/Stockholm")


def test_members_answer_in_the_portal(client, body, association):
    proposal = circulate(body)
    url = f"/{association.slug}/beslut/per-capsulam/{proposal.pk}/"
    member = body.people["members"][0]
    client.force_login(member)
    page = client.get(url)
    assert page.status_code == 200 and "Ditt svar" in page.content.decode()
    assert client.post(url + "svar/", {"answer": "no"}).status_code == 302
    assert client.post(url + "svar/", {"answer": "yes"}).status_code == 302
    with scopes_disabled():
        assert Answer.objects.get(proposal=proposal, person__user=member).answer is True
    client.force_login(factories.make_member(factories.make_body(association, "annat")))
    assert client.get(url).status_code == 403
    assert client.post(url + "svar/", {"answer": "yes"}).status_code == 403


def test_the_page_closes_a_due_proposal_and_the_task_does_too(client, body, association):
    from governance.decisions.tasks import close_due_proposals

    first, second = circulate(body), circulate(body, title="Andra")
    answer_all(first, body, [True, True, True])
    with scopes_disabled():
        Proposal.objects.update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(body.people["chair"])
    assert client.get(f"/{association.slug}/beslut/per-capsulam/{first.pk}/").status_code == 200
    with scopes_disabled():
        first.refresh_from_db()
        assert first.status == ProposalStatus.PASSED
    assert close_due_proposals() == {association.slug: 1}
    with scopes_disabled():
        second.refresh_from_db()
        assert second.status == ProposalStatus.FAILED


def test_staff_record_a_written_answer_for_a_member(client, body, association):
    proposal = circulate(body)
    url = f"/{association.slug}/beslut/per-capsulam/{proposal.pk}/svar/"
    with scopes_disabled():
        row = Answer.objects.filter(proposal=proposal).first()
    client.force_login(factories.make_staff(association, "viewer"))
    client.post(url, {"answer": "yes", "person": row.person_id})
    client.force_login(body.people["members"][0])
    client.post(url, {"answer": "yes", "person": row.person_id})  # a member: not for others
    with scopes_disabled():
        row.refresh_from_db()
        assert row.answer is None  # neither read-only staff nor a member answer for others
    editor = factories.make_staff(association, "editor")
    client.force_login(editor)
    assert client.post(url, {"answer": "no", "person": row.person_id}).status_code == 302
    with scopes_disabled():
        row.refresh_from_db()
        assert (row.answer, row.answered_by) == (False, editor)


def test_the_members_are_e_mailed_once(
    body, association, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    """Through the shared notifications mechanism: one e-mail per member, and a retried
    occasion (a redelivered task) sends nothing more."""
    from association.notifications.services import notify

    with django_capture_on_commit_callbacks(execute=True):
        proposal = circulate(body)
    assert len(smtp_server.messages) == 3
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        notify("decisions.proposal_circulated", association=association,
               occasion_key=f"proposal:{proposal.pk}:circulated",
               data={"proposal": proposal.pk})  # fmt: skip
    assert len(smtp_server.messages) == 3
    recipients = {m["To"] for m in smtp_server.messages}
    assert recipients == {body.people["chair"].email, *(u.email for u in body.people["members"])}
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "Styrelsen ställer sig bakom yttrandet." in text
    assert f"/beslut/per-capsulam/{proposal.pk}/" in text
