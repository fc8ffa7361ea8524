"""Both catalogues of every app are complete and current, and Vietnamese looks Vietnamese.

A string added to an app without `make messages` (stale catalogue), a Vietnamese entry left empty or fuzzy,
or a translation that drops a %(placeholder)s fails here. The check re-extracts each app's strings into a
temporary copy with makemessages (GNU gettext, installed by `make test`) and compares the msgids.
"""

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import formats, translation

from learningcity.core.management.commands.i18n_update import app_dirs, extract

APPS = app_dirs()
LANGS = ["vi", "en"]


def _has_strings(app_dir: Path) -> bool:
    return (app_dir / "locale").exists() or _extracted(app_dir) != set()


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


_CACHE: dict[Path, set] = {}


def _extracted(app_dir: Path) -> set:
    """The msgids makemessages finds in a fresh copy of the app's source (its committed .po left out)."""
    if app_dir not in _CACHE:
        tmp = Path(tempfile.mkdtemp(prefix="lc-i18n-")) / app_dir.name
        shutil.copytree(
            app_dir, tmp, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "tests")
        )
        extract(tmp, ["vi"])
        po_path = tmp / "locale/vi/LC_MESSAGES/django.po"
        _CACHE[app_dir] = {_key(e) for e in polib.pofile(str(po_path))} if po_path.exists() else set()
        shutil.rmtree(tmp.parent, ignore_errors=True)
    return _CACHE[app_dir]


@pytest.mark.parametrize("app_dir", APPS, ids=[a.name for a in APPS])
def test_catalogues_are_current(app_dir):
    found = _extracted(app_dir)
    for lang in LANGS:
        po_path = app_dir / f"locale/{lang}/LC_MESSAGES/django.po"
        if not found:
            continue
        assert po_path.exists(), (
            f"{app_dir.name}: no {lang} catalogue; run `make messages APPS={app_dir.name}`"
        )
        committed = {_key(e) for e in polib.pofile(str(po_path)) if not e.obsolete}
        missing = sorted(m for _, m in found - committed)
        stale = sorted(m for _, m in committed - found)
        assert not missing, (
            f"{app_dir.name}/{lang}: strings not in the catalogue (run make messages): {missing[:10]}"
        )
        assert not stale, f"{app_dir.name}/{lang}: strings no longer in the code: {stale[:10]}"


@pytest.mark.parametrize("app_dir", APPS, ids=[a.name for a in APPS])
def test_catalogues_are_fully_translated(app_dir):
    for lang in LANGS:
        po_path = app_dir / f"locale/{lang}/LC_MESSAGES/django.po"
        if not po_path.exists():
            assert not _extracted(app_dir), f"{app_dir.name} has strings but no {lang} catalogue"
            continue
        po = polib.pofile(str(po_path))
        untranslated = [e.msgid for e in po.untranslated_entries()]
        fuzzy = [e.msgid for e in po.fuzzy_entries()]
        assert not untranslated, (
            f"{app_dir.name}/{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
        )
        assert not fuzzy, f"{app_dir.name}/{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
        assert not po.metadata_is_fuzzy, f"{app_dir.name}/{lang}: the header is marked fuzzy"
        # msgfmt --check: placeholders such as %(name)s survive translation, the header is sound.
        done = subprocess.run(
            ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(po_path)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        if lang == "vi":
            same = [
                e.msgid
                for e in po.translated_entries()
                if e.msgstr == e.msgid and _english_words(e.msgid) >= 2
            ]
            # A few words are the same in both languages (API, CSV, GNLC, codes); whole phrases are not.
            assert not same, f"{app_dir.name}/vi: left in English: {same[:5]}"


def _english_words(text: str) -> int:
    """Words left once placeholders are taken out: "%(group)s / %(majority)s" has none."""
    text = re.sub(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}", " ", text)
    return len(re.findall(r"[A-Za-z]{2,}", text))


def test_vietnamese_number_and_date_formats(db):
    with translation.override("vi"):
        assert formats.number_format(
            Decimal("1234567.89"), decimal_pos=2, use_l10n=True, force_grouping=True
        ) == ("1.234.567,89")
        assert formats.date_format(dt.date(2025, 7, 1), "SHORT_DATE_FORMAT") == "01/07/2025"
        rendered = Template("{% load l10n %}{{ n }} {{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"n": 1234567, "d": dt.date(2024, 2, 14)})
        )
        assert rendered == "1.234.567 14/02/2024"
    with translation.override("en"):
        assert formats.number_format(1234567, force_grouping=True) == "1,234,567"


def test_the_core_speaks_vietnamese_by_default(client, city):
    response = client.get("/son-la/")
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    assert "Số liệu chính" in response.content.decode()  # "Key figures"
