from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        # The shared permission mechanism asks governance about body members and the board.
        from governance.permissions import register

        register()
