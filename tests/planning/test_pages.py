"""The planning pages: who may take which approval step, the staff pages, the public ones."""

import pytest
from django.test import Client
from django.utils import timezone

from association.tenancy import scopes_disabled
from planning.models import Plan, PlanStatus, Promise
from tests import factories
from tests.planning.conftest import adopted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _step(client, plan, step, **data):
    return client.post(f"/{plan.association.slug}/planering/alla/plan/{plan.pk}/steg/",
                       {"step": step, **data})  # fmt: skip


def _status(plan):
    with scopes_disabled():
        return Plan.objects.get(pk=plan.pk).status


def test_who_may_take_the_approval_steps(association, plan, board, board_decision):
    """Anonymous visitors are sent to log in; read-only staff, a board member and another
    association's administrator are refused; a staff editor and an administrator may."""
    board_member = factories.make_user()
    person = factories.make_person(association, user=board_member)
    factories.assign(board, person, seat=factories.make_post(board))
    other = factories.make_association("annat")
    refused = {
        "viewer": factories.make_staff(association, "viewer"),
        "board member": board_member,
        "other association": factories.make_staff(other, "administrator"),
    }
    response = _step(_client(), plan, "propose")
    assert response.status_code == 302 and "/login/" in response["Location"]
    for who, user in refused.items():
        assert _step(_client(user), plan, "propose").status_code in (403, 404), who
    assert _status(plan) == PlanStatus.DRAFT
    editor = _client(factories.make_staff(association, "editor"))
    admin = _client(factories.make_staff(association, "administrator"))
    assert _step(editor, plan, "adopt", reference="x").status_code == 302
    assert _status(plan) == PlanStatus.DRAFT  # out of order: refused with a message
    _step(editor, plan, "propose")
    assert _status(plan) == PlanStatus.PROPOSED
    for user in refused.values():
        _step(_client(user), plan, "board_approval", decision=board_decision.pk)
    assert _status(plan) == PlanStatus.PROPOSED
    _step(admin, plan, "board_approval", decision=board_decision.pk)
    assert _status(plan) == PlanStatus.BOARD_APPROVED
    _step(editor, plan, "adopt", adopted_on="2024-11-20", reference="Förbundsmötet § 7")
    assert _status(plan) == PlanStatus.ADOPTED
    _step(editor, plan, "publish")
    response = _client().get(f"/{association.slug}/planering/plan/{plan.pk}/")
    assert response.status_code == 200
    assert "Regional dialog" in response.content.decode()


def test_a_refused_step_says_why(association, plan):
    editor = _client(factories.make_staff(association, "editor"))
    response = _step(editor, plan, "adopt", reference="x")
    page = editor.get(response["Location"]).content.decode()
    assert "This step is not possible while the plan is" in page


def test_drafts_are_not_public(association, plan):
    assert _client().get(f"/{association.slug}/planering/plan/{plan.pk}/").status_code == 404
    assert (
        "Regional dialog" not in _client().get(f"/{association.slug}/planering/").content.decode()
    )


def test_staff_edit_a_draft_and_not_an_adopted_plan(association, plan, board_decision):
    editor = _client(factories.make_staff(association, "editor"))
    url = f"/{association.slug}/planering/alla/plan/{plan.pk}/lofte/ny/"
    assert editor.post(url, {"title": "Vi svarar inom en vecka"}).status_code == 302
    adopted(plan, board_decision)
    response = editor.post(url, {"title": "För sent"})
    assert response.status_code == 200
    assert "start a revision" in response.content.decode()
    with scopes_disabled():
        assert list(Promise.objects.filter(plan=plan).values_list("title", flat=True)) == [
            "Vi lyssnar", "Vi svarar inom en vecka"
        ]  # fmt: skip
    response = _step(editor, plan, "revise", reason="Nya uppdrag")
    with scopes_disabled():
        revision = Plan.objects.get(supersedes=plan)
    assert response["Location"].endswith(f"/plan/{revision.pk}/")
    page = editor.get(response["Location"]).content.decode()
    assert "Nya uppdrag" in page and "Plan returned" not in page


def test_the_staff_plan_page_shows_budget_and_history(association, plan):
    editor = _client(factories.make_staff(association, "editor"))
    editor.post(f"/{association.slug}/planering/alla/plan/{plan.pk}/budget/",
                {"state_grants": "100", "other_income": "0", "staff": "500", "premises": "0",
                 "activities": "0", "projects": "0", "other_costs": "0"})  # fmt: skip
    page = editor.get(f"/{association.slug}/planering/alla/plan/{plan.pk}/").content.decode()
    assert "The budget shows a deficit: -400 kronor." in page
    assert "Member fees" in page and "Project funding" in page
    assert timezone.localdate().strftime("%Y-%m-%d") in page  # the history's rows


def test_direction_pages(association, direction):
    editor = _client(factories.make_staff(association, "editor"))
    base = f"/{association.slug}/planering/alla/inriktning/{direction.pk}"
    assert editor.post(f"{base}/strategi/ny/", {"title": "Nätverk", "text": ""}).status_code == 302
    assert editor.post(f"{base}/agenda-2030/", {"sdg": "3", "is_primary": "on"}).status_code == 302
    page = editor.get(f"{base}/").content.decode()
    assert "Nätverk" in page and "3. Good health and well-being (primary)" in page
    assert "Vi bidrar till en god livsmiljö." in page
    public = f"/{association.slug}/planering/inriktning/{direction.pk}/"
    assert _client().get(public).status_code == 404  # not published
    with scopes_disabled():
        from planning import services

        services.update_direction(
            direction=direction, actor=None, expected_version=direction.version,
            data={"is_published": True},
        )  # fmt: skip
    assert "sdg-11" in _client().get(public).content.decode()


def test_staff_remove_a_part_of_a_draft_only(association, plan, board_decision):
    from planning.models import Activity

    editor = _client(factories.make_staff(association, "editor"))
    with scopes_disabled():
        promise = Promise.objects.get(plan=plan)
        activity = Activity.objects.get(plan=plan)
    url = f"/{association.slug}/planering/alla/plan/{plan.pk}/ta-bort/"
    page = editor.get(f"/{association.slug}/planering/alla/plan/{plan.pk}/").content.decode()
    assert "Remove Vi lyssnar" in page
    assert editor.post(url, {"kind": "promise", "part": promise.pk}).status_code == 302
    with scopes_disabled():
        assert not Promise.objects.filter(pk=promise.pk).exists()
    adopted(plan, board_decision)
    editor.post(url, {"kind": "activity", "part": activity.pk})
    with scopes_disabled():
        assert Activity.objects.filter(pk=activity.pk).exists()
    assert editor.post(url, {"kind": "activity", "part": 999999}).status_code == 404
