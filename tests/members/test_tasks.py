from datetime import timedelta

import pytest
from django.utils import timezone

from association.tenancy import scopes_disabled
from members.models import FigureImport, ImportStatus
from members.services import stage_figure_import
from members.tasks import discard_stale_imports
from tests import factories


def stage(association, age: timedelta) -> FigureImport:
    with scopes_disabled():
        staged = stage_figure_import(
            association=association, actor=None, kind="population", file_name="scb.csv",
            source="SCB", rows=[{"code": "2580", "year": 2024, "value": "80000"}],
        )  # fmt: skip
        FigureImport.objects.filter(pk=staged.pk).update(created_at=timezone.now() - age)
    return staged


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_discards_only_abandoned_imports_in_every_association(celery_worker):
    first = factories.make_association("forsta")
    second = factories.make_association("andra")
    old_first = stage(first, timedelta(days=3))
    fresh_first = stage(first, timedelta(hours=1))
    old_second = stage(second, timedelta(days=5))
    result = discard_stale_imports.delay().get(timeout=30)
    assert result == {"forsta": 1, "andra": 1}
    with scopes_disabled():
        statuses = dict(FigureImport.objects.values_list("pk", "status"))
        assert FigureImport.objects.get(pk=old_first.pk).rows == []
    assert statuses[old_first.pk] == ImportStatus.DISCARDED
    assert statuses[old_second.pk] == ImportStatus.DISCARDED
    assert statuses[fresh_first.pk] == ImportStatus.PENDING
