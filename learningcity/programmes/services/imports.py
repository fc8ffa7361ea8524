"""Importing learner and attendance sheets (paper sign-in sheets typed up).

One function does both the preview and the apply: `sheet_import(..., dry_run=True)` runs every check and every
write inside a transaction and rolls it back, so the preview shows exactly what the apply will do. Rows are
streamed (a million-row file is never held in memory), attendance is written in batches with
INSERT ... ON CONFLICT DO NOTHING, so importing the same file twice adds nothing.

Columns (first row; English or Vietnamese names, any case or accents):
  code            learner code (exact match), or else
  name, birth_year, area, sex, ethnicity, languages   a person (probable-duplicate matching by folded name,
                                                       birth year and area, confirmed by the importer)
  date            attendance date (YYYY-MM-DD or DD/MM/YYYY); without it the sheet only adds learners
  programme       programme code (or chosen once for the whole sheet)
  time            HH:MM, when a programme has several sessions that day
  consent         yes / có: the person consented to have participation recorded
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError, ImportRejected, RowError
from learningcity.core.models import Area, AuditEntry, City
from learningcity.core.tabular import read_table
from learningcity.core.text import fold

from ..models import (
    Consent,
    ConsentPurpose,
    ImportBatch,
    Learner,
    Membership,
    Programme,
    Session,
    SessionStatus,
)
from ..rules import can_manage_learners, can_manage_programme, learner_edit_scope
from .attendance_stage import AttendanceStage
from .attendance_writes import attendance_writes
from .import_people import person_by_name
from .learners import sensitive_guard

BATCH = 5000
MAX_ERRORS = 500

HEADER_ALIASES = {
    "code": "code",
    "learner_code": "code",
    "ma": "code",
    "ma_hoc_vien": "code",
    "ma_nguoi_hoc": "code",
    "name": "name",
    "full_name": "name",
    "ho_ten": "name",
    "ho_va_ten": "name",
    "ten": "name",
    "sex": "sex",
    "gioi_tinh": "sex",
    "birth_year": "birth_year",
    "year_of_birth": "birth_year",
    "nam_sinh": "birth_year",
    "ethnicity": "ethnicity",
    "dan_toc": "ethnicity",
    "area": "area",
    "area_code": "area",
    "dia_ban": "area",
    "ma_dia_ban": "area",
    "ban": "area",
    "languages": "languages",
    "ngon_ngu": "languages",
    "date": "date",
    "ngay": "date",
    "programme": "programme",
    "program": "programme",
    "chuong_trinh": "programme",
    "time": "time",
    "gio": "time",
    "consent": "consent",
    "dong_y": "consent",
}
YES = {"yes", "y", "1", "co", "x", "true", "dong y"}


def canonical_header(header: str) -> str:
    key = fold(header).replace(" ", "_").replace("-", "_")
    return HEADER_ALIASES.get(key, key)


@dataclass
class ImportResult:
    rows: int = 0
    learners_created: int = 0
    learners_matched: int = 0
    attendance_added: int = 0
    attendance_existing: int = 0
    memberships_added: int = 0
    consents_recorded: int = 0
    sessions: int = 0
    to_confirm: list[dict] = field(default_factory=list)  # probable duplicates awaiting a decision
    sample: list[dict] = field(default_factory=list)
    already_imported: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _DryRun(Exception):
    pass


def _parse_date(raw: str) -> dt.date | None:
    raw = raw.strip()
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        pass
    for sep in ("/", ".", "-"):
        parts = raw.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            try:
                return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None


def _parse_time(raw: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(raw.strip().replace("h", ":").zfill(5)[:5])
    except ValueError:
        return None


class _Lookups:
    """The city's reference data, loaded once per import (dicts: one query each, no per-row query)."""

    def __init__(self, city: City, programme: Programme | None, actor=None):
        self.city = city
        self.programme = programme
        self.actor = actor  # None: no permission check (commands, the demo)
        self._manages: dict[int, bool] = {}
        self._created: set[int] = set()
        # rules.learner_edit_scope, once for the sheet: None anywhere, else the area paths she acts in
        self._edit_scope = learner_edit_scope(actor, city) if actor is not None else None
        self.programmes = {p.code.lower(): p for p in Programme.objects.filter(city=city)}
        self.learners: dict[str, tuple[int, int | None]] = {
            code: (pk, area_id)
            for code, pk, area_id in Learner.objects.filter(city=city).values_list("code", "pk", "area_id")
        }
        areas = list(
            Area.objects.filter(city=city).values_list("pk", "code", "search_text", "valid_to", "path")
        )
        self.area_path = {pk: path for pk, _c, _s, _v, path in areas}
        self.areas_by_code: dict[str, int] = {}
        by_name: dict[str, list[int]] = {}
        for pk, code, search_text, _valid_to, _path in sorted(areas, key=lambda a: a[3] is None):
            self.areas_by_code[code.lower()] = pk  # the current unit wins over an old one
            by_name.setdefault(search_text, []).append(pk)
        self.areas_by_name = {name: pks[0] for name, pks in by_name.items() if len(pks) == 1}
        self._people: dict[tuple[str, int | None, int | None], list[int]] | None = None
        self._sessions: dict[int, dict[dt.date, list[tuple]]] = {}
        self.date_cache: dict[str, dt.date | None] = {}

    def people(self) -> dict[tuple[str, int | None, int | None], list[int]]:
        if self._people is None:
            self._people = {}
            for pk, name, year, area_id in Learner.objects.filter(city=self.city).values_list(
                "pk", "search_text", "birth_year", "area_id"
            ):
                self._people.setdefault((name, year, area_id), []).append(pk)
        return self._people

    def sessions_of(self, programme_id: int) -> dict[dt.date, list[tuple]]:
        if programme_id not in self._sessions:
            table: dict[dt.date, list[tuple]] = {}
            for row in Session.objects.filter(programme_id=programme_id).values_list(
                "pk", "date", "start_time", "end_time", "space_id", "status"
            ):
                table.setdefault(row[1], []).append(row)
            self._sessions[programme_id] = table
        return self._sessions[programme_id]

    def manages(self, programme: Programme) -> bool:
        """May the actor take attendance for this programme (rules.can_manage_programme, once per programme)?"""
        if self.actor is None:
            return True
        if programme.pk not in self._manages:
            self._manages[programme.pk] = can_manage_programme(self.actor, programme)
        return self._manages[programme.pk]

    def may_edit(self, learner_id: int, area_id: int | None) -> bool:
        """May the actor act on this person's record (rules.can_edit_learner, with no query: the sheet's import
        already checked her role, and the person's home area is in the lookups)? Whoever adds a person may."""
        if self._edit_scope is None or learner_id in self._created:
            return True
        path = self.area_path.get(area_id, "") if area_id else ""
        return bool(path) and any(path.startswith(p) for p in self._edit_scope)

    def created(self, learner_id: int) -> None:
        """A person this sheet adds: whoever adds her records her consent."""
        self._created.add(learner_id)

    def area(self, raw: str) -> int | bool | None:
        """Area id, None when blank, False when unknown."""
        if not raw:
            return None
        return self.areas_by_code.get(raw.lower()) or self.areas_by_name.get(fold(raw)) or False


