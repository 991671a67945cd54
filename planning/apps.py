from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    label = "planning"
    verbose_name = _("Planning and follow-up")

    def ready(self):
        # Declares its kind of generated file (association/pdfjobs.py) for the hourly sweep.
        from planning import pdfs  # noqa: F401
