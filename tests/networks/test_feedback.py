"""Feedback rounds on the year's promises: one answer per person and promise, changeable
until the closing time and never after; results computed right; nobody's answer shown."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from association.tenancy import scopes_disabled
from networks import queries, services
from networks.models import FeedbackAnswer
from tests import factories
from tests.networks.conftest import seat_user

pytestmark = pytest.mark.django_db

PROMISES = ["Kommunerna har fått stöd.", "Kompetensen har stärkts.", "Vi är en organisation."]


def open_round(association, networks=(), bodies=(), closes_in=timedelta(days=10)):
    with scopes_disabled():
        return services.open_feedback_round(
            association=association, actor=None, title="Röster från kommunerna",
            year=timezone.localdate().year, closes_at=timezone.now() + closes_in,
            promises=PROMISES, networks=networks, bodies=bodies,
        )  # fmt: skip


def answer(feedback_round, user, scores, comment="", now=None):
    with scopes_disabled():
        promises = list(feedback_round.promises.order_by("position"))
        return services.answer_feedback(
            feedback_round=feedback_round, user=user, now=now,
            answers={p.pk: (s, comment) for p, s in zip(promises, scores, strict=False)},
        )  # fmt: skip


def close(feedback_round):
    from networks.models import FeedbackRound

    with scopes_disabled():
        FeedbackRound.objects.filter(pk=feedback_round.pk).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )
        feedback_round.refresh_from_db()


def test_open_feedback_round_is_a_clean_service(association, network):
    feedback_round = open_round(association, networks=[network])
    with scopes_disabled():
        assert [p.text for p in feedback_round.promises.order_by("position")] == PROMISES
        assert list(feedback_round.networks.all()) == [network]
        with pytest.raises(ValidationError) as refused:
            services.open_feedback_round(
                association=association, actor=None, title="Tom", year=2025,
                closes_at=timezone.now() - timedelta(days=1), promises=["  ", ""],
            )  # fmt: skip
    assert set(refused.value.message_dict) == {"promises", "networks", "closes_at"}


def test_an_answer_counts_once_per_person_and_promise(association, network):
    user = seat_user(network)
    feedback_round = open_round(association, networks=[network])
    answer(feedback_round, user, [2, 3, 4])
    answer(feedback_round, user, [5, 5, 5], comment="Bättre")
    with scopes_disabled():
        rows = FeedbackAnswer.objects.filter(promise__round=feedback_round, respondent=user)
        assert sorted(rows.values_list("score", flat=True)) == [5, 5, 5]
        assert rows.count() == 3
        assert list(rows.first().networks.all()) == [network]


def test_no_answer_after_the_closing_time(association, network):
    user = seat_user(network)
    feedback_round = open_round(association, networks=[network])
    answer(feedback_round, user, [3, 3, 3])
    close(feedback_round)
    with pytest.raises(ValidationError) as refused:
        answer(feedback_round, user, [1, 1, 1])
    assert refused.value.code == "closed"
    with scopes_disabled():
        assert set(FeedbackAnswer.objects.values_list("score", flat=True)) == {3}


def test_the_page_refuses_a_late_answer_with_a_message(client, association, network):
    user = seat_user(network)
    feedback_round = open_round(association, networks=[network])
    client.force_login(user)
    url = f"/norrbotten/natverk/aterkoppling/{feedback_round.pk}/svara/"
    with scopes_disabled():
        promises = list(feedback_round.promises.order_by("position"))
    data = {f"score_{p.pk}": "4" for p in promises}
    assert client.post(url, data).status_code == 302
    close(feedback_round)
    late = client.post(url, {f"score_{p.pk}": "1" for p in promises}, follow=True)
    assert late.status_code == 200
    assert "2" in late.text and ("stängde" in late.text or "closed" in late.text)
    with scopes_disabled():
        assert set(FeedbackAnswer.objects.values_list("score", flat=True)) == {4}
    assert "Spara mina svar" not in client.get(url).text  # no save button once closed


def test_only_those_asked_may_answer(client, association, network, other_network):
    outsider = seat_user(other_network)
    feedback_round = open_round(association, networks=[network])
    with pytest.raises(ValidationError):
        answer(feedback_round, outsider, [3, 3, 3])
    client.force_login(outsider)
    url = f"/norrbotten/natverk/aterkoppling/{feedback_round.pk}/svara/"
    assert client.get(url).status_code == 403


def test_presidia_are_asked_through_their_bodies(association):
    presidium = factories.make_body(association, "presidium", kind="presidium")
    member = factories.make_member(presidium)
    feedback_round = open_round(association, bodies=[presidium])
    answer(feedback_round, member, [4, 4, 4])
    with scopes_disabled():
        assert queries.respondent_user_ids(feedback_round, timezone.localdate()) == {member.pk}


def test_results_per_promise_and_per_network(association, network, other_network):
    from tests.networks.conftest import make_network

    third = make_network(association, slug="tredje", name="Tredje nätverket")
    big = [seat_user(network) for _ in range(4)]
    small = [seat_user(other_network) for _ in range(2)] + [seat_user(third)]
    feedback_round = open_round(association, networks=[network, other_network, third])
    for user, score in zip(big, [5, 4, 4, 2], strict=True):
        answer(feedback_round, user, [score, 3], comment=f"Kommentar {score}")
    for user in small:
        answer(feedback_round, user, [1])
    with scopes_disabled():
        results = queries.feedback_results(feedback_round)
    first, second, third = results["promises"]
    assert first["count"] == 7
    assert first["distribution"] == {1: 3, 2: 1, 3: 0, 4: 2, 5: 1}
    assert first["mean"] == round((5 + 4 + 4 + 2 + 1 + 1 + 1) / 7, 2)
    assert first["comments"] == ["Kommentar 2", "Kommentar 4", "Kommentar 4", "Kommentar 5"]
    groups = {g["name"]: g for g in first["groups"]}
    assert groups[network.body.name]["count"] == 4
    assert groups[network.body.name]["mean"] == 3.75
    # Two answers are too few to show apart: they could tell who answered what.
    assert groups[other_network.body.name]["hidden"] is True
    assert groups[other_network.body.name]["mean"] is None
    assert second["count"] == 4 and second["mean"] == 3.0
    assert third["count"] == 0 and third["mean"] is None


def test_no_page_or_export_shows_who_answered_what(client, association, network):
    users = [factories.make_user(first_name="Sara", last_name=f"Svarsdotter{n}")
             for n in range(3)]  # fmt: skip
    for user in users:
        seat_user(network, user=user)
    feedback_round = open_round(association, networks=[network])
    for user, score in zip(users, [1, 3, 5], strict=True):
        answer(feedback_round, user, [score, score, score], comment="Hemlig åsikt")
    client.force_login(factories.make_staff(association, "administrator"))
    base = f"/norrbotten/natverk/aterkoppling/{feedback_round.pk}/"
    pages = [client.get(base), client.get(base + "resultat.csv"),
             client.get(base + "resultat.xlsx")]  # fmt: skip
    assert all(p.status_code == 200 for p in pages)
    # Answers write no history (the history pages say who did what).
    from association.models import AuditEntry

    with scopes_disabled():
        assert not AuditEntry.objects.filter(object_type="networks.feedbackanswer").exists()
    history = client.get("/norrbotten/historik/")
    assert history.status_code == 200 and "Hemlig" not in history.text
    text = pages[0].text + pages[1].content.decode("utf-8-sig")
    assert "Hemlig åsikt" in text  # the comments are there...
    for user in users:  # ...but nobody's name or address
        for page in pages:
            body = page.content.decode("utf-8", errors="ignore")
            assert user.last_name not in body and user.email not in body
    # A respondent's own page shows their own answers, and nobody else's.
    client.force_login(users[0])
    own = client.get(base + "svara/").text
    assert own.count("checked") == 3
    assert 'value="1"' in own and "Hemlig åsikt" in own


def test_the_closing_reminder_goes_to_those_who_have_not_answered(association, network):
    from association.notifications.kinds import get

    done, waiting = seat_user(network), seat_user(network)
    feedback_round = open_round(association, networks=[network], closes_in=timedelta(days=2))
    answer(feedback_round, done, [3, 3, 3])
    answer(feedback_round, waiting, [3])  # one promise of three: still reminded
    kind = get("networks.feedback_round_closing")
    with scopes_disabled():
        occasions = list(kind.find(association, timezone.now(), 3))
        assert [o.data["round"] for o in occasions] == [feedback_round.pk]
        recipients = kind.recipients(association, occasions[0].data)
    assert [r.user_id for r in recipients] == [waiting.pk]


def test_staff_open_a_round_on_the_page(client, association, network):
    from networks.models import FeedbackRound

    client.force_login(factories.make_staff(association, "editor"))
    data = {"title": "Röster från kommunerna", "year": 2026, "networks": [network.pk],
            "promises": "Första löftet\n\nAndra löftet\n"}  # fmt: skip
    url = "/norrbotten/natverk/aterkoppling/ny/"
    today = timezone.localdate()
    past = client.post(url, {**data, "closes_on": today - timedelta(days=1)})
    assert past.status_code == 200 and "closes_on" in past.context["form"].errors
    response = client.post(url, {**data, "closes_on": today + timedelta(days=20)})
    assert response.status_code == 302
    with scopes_disabled():
        feedback_round = FeedbackRound.objects.get()
        assert [p.text for p in feedback_round.promises.all()] == ["Första löftet", "Andra löftet"]
        assert timezone.localtime(feedback_round.closes_at).hour == 23


def test_a_small_group_cannot_be_read_off_the_total(association, network, other_network):
    """Four answers in one network shown and two in the other hidden: the total minus the
    first would give the two, so the first is not broken down either."""
    many = [seat_user(network) for _ in range(4)]
    few = [seat_user(other_network) for _ in range(2)]
    feedback_round = open_round(association, networks=[network, other_network])
    for user in many:
        answer(feedback_round, user, [5])
    for user in few:
        answer(feedback_round, user, [1])
    with scopes_disabled():
        first = queries.feedback_results(feedback_round)["promises"][0]
    assert first["count"] == 6
    assert [g["hidden"] for g in first["groups"]] == [True, True]
