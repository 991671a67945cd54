"""Registers the meetings' kinds (declared in ``notifications``) when the app loads."""

from governance.meetings import notifications  # noqa: F401
