"""Uploaded files leave storage when nothing refers to them any more.

A replaced or cleared upload is deleted only once the transaction that dropped it commits:
if the change rolls back, the row still refers to the old file, which must still be there.
"""

import logging

from django.core.files.storage import Storage, default_storage
from django.db import transaction

logger = logging.getLogger(__name__)


def delete_file_on_commit(field_file_or_name, storage: Storage | None = None) -> None:
    """Delete a stored file (a FieldFile or its name) after the current transaction commits;
    at once if no transaction is open. A file that is already gone is no error."""
    name = getattr(field_file_or_name, "name", field_file_or_name)
    if not name:
        return
    storage = storage or getattr(field_file_or_name, "storage", None) or default_storage
    transaction.on_commit(lambda: _delete(storage, name))


def _delete(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        # The row no longer refers to it; a file left behind is tidied by hand, not retried.
        logger.warning("Could not delete the replaced upload %s", name, exc_info=True)


def delete_logo_of_deleted_association(sender, instance, **kwargs) -> None:
    """post_delete receiver (connected in AssociationConfig.ready)."""
    delete_file_on_commit(instance.logo)