def file_progress_path(batch_id: int) -> str:
    from django.conf import settings

    folder = os.path.join(settings.MEDIA_ROOT, "staging")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"progress-{int(batch_id)}")


def sheet_import(
    *,
    actor,
    city: City,
    stream: IO[bytes],
    programme: Programme | None = None,
    decisions: dict[str, Any] | None = None,
    dry_run: bool = False,
    sha256: str = "",
    progress: Callable[[float], None] | None = None,
    check_permission: bool = True,
) -> ImportResult:
    """Check (dry_run) or apply a learner / attendance sheet. All-or-nothing: raises ImportRejected."""
    if check_permission:
        if not can_manage_learners(actor, city):
            raise DomainError(_("You may not import learners in this city."), code="forbidden")
        if programme is not None and not can_manage_programme(actor, programme):
            raise DomainError(_("You may not take attendance for this programme."), code="forbidden")
    if programme is not None and programme.city_id != city.pk:
        raise DomainError(_("The programme belongs to another city."), field="programme")
    if (
        sha256
        and not dry_run
        and ImportBatch.objects.filter(city=city, sha256=sha256, status=ImportBatch.Status.DONE).exists()
    ):
        return ImportResult(already_imported=True)
    total_size = 0  # measured before reading: the rows are streamed from the current position
    try:
        total_size = os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        stream.seek(0, os.SEEK_END)
        total_size = stream.tell()
        stream.seek(0)
    table = read_table(stream)
    headers = [canonical_header(h) for h in table.headers]
    if "code" not in headers and "name" not in headers:
        raise DomainError(_("The sheet needs a “code” or a “name” column."))
    if "date" in headers and "programme" not in headers and programme is None:
        raise DomainError(_("Choose the programme, or add a “programme” column."), field="programme")
    decisions = {str(k): v for k, v in (decisions or {}).items()}
    result = ImportResult()
    try:
        with transaction.atomic():
            _run(
                actor=actor,
                city=city,
                table=table,
                headers=headers,
                programme=programme,
                decisions=decisions,
                dry_run=dry_run,
                result=result,
                progress=progress,
                stream=stream,
                total_size=total_size,
                guard=sensitive_guard(actor, city) if check_permission else None,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _run(  # noqa: C901 - one streamed pass over up to a million rows: each branch is a check a row goes through
    *,
    actor,
    city: City,
    table,
    headers: list[str],
    programme: Programme | None,
    decisions: dict[str, Any],
    dry_run: bool,
    result: ImportResult,
    progress: Callable[[float], None] | None,
    stream: IO[bytes],
    total_size: int,
    guard=None,
):
    """Read, check and (unless dry_run) write one sheet, inside the caller's transaction; fills result."""
    look = _Lookups(city, programme, actor if guard is not None else None)
    errors: list[RowError] = []
    today = timezone.localdate()
    idx = {name: headers.index(name) for name in set(headers)}
    i_code, i_name, i_date = idx.get("code"), idx.get("name"), idx.get("date")
    i_prog, i_time = idx.get("programme"), idx.get("time")
    has_people = i_name is not None
    new_people: dict[tuple, int] = {}  # (folded name, year, area) -> learner id created in this file
    seen_pairs: dict[int, int] = {}  # session_id << 32 | learner_id -> first row
    memberships: dict[tuple[int, int], dt.date] = {}
    consent_ids: set[int] = set()
    batch: list[tuple] = []
    stage = AttendanceStage()
    session_cache: dict[tuple[str, str, str], tuple | RowError] = {}
    width = len(headers)
    city_id = city.pk

    def error(row: int, column: str, message: str) -> None:
        errors.append(RowError(row, column, message))
        if len(errors) >= MAX_ERRORS:
            raise ImportRejected(errors)

    def cell(values: list[str], name: str) -> str:
        i = idx.get(name)
        return values[i] if i is not None and i < len(values) else ""

    def find_session(prog_raw: str, date_raw: str, time_raw: str, row: int) -> tuple | None:
        key = (prog_raw, date_raw, time_raw)
        found = session_cache.get(key)
        if found is None:
            found = _resolve_session(look, programme, prog_raw, date_raw, time_raw, today)
            session_cache[key] = found
        if isinstance(found, RowError):
            error(row, found.column, found.message)
            return None
        return found

    def person(values: list[str], row: int) -> tuple[int, int | None] | None:
        code = values[i_code] if i_code is not None and i_code < len(values) else ""
        if code:
            found = look.learners.get(code) or look.learners.get(code.upper())
            if found is None:
                error(row, "code", _("Unknown learner code “%(code)s”.") % {"code": code})
            return found
        if not has_people:
            error(row, "code", _("A learner code or a name is required."))
            return None
        return person_by_name(
            look, values, cell, row, error, decisions, dry_run, result, new_people, actor, city, guard
        )

    for row_number, values in enumerate(table.rows, start=2):
        if len(values) < width:
            values = values + [""] * (width - len(values))
        if not any(values):
            continue
        result.rows += 1
        if progress is not None and result.rows % 20000 == 0:
            with contextlib.suppress(OSError, ValueError):
                progress(0.9 * min(1.0, stream.tell() / total_size) if total_size else 0.0)
        learner = person(values, row_number)
        if learner is None:
            continue
        learner_id, area_id = learner
        if cell(values, "consent") and fold(cell(values, "consent")) in YES and learner_id not in consent_ids:
            if not look.may_edit(learner_id, area_id):
                error(
                    row_number,
                    "consent",
                    _("You may record consent only for people whose home area is in your scope."),
                )
                continue
            consent_ids.add(learner_id)
        if i_date is None:
            continue
        session = find_session(
            values[i_prog] if i_prog is not None else "",
            values[i_date],
            values[i_time] if i_time is not None else "",
            row_number,
        )
        if session is None:
            continue
        session_id, programme_id, space_id, day, minutes = session
        pair = (session_id << 32) | learner_id
        first = seen_pairs.get(pair)
        if first is not None:
            error(
                row_number,
                "date",
                _("Duplicated row: the same person at the same session as row %(row)s.") % {"row": first},
            )
            continue
        seen_pairs[pair] = row_number
        key = (programme_id, learner_id)
        if key not in memberships or memberships[key] > day:
            memberships[key] = day
        if len(result.sample) < 20:
            result.sample.append(
                {"row": row_number, "learner": learner_id, "session": session_id, "date": day.isoformat()}
            )
        if not errors:
            batch.append(
                (city_id, session_id, learner_id, programme_id, space_id, area_id, day.isoformat(), minutes)
            )
            if len(batch) >= BATCH:
                stage.add(batch)
                batch.clear()
    if not errors and result.to_confirm and not dry_run:
        for item in result.to_confirm:
            errors.append(
                RowError(
                    item["row"], "name", _("Confirm whether this is the same person as an existing learner.")
                )
            )
    if errors:
        raise ImportRejected(errors)
    stage.add(batch)
    batch.clear()
    if progress is not None:
        progress(0.9)  # read and checked; what is left is writing
    # A preview counts what the apply would add without writing it; the apply writes every row in one statement.
    result.attendance_added = stage.count_new() if dry_run else stage.write()
    result.attendance_existing = len(seen_pairs) - result.attendance_added
    result.sessions = len({pair >> 32 for pair in seen_pairs})
    # Memberships for people who attended a club or class they were not yet a member of.
    if memberships:
        result.memberships_added = _add_memberships(city_id, memberships)
    if consent_ids:
        result.consents_recorded = _record_consents(actor, city_id, consent_ids)
    if not dry_run:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=city,
            city_id=city_id,
            changes={
                "learners_created": [0, result.learners_created],
                "attendance_added": [0, result.attendance_added],
            },
            note=f"programmes sheet: {result.rows} rows",
        )
    if progress is not None:
        progress(1.0)


