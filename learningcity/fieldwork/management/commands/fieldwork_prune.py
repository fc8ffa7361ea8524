"""Forget the idempotency keys of field actions applied longer ago than FIELDWORK_KEY_KEEP_DAYS (docs/operations.md:
run daily, deploy/systemd/learningcity-fieldwork-prune.timer)."""

from django.core.management.base import BaseCommand

from learningcity.fieldwork.models import AppliedAction
from learningcity.fieldwork.services import applied_actions_prune, key_keep_days


class Command(BaseCommand):
    help = "Delete applied field-action keys older than FIELDWORK_KEY_KEEP_DAYS (older actions are refused anyway)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many would go.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            import datetime as dt

            from django.utils import timezone

            cutoff = timezone.now() - dt.timedelta(days=key_keep_days())
            count = AppliedAction.objects.filter(applied_at__lt=cutoff).count()
            self.stdout.write(
                f"{count} applied-action keys older than {key_keep_days()} days would be deleted"
            )
            return
        count = applied_actions_prune()
        self.stdout.write(f"{count} applied-action keys older than {key_keep_days()} days deleted")
