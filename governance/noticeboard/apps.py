from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticeBoardConfig(AppConfig):
    name = "governance.noticeboard"
    label = "noticeboard"
    verbose_name = _("Notice board")

    def ready(self):
        from governance.meetings.models import Minutes
        from governance.meetings.signals import minutes_adjusted
        from governance.noticeboard.services import on_minutes_adjusted

        minutes_adjusted.connect(
            on_minutes_adjusted, sender=Minutes, dispatch_uid="noticeboard-minutes-adjusted"
        )
