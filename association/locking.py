"""Rows that can no longer change: refused by the application and by the database.

Some records are decisions (an adopted fee schedule, adjusted minutes, an adopted plan):
once made they must not change, whoever asks and however. A model declares it in two
lines and gets both refusals:

    from association import locking

    class AdoptedPlan(locking.LockedModel, TenantModel):
        lock_field = None               # every stored row is locked …
        # lock_field = "is_adjusted"    # … or: rows lock once this boolean is true

        class Meta:
            triggers = locking.lock_triggers()              # lock_field None
            # triggers = locking.lock_triggers("is_adjusted")

- The application refuses ``save()`` of a stored row and ``delete()`` with ``RecordLocked``
  (a ``ValidationError``, so forms and views show its message).
- A PostgreSQL trigger (django-pgtrigger, installed by the model's migration) refuses
  UPDATE and DELETE of a locked row from anywhere: querysets, the admin, ``psql``, raw
  SQL. It raises SQLSTATE 23001 ``restrict_violation``, which Django reports as an
  ``IntegrityError``. Only the lock itself may still be set: with a lock field, the UPDATE
  that sets it to true passes (the old row was not locked yet).

A locked record is never edited: it is superseded by a new one that points at it, so the
old one stays as it was and readable (see ``members.AdoptedFeeSchedule``). The only way
past the trigger is deliberate database maintenance (dropping the trigger, or
django-pgtrigger's ``pgtrigger.ignore("app.Model:locked_row")``); no page does, and the
only service that does is ``association.documents.delete_document``, which removes a whole
document with all its versions (a version alone is never changed or removed).
Tests: tests/association/test_locking.py.
"""

from typing import ClassVar

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["LockedModel", "RecordLocked", "lock_triggers"]

LOCKED = _("This record is locked and can no longer be changed.")

# SQLSTATE 23001 restrict_violation: Django raises IntegrityError for it.
_REFUSE = (
    "RAISE EXCEPTION 'samverka: % on a locked row of % is refused', TG_OP, TG_TABLE_NAME "
    "USING ERRCODE = 'restrict_violation';"
)


class RecordLocked(ValidationError):
    """The application's refusal to change or delete a locked row."""

    def __init__(self, message=None):
        super().__init__(message or LOCKED, code="locked")


def lock_triggers(lock_field: str | None = None, *, name: str = "locked_row") -> list:
    """``Meta.triggers`` that make PostgreSQL refuse UPDATE and DELETE of locked rows.

    Without ``lock_field`` every stored row is locked (insert-only table); with it, a row
    is locked once the stored value of that boolean field is true.
    """
    condition = None if lock_field is None else pgtrigger.Q(**{f"old__{lock_field}": True})
    return [
        pgtrigger.Trigger(
            name=name,
            when=pgtrigger.Before,
            operation=pgtrigger.Update | pgtrigger.Delete,
            condition=condition,
            func=_REFUSE,
        )
    ]


class LockedModel(models.Model):
    """The application-level half: ``save()`` and ``delete()`` refuse locked rows.

    Bulk queryset ``update()``/``delete()`` bypass these methods; the trigger still refuses
    them in the database.
    """

    lock_field: ClassVar[str | None] = None
    locked_message: ClassVar = LOCKED

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.stored_row_locked():
            raise RecordLocked(self.locked_message)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_row_locked():
            raise RecordLocked(self.locked_message)
        return super().delete(*args, **kwargs)

    def is_locked(self) -> bool:
        """Whether the stored row is locked. A model whose lock field is itself called
        ``is_locked`` (``meetings.Decision``) hides this method behind the field: call
        ``stored_row_locked()`` there."""
        return self.stored_row_locked()

    def stored_row_locked(self) -> bool:
        """Whether the stored row is locked (an unsaved object never is)."""
        if self._state.adding or self.pk is None:
            return False
        if self.lock_field is None:
            return True
        stored = type(self)._base_manager.filter(pk=self.pk)
        return stored.filter(**{self.lock_field: True}).exists()