_MEMBERSHIPS_UNNEST = (
    "INSERT INTO programmes_membership (city_id, programme_id, learner_id, joined_on, created_at, updated_at) "
    "SELECT %s, t.p, t.l, t.d, %s, %s FROM unnest(%s::bigint[], %s::bigint[], %s::date[]) AS t (p, l, d) "
    "ON CONFLICT DO NOTHING"
)
_MEMBERSHIPS_VALUES = (
    "INSERT INTO programmes_membership (city_id, programme_id, learner_id, joined_on, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)


def _add_memberships(city_id: int, memberships: dict[tuple[int, int], dt.date]) -> int:
    """Members from their first attendance, for (programme, learner) pairs not yet members; the number added."""
    programme_ids = {p for p, _ in memberships}
    existing = set(
        Membership.objects.filter(programme_id__in=programme_ids, left_on__isnull=True).values_list(
            "programme_id", "learner_id"
        )
    )
    now = timezone.now()
    new = sorted(
        (p, learner_id, day)
        for (p, learner_id), day in memberships.items()
        if (p, learner_id) not in existing
    )
    if not new:
        return 0
    # The analytics member rollups follow memberships: in one statement on PostgreSQL (its statement-level
    # triggers then move them once), in a bulk block on SQLite (the hook adds them once on the way out).
    with attendance_writes(city_id, bulk="memberships"), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _MEMBERSHIPS_UNNEST, [city_id, now, now, *(list(c) for c in zip(*new, strict=True))]
            )
        else:
            rows = [(city_id, p, learner_id, day.isoformat(), now, now) for p, learner_id, day in new]
            cursor.executemany(_MEMBERSHIPS_VALUES, rows)
    return len(new)


