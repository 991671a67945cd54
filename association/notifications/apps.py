from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "association.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Each app declares its kinds in a ``notification_kinds`` module; importing them here
        # registers them once, whichever process (web, worker, beat) starts.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("notification_kinds")
