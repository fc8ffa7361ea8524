"""Load the frameworks and indicators catalogue (learningcity/analytics/data/catalogue.json or a given file)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learningcity.analytics.services.catalogue import catalogue_load
from learningcity.core.errors import DomainError


class Command(BaseCommand):
    help = "Load or update the frameworks and indicators catalogue from its versioned data file."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="a catalogue JSON file (default: the shipped one)")

    def handle(self, *args, file=None, **options):
        try:
            result = catalogue_load(path=Path(file) if file else None)
        except (DomainError, OSError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from None
        self.stdout.write(
            f"catalogue {result['version']}: {result['frameworks']} frameworks, "
            f"{result['nodes']} elements, {result['indicators']} indicators"
        )