def _record_consents(actor, city_id: int, consent_ids: set[int]) -> int:
    """Participation consent for these learners, where not already given; the number recorded."""
    have = set(
        Consent.objects.filter(
            learner_id__in=consent_ids,
            purpose=ConsentPurpose.PARTICIPATION,
            given=True,
            withdrawn_at__isnull=True,
        ).values_list("learner_id", flat=True)
    )
    who = str(actor)[:200] if actor else "system"
    Consent.objects.bulk_create(
        [
            Consent(
                city_id=city_id,
                learner_id=learner_id,
                purpose=ConsentPurpose.PARTICIPATION,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                recorded_by_name=who,
                method="paper sheet (import)",
            )
            for learner_id in consent_ids - have
        ],
        batch_size=1000,
    )
    return len(consent_ids - have)


def _resolve_session(look, programme, prog_raw, date_raw, time_raw, today):
    prog = programme
    if prog_raw:
        prog = look.programmes.get(prog_raw.lower())
        if prog is None:
            return RowError(0, "programme", _("Unknown programme code “%(code)s”.") % {"code": prog_raw})
    if prog is None:
        return RowError(0, "programme", _("The programme is missing."))
    if not look.manages(prog):
        return RowError(0, "programme", _("You may not take attendance for %(code)s.") % {"code": prog.code})
    day = _parse_date(date_raw)
    if day is None:
        return RowError(
            0, "date", _("“%(value)s” is not a date (use YYYY-MM-DD or DD/MM/YYYY).") % {"value": date_raw}
        )
    if day > today:
        return RowError(
            0,
            "date",
            _("%(date)s is in the future: nobody can have attended yet.") % {"date": day.isoformat()},
        )
    candidates = look.sessions_of(prog.pk).get(day, [])
    if time_raw:
        start = _parse_time(time_raw)
        if start is None:
            return RowError(0, "time", _("“%(value)s” is not a time (use HH:MM).") % {"value": time_raw})
        candidates = [c for c in candidates if c[2] == start]
    if not candidates:
        return RowError(
            0,
            "date",
            _("%(programme)s has no session on %(date)s: add the session first.")
            % {"programme": prog.code, "date": day.isoformat()},
        )
    if len(candidates) > 1:
        return RowError(
            0, "time", _("Several sessions on %(date)s: give the time.") % {"date": day.isoformat()}
        )
    pk, day, start, end, space_id, status = candidates[0]
    if status == SessionStatus.CANCELLED:
        return RowError(0, "date", _("The session of %(date)s was cancelled.") % {"date": day.isoformat()})
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return (pk, prog.pk, space_id, day, minutes)
