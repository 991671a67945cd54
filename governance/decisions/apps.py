from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "governance.decisions"
    label = "decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from governance.decisions import receivers  # noqa: F401  (connects the signals)
