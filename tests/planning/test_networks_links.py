"""Planning builds on networks: the plan's promises are asked about in a networks feedback
round that the annual report reads, and the networks' assignments show under the goals
they serve. The dependency points planning → networks only."""

import pathlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from association.tenancy import scopes_disabled
from planning import services
from planning.models import PromiseFeedback
from tests import factories
from tests.networks.conftest import make_network, seat_user
from tests.planning.conftest import adopted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_networks_does_not_know_planning():
    root = pathlib.Path(__file__).resolve().parents[2] / "networks"
    for path in root.rglob("*.py"):
        text = path.read_text()
        assert "from planning" not in text and "import planning" not in text, path
        assert '"planning.' not in text, path
    assert not hasattr(services, "register_promise_feedback")


def test_staff_open_the_feedback_round_on_the_plans_promises(association, plan, board_decision):
    network = make_network(association)
    with scopes_disabled():
        services.add_part(plan=plan, actor=None, kind="promise", title="Vi stödjer",
                          text="kommunerna i deras arbete")  # fmt: skip
    plan = adopted(plan, board_decision)
    editor = _client(factories.make_staff(association, "editor"))
    url = f"/{association.slug}/planering/alla/plan/{plan.pk}/aterkoppling/"
    day = timezone.localdate() + timedelta(days=20)
    response = editor.post(url, {"closes_on": day.isoformat(), "networks": [network.pk]})
    assert response.status_code == 302
    with scopes_disabled():
        links = list(PromiseFeedback.objects.filter(promise__plan=plan).select_related(
            "promise", "feedback_promise__round"))  # fmt: skip
        assert [(link.promise.title, link.feedback_promise.text) for link in links] == [
            ("Vi lyssnar", "Vi lyssnar"), ("Vi stödjer", "Vi stödjer: kommunerna i deras arbete"),
        ]  # fmt: skip
        feedback_round = links[0].feedback_promise.round
        assert list(feedback_round.networks.all()) == [network]
        assert feedback_round.year == plan.year
        with pytest.raises(ValidationError) as raised:
            services.open_promise_feedback(
                plan=plan, actor=None, closes_at=timezone.now() + timedelta(days=3),
                networks=[network],
            )  # fmt: skip
    assert raised.value.code == "feedback_exists"


def test_the_annual_report_shows_the_networks_feedback_per_promise(
    association, plan, board_decision
):
    from networks import services as networks

    network = make_network(association)
    users = [seat_user(network) for _ in range(3)]
    plan = adopted(plan, board_decision)
    with scopes_disabled():
        feedback_round = services.open_promise_feedback(
            plan=plan, actor=None, closes_at=timezone.now() + timedelta(days=3),
            networks=[network],
        )  # fmt: skip
        asked = feedback_round.promises.get()
        for user, score, comment in zip(users, [5, 4, 2], ["Bra dialog", "", "Mer stöd"],
                                        strict=True):  # fmt: skip
            networks.answer_feedback(
                feedback_round=feedback_round, user=user, answers={asked.pk: (score, comment)}
            )
        services.create_report(plan=plan, actor=None, period="t1")
        annual = services.create_report(plan=plan, actor=None, period="annual")
    editor = _client(factories.make_staff(association, "editor"))
    page = editor.get(f"/{association.slug}/planering/alla/uppfoljning/{annual.pk}/")
    text = page.content.decode()
    assert "3 answers" in text
    assert "mean 3.67 of 5" in text
    assert "1: 0, 2: 1, 3: 0, 4: 1, 5: 1" in text
    assert text.index("Bra dialog") < text.index("Mer stöd")
    for user in users:
        assert user.email not in text
    assert "has not been collected" not in text

    # The annual report's PDF carries the same feedback, and still no name.
    import io

    from pypdf import PdfReader

    from planning import pdfs

    with scopes_disabled():
        pdf = pdfs.render_document("report", annual, "en")
    pdf_text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "3 answers; mean 3.67 of 5" in pdf_text
    assert "Bra dialog" in pdf_text and "Mer stöd" in pdf_text
    assert "has not been collected" not in pdf_text
    for user in users:
        assert user.email not in pdf_text and user.email.split("@")[0] not in pdf_text


def test_an_existing_round_is_linked_only_when_its_promises_match(association, plan):
    from networks import services as networks

    network = make_network(association)
    with scopes_disabled():
        two = networks.open_feedback_round(
            association=association, actor=None, title="Löften", year=plan.year,
            closes_at=timezone.now() + timedelta(days=3), promises=["a", "b"],
            networks=[network],
        )  # fmt: skip
        with pytest.raises(ValidationError) as raised:
            services.link_feedback_round(plan=plan, actor=None, feedback_round=two)
        assert raised.value.code == "mismatch"
        assert not PromiseFeedback.objects.exists()


def test_assignments_show_under_the_goal_they_serve(association, plan, board_decision):
    from networks.services import create_work_assignment

    network = make_network(association)
    with scopes_disabled():
        assignment = create_work_assignment(
            association=association, actor=None, title="Kartlägga kompetensförsörjningen",
            responsible=network.body,
        )  # fmt: skip
        goal = plan.direction.goals.get()
        services.link_assignment(goal=goal, actor=None, assignment=assignment)
    plan = adopted(plan, board_decision)
    with scopes_disabled():
        services.publish(plan=plan, actor=None)
    staff = _client(factories.make_staff(association, "viewer"))
    staff_page = staff.get(f"/{association.slug}/planering/alla/plan/{plan.pk}/").content
    public_page = Client().get(f"/{association.slug}/planering/plan/{plan.pk}/").content
    for page in (staff_page.decode(), public_page.decode()):
        assert "Assignments from the networks work" in page
        assert "Kartlägga kompetensförsörjningen" in page


def test_staff_link_an_assignment_to_a_goal_on_the_page(association, direction):
    from networks.services import create_work_assignment

    other = factories.make_association("annat")
    with scopes_disabled():
        theirs = create_work_assignment(
            association=other, actor=None, title="Annat", responsible_other="Kanslichef"
        )
        ours = create_work_assignment(
            association=association, actor=None, title="Vårt", responsible_other="Kanslichef"
        )
        goal = direction.goals.get()
    editor = _client(factories.make_staff(association, "editor"))
    url = f"/{association.slug}/planering/alla/inriktning/{direction.pk}/uppdrag/"
    assert editor.post(url, {"assignment": theirs.pk, "goal": goal.pk}).status_code == 200
    assert editor.post(url, {"assignment": ours.pk, "goal": goal.pk}).status_code == 302
    with scopes_disabled():
        from planning.models import AssignmentGoal

        assert list(AssignmentGoal.objects.values_list("assignment", "goal")) == [
            (ours.pk, goal.pk)
        ]
