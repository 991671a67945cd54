from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import FigureImport, ImportStatus
from members.services import stage_figure_import
from members.tasks import discard_stale_imports


def stage(age: timedelta) -> FigureImport:
    staged = stage_figure_import(
        actor=None, kind="population", file_name="scb.csv", source="SCB",
        rows=[{"code": "2580", "year": 2024, "value": "80000"}],
    )  # fmt: skip
    FigureImport.objects.filter(pk=staged.pk).update(created_at=timezone.now() - age)
    return staged


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_discards_only_abandoned_imports_platform_wide(celery_worker):
    old = stage(timedelta(days=3))
    fresh = stage(timedelta(hours=1))
    older = stage(timedelta(days=5))
    result = discard_stale_imports.delay().get(timeout=30)
    assert result == 2
    statuses = dict(FigureImport.objects.values_list("pk", "status"))
    assert FigureImport.objects.get(pk=old.pk).rows == []
    assert statuses[old.pk] == ImportStatus.DISCARDED
    assert statuses[older.pk] == ImportStatus.DISCARDED
    assert statuses[fresh.pk] == ImportStatus.PENDING
