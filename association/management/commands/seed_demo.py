import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create whatever of the demo associations is missing; never overwrites what exists."

    def handle(self, *args, **options):
        accounts: dict[str, str] = {}
        with transaction.atomic():
            # Each app that has demo data owns a demo.seed(); run them in dependency order.
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                self.stdout.write(f"{config.verbose_name}:")
                accounts.update(module.seed(self.stdout) or {})
        from association.demo import DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS(f"\nDemo accounts (password: {DEMO_PASSWORD})"))
        for email, label in accounts.items():
            self.stdout.write(f"  {email:45} {label}")
