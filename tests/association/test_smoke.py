import pytest

from association.tasks import count_staff_roles
from tests import factories


def test_home_lists_associations(client, association, other_association):
    response = client.get("/")
    assert response.status_code == 200
    assert "Norrbottens Kommuner" in response.text
    assert "Annat förbund" in response.text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_runs_in_real_worker_inside_its_tenant_scope(celery_worker):
    first = factories.make_association("forsta")
    second = factories.make_association("andra")
    factories.make_staff(first, "editor")
    factories.make_staff(first, "viewer")
    factories.make_staff(second, "viewer")
    result = count_staff_roles.delay(first.pk).get(timeout=30)
    assert result == {"association": "forsta", "roles": 2}


def test_password_reset_mail_goes_over_smtp(client, db, smtp_server):
    factories.make_user("person@example.org")
    response = client.post("/accounts/password/reset/", {"email": "person@example.org"})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"] == "person@example.org"
