"""Logging filters named in settings.LOGGING."""

import logging

from django.core.exceptions import PermissionDenied


class ForbiddenWithoutTraceback(logging.Filter):
    """A 403 is the portal working as intended (someone asked for a page their role does not
    open): Django logs it with the whole traceback; keep the one line that says which path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            exception = record.exc_info[1]
            if isinstance(exception, PermissionDenied):
                record.exc_info = None
                record.exc_text = None
        return True
