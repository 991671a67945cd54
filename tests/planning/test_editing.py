"""Editing a draft plan's rows and a direction's parts: versioned (a concurrent edit is
refused), and refused once the plan (or a plan under the direction) is adopted."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from association.locking import RecordLocked
from association.services import ConcurrentEditError
from association.tenancy import scopes_disabled
from planning import services
from planning.models import Activity, BudgetLine, Goal, GoalArea, Promise, SdgLink, Strategy
from tests import factories
from tests.planning.conftest import adopted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _editor(association):
    client = Client()
    client.force_login(factories.make_staff(association, "editor"),
                       backend="django.contrib.auth.backends.ModelBackend")  # fmt: skip
    return client


def test_staff_edit_a_draft_plans_rows_and_a_stale_edit_is_refused(association, plan):
    editor = _editor(association)
    with scopes_disabled():
        promise = Promise.objects.get(plan=plan)
        line = BudgetLine.objects.get(plan=plan, category="staff")
    base = f"/{association.slug}/planering/alla/plan/{plan.pk}"
    assert "Change Vi lyssnar" in editor.get(f"{base}/").text
    url = f"{base}/promise/{promise.pk}/andra/"
    response = editor.post(url, {"title": "Vi lyssnar mer", "text": "", "version": 1})
    assert response.status_code == 302
    stale = editor.post(url, {"title": "Gammal", "text": "", "version": 1})
    assert stale.status_code == 200
    with scopes_disabled():
        assert Promise.objects.get(pk=promise.pk).title == "Vi lyssnar mer"
    response = editor.post(f"{base}/budget_line/{line.pk}/andra/",
                           {"amount": 450000, "note": "Två tjänster", "version": 1})  # fmt: skip
    assert response.status_code == 302
    with scopes_disabled():
        line.refresh_from_db()
        assert (line.amount, line.note) == (450000, "Två tjänster")
        fees = BudgetLine.objects.get(plan=plan, category="member_fees")
        with pytest.raises(ValidationError):
            services.update_part(part=fees, actor=None, expected_version=fees.version,
                                 data={"amount": fees.amount + 1})  # fmt: skip
        with pytest.raises(ConcurrentEditError):
            services.update_part(part=line, actor=None, expected_version=1, data={"note": "x"})
    assert editor.get(f"{base}/nothing/{line.pk}/andra/").status_code == 404


def test_rows_of_an_adopted_plan_are_not_edited(association, plan, board_decision):
    with scopes_disabled():
        activity = Activity.objects.get(plan=plan)
    plan = adopted(plan, board_decision)
    editor = _editor(association)
    url = f"/{association.slug}/planering/alla/plan/{plan.pk}/activity/{activity.pk}/andra/"
    response = editor.post(url, {"title": "Ny titel", "version": activity.version})
    assert response.status_code == 200
    with scopes_disabled():
        assert Activity.objects.get(pk=activity.pk).title == "Regional dialog"
        with pytest.raises(RecordLocked):
            services.update_part(part=activity, actor=None, expected_version=activity.version,
                                 data={"title": "Ny"})  # fmt: skip


def test_direction_parts_are_edited_and_removed_until_a_plan_is_adopted(
    association, plan, board_decision
):
    direction = plan.direction
    editor = _editor(association)
    base = f"/{association.slug}/planering/alla/inriktning/{direction.pk}"
    with scopes_disabled():
        area = GoalArea.objects.get(direction=direction)
        goal = Goal.objects.get(direction=direction)
        strategy = services.add_strategy(direction=direction, actor=None, title="Nätverk")
        link = SdgLink.objects.get(direction=direction)
    assert "Change Attraktiv region" in editor.get(f"{base}/").text
    response = editor.post(f"{base}/area/{area.pk}/andra/",
                           {"title": "Attraktiv län", "description": "", "version": 1})  # fmt: skip
    assert response.status_code == 302
    response = editor.post(f"{base}/sdg/{link.pk}/andra/", {"version": 1})
    assert response.status_code == 302
    assert (
        editor.post(f"{base}/ta-bort/", {"kind": "strategy", "part": strategy.pk}).status_code
        == 302
    )
    # A goal the plan's activity serves is not removed.
    editor.post(f"{base}/ta-bort/", {"kind": "goal", "part": goal.pk})
    with scopes_disabled():
        assert GoalArea.objects.get(pk=area.pk).title == "Attraktiv län"
        assert SdgLink.objects.get(pk=link.pk).is_primary is False
        assert not Strategy.objects.filter(pk=strategy.pk).exists()
        assert Goal.objects.filter(pk=goal.pk).exists()
    adopted(plan, board_decision)
    data = {"title": "Efter antagandet", "description": "", "version": 2}
    response = editor.post(f"{base}/area/{area.pk}/andra/", data)
    assert response.status_code == 200
    editor.post(f"{base}/ta-bort/", {"kind": "sdg", "part": link.pk})
    with scopes_disabled():
        assert GoalArea.objects.get(pk=area.pk).title == "Attraktiv län"
        assert SdgLink.objects.filter(pk=link.pk).exists()
        with pytest.raises(RecordLocked):
            services.delete_direction_part(part=link, actor=None)
    assert "Change Attraktiv län" not in editor.get(f"{base}/").text
