"""Extract the strings of every app into its catalogues (needs GNU gettext), and fill the English catalogue.

English is the source language, so its catalogue copies each msgid; Vietnamese is translated by people.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

LANGS = ["vi", "en"]


def app_dirs() -> list[Path]:
    return sorted(p.parent for p in (Path(settings.BASE_DIR) / "learningcity").glob("*/apps.py"))


def extract(app_dir: Path, langs: list[str] = LANGS) -> None:
    """Run makemessages inside `app_dir` (an app folder, or a temporary copy of one).

    `-P` keeps the app folder off sys.path (its selectors.py would shadow the standard library's).
    """
    (app_dir / "locale").mkdir(exist_ok=True)
    cmd = [sys.executable, "-P", "-m", "django", "makemessages", "--no-obsolete", "--add-location=file"]
    cmd += ["--ignore=tests/*", "--ignore=static/*"]
    for lang in langs:
        cmd += ["-l", lang]
    env = {**os.environ, "PYTHONPATH": str(settings.BASE_DIR), "TESTING": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    done = subprocess.run(cmd, cwd=app_dir, env=env, capture_output=True, text=True)  # noqa: S603 - fixed argv
    if done.returncode != 0:
        raise RuntimeError(f"makemessages failed in {app_dir}: {done.stderr.strip()}")


def tidy_header(po_path: Path, lang: str) -> None:
    """A real header (not the fuzzy template makemessages writes), so msgfmt and gettext read its charset."""
    po = polib.pofile(str(po_path))
    po.metadata_is_fuzzy = False
    po.metadata.update(
        {
            "Project-Id-Version": "learningcity",
            "Language": lang,
            "Language-Team": "Learning City",
            "Content-Type": "text/plain; charset=UTF-8",
            "PO-Revision-Date": po.metadata.get("POT-Creation-Date", ""),
            "Last-Translator": "Learning City <learningcity@localhost>",
        }
    )
    po.header = "Translations of the Learning City platform (AGPL-3.0-or-later)."
    po.save()


def fill_english(po_path: Path) -> None:
    """English is the source language: every msgstr is its msgid (never a fuzzy guess from msgmerge)."""
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
    po.save()


class Command(BaseCommand):
    help = "Update the translation catalogues of every app (makemessages), filling English from the source."

    def add_arguments(self, parser):
        parser.add_argument("apps", nargs="*", help="app folder names (default: all)")

    def handle(self, *args, apps, **options):
        for app_dir in app_dirs():
            if apps and app_dir.name not in apps:
                continue
            extract(app_dir)
            for lang in LANGS:
                tidy_header(app_dir / f"locale/{lang}/LC_MESSAGES/django.po", lang)
            fill_english(app_dir / "locale/en/LC_MESSAGES/django.po")
            vi = polib.pofile(str(app_dir / "locale/vi/LC_MESSAGES/django.po"))
            missing = len(vi.untranslated_entries()) + len(vi.fuzzy_entries())
            self.stdout.write(f"{app_dir.name}: {len(vi)} strings, {missing} to translate into Vietnamese")
