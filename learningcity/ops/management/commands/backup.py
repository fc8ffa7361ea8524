"""`manage.py backup [PATH]`: every table's rows and the uploaded files in one archive (see ops.archive)."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learningcity.ops.archive import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database rows and MEDIA_ROOT; works on SQLite and PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Archive to write (default: DATA_DIR/backups/learningcity-<UTC time>.tar.gz).",
        )
        parser.add_argument("--database", default="default")
        parser.add_argument("--no-media", action="store_true", help="Leave the uploaded files out.")
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="After writing, keep only the newest N archives in that folder.",
        )

    def handle(self, *args, **options):
        path = options["path"]
        if not path:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            path = Path(settings.DATA_DIR) / "backups" / f"learningcity-{stamp}.tar.gz"
        log = self.stdout.write if options["verbosity"] > 1 else (lambda _s: None)
        try:
            report = backup(Path(path), using=options["database"], media=not options["no_media"], log=log)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        if options["keep"] > 0:
            old = sorted(report.path.parent.glob("learningcity-*.tar.gz"))[: -options["keep"]]
            for stale in old:
                stale.unlink()
        self.stdout.write(
            f"Backup written: {report.path} ({report.tables} tables, {report.rows} rows, "
            f"{report.files} files, {report.bytes / 1e6:.1f} MB)"
        )
