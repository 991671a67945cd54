"""The shared locking mechanism, on a throw-away table: rows that lock once a flag is set.

The insert-only form (every stored row locked) is exercised on the adopted fee schedules in
tests/members/test_hardening.py; this covers the other form other apps will use (e.g.
minutes that lock once adjusted).
"""

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import isolate_apps

from association import locking

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes_model():
    """A model whose rows lock once ``is_adjusted`` is true, with its table and trigger."""
    with isolate_apps("association"):

        class Minutes(locking.LockedModel):
            lock_field = "is_adjusted"

            text = models.TextField()
            is_adjusted = models.BooleanField(default=False)

            class Meta:
                app_label = "association"
                db_table = "test_locking_minutes"
                triggers = locking.lock_triggers("is_adjusted")

        with connection.schema_editor() as editor:
            editor.create_model(Minutes)
        for trigger in Minutes._meta.triggers:
            trigger.install(Minutes)
        yield Minutes


def _refused(sql: str, params: list) -> None:
    with pytest.raises(IntegrityError, match="locked row"), transaction.atomic():  # noqa: SIM117
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_rows_change_freely_until_locked_then_never(minutes_model):
    minutes = minutes_model.objects.create(text="Utkast")
    minutes.text = "Rättat utkast"
    minutes.save()
    assert not minutes.is_locked()
    # Setting the lock is the one change a lockable row accepts …
    minutes.is_adjusted = True
    minutes.save()
    assert minutes.is_locked()
    # … after which the application refuses with a message …
    minutes.text = "Ändrat i efterhand"
    with pytest.raises(locking.RecordLocked) as refused:
        minutes.save()
    assert refused.value.code == "locked"
    assert str(refused.value.message) == str(locking.LOCKED)
    with pytest.raises(locking.RecordLocked):
        minutes.delete()
    # … and the database refuses whatever bypasses the application, raw SQL included.
    table = minutes_model._meta.db_table
    _refused(f"UPDATE {table} SET text = 'x' WHERE id = %s", [minutes.pk])
    _refused(f"UPDATE {table} SET is_adjusted = false WHERE id = %s", [minutes.pk])
    _refused(f"DELETE FROM {table} WHERE id = %s", [minutes.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        minutes_model.objects.filter(pk=minutes.pk).update(text="x")
    minutes.refresh_from_db()
    assert (minutes.text, minutes.is_adjusted) == ("Rättat utkast", True)


def test_unlocked_rows_may_be_deleted(minutes_model):
    draft = minutes_model.objects.create(text="Utkast")
    draft.delete()
    assert not minutes_model.objects.exists()
