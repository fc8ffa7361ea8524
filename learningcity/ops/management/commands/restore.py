"""`manage.py restore PATH`: load a backup archive into an empty database and put the files back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learningcity.ops.archive import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: runs migrate, loads every row (all or nothing, "
        "checked against the archive's row counts and checksums) and restores MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--force", action="store_true", help="Replace the rows of a database that is not empty."
        )
        parser.add_argument("--no-media", action="store_true", help="Leave MEDIA_ROOT as it is.")

    def handle(self, *args, **options):
        log = self.stdout.write if options["verbosity"] > 1 else (lambda _s: None)
        try:
            report = restore(
                Path(options["path"]),
                using=options["database"],
                force=options["force"],
                media=not options["no_media"],
                log=log,
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(
            f"Restored {report.rows} rows in {report.tables} tables and {report.files} files "
            f"from {report.path}; every table's count and checksum match the backup."
        )
