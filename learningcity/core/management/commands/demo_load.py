"""Load the demo city (Son La). Idempotent: a second run leaves existing data as it is."""

import os
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core.demo import DEMO_ACCOUNTS, DemoContext, create_city
from learningcity.core.models import City
from learningcity.core.registry import app_modules


class Command(BaseCommand):
    help = "Load the Son La demo city with its areas, accounts and the data of every capability."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "hoctap-sonla-2024"))
        parser.add_argument("--only", default="", help="comma-separated app labels to load (default: all)")

    def handle(self, *args, password, only, **options):
        started = time.monotonic()
        city = City.objects.filter(slug="son-la").first()
        if city is not None and not only:
            self.stdout.write(
                "The demo city is already loaded; keeping its data (DEMO_RESET=1 starts afresh)."
            )
        else:
            wanted = {label.strip() for label in only.split(",") if label.strip()}
            with transaction.atomic():
                city = city or create_city()
                ctx = DemoContext(city=city, password=password, log=self.stdout.write)
                steps = sorted(app_modules("demo"), key=lambda m: getattr(m, "ORDER", 100))
                for module in steps:
                    label = module.__name__.split(".")[1]
                    if wanted and label not in wanted and label != "core":
                        continue
                    step_start = time.monotonic()
                    module.load(ctx)
                    self.stdout.write(f"  {label}: {time.monotonic() - step_start:.1f} s")
            self.stdout.write(self.style.SUCCESS(f"Demo city loaded in {time.monotonic() - started:.1f} s."))
        self.stdout.write(f"\nDemo accounts (password: {password}):")
        for username, full_name, role, area_code in DEMO_ACCOUNTS:
            what = role.label if role else _("Network administrator")
            where = f" ({area_code})" if area_code else ""
            self.stdout.write(f"  {username:<18} {what}{where} – {full_name}")
