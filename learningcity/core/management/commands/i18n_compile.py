"""Compile every app's .po catalogue to .mo with polib: no system gettext needed (a fresh machine has none).

Each .mo is written beside itself and renamed into place, so a process reading it (another test worker, a
server) never sees half a file."""

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "learningcity").glob("*/locale/*/LC_MESSAGES/django.po"))


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po -> .mo)."

    def handle(self, *args, **options):
        count = 0
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            partial = mo_path.with_suffix(f".mo.{os.getpid()}")
            polib.pofile(str(po_path)).save_as_mofile(str(partial))
            partial.replace(mo_path)
            count += 1
        self.stdout.write(f"{count} catalogue(s) compiled.")
