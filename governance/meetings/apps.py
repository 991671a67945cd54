from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "governance.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # Declares its kind of generated file (association/pdfjobs.py) for the hourly sweep.
        from governance.meetings import package  # noqa: F401
