"""Benchmark: a phone back from days offline sends 500 waiting actions (ticks on the rosters of a club of 60
members over nine sessions) through the sync API in batches of 50, as the field app does (target: all applied in
under 10 s), beside a baseline measured in the same run on a twin club: the same 500 ticks applied straight
through the programmes service (`attendance_mark`), without HTTP, keys or the applied-actions table. Then the
same 500 sent again (a lost answer): all answered "duplicate", nothing doubled. Also the weight of the app shell
(pages, scripts, styles, icons, as the service worker precaches them) plus the club's kept data (target 300 KB).
Checks: 500 attendance rows once, 500 applied keys, no change on the resend.
Writes var/bench/fieldwork.json; exits 1 when a target is missed or a check fails.

Run: .venv/bin/python bench/bench_fieldwork.py   (a temporary SQLite file, or DATABASE_URL pointing at a scratch
PostgreSQL database)
"""

import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TESTING"] = "1"
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="lc_bench_fieldwork_"))

import django

django.setup()

import datetime as dt  # noqa: E402

from _report import Report  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

ACTIONS, MEMBERS, SESSIONS, BATCH = 500, 60, 9, 50


def club(city, space, user, label):
    from learningcity.programmes.tests.factories import (
        LearnerFactory,
        MembershipFactory,
        ProgrammeFactory,
        SessionFactory,
    )

    programme = ProgrammeFactory(city=city, code=f"bench-{label}-{uuid.uuid4().hex[:6]}", area=space.area)
    programme.spaces.add(space)
    today = dt.date.today()
    sessions = [
        SessionFactory(programme=programme, space=space, date=today - dt.timedelta(days=d))
        for d in range(SESSIONS)
    ]
    learners = LearnerFactory.create_batch(MEMBERS, city=city, area=space.area)
    for learner in learners:
        MembershipFactory(programme=programme, learner=learner)
    pairs = [(s, learner) for s in sessions for learner in learners][:ACTIONS]
    return programme, pairs


def main() -> int:
    report = Report(
        "fieldwork", params={"actions": ACTIONS, "members": MEMBERS, "sessions": SESSIONS, "batch": BATCH}
    )
    call_command("migrate", verbosity=0)
    from django.test import Client

    from learningcity.core.models import Role
    from learningcity.core.tests.factories import AreaFactory, CityFactory, user_with_role
    from learningcity.fieldwork.models import AppliedAction
    from learningcity.fieldwork.views import STATIC_FILES
    from learningcity.places.tests.factories import SpaceFactory
    from learningcity.programmes.models import Attendance
    from learningcity.programmes.services import attendance_mark

    city = CityFactory(slug=f"bench-field-{uuid.uuid4().hex[:6]}")
    area = AreaFactory(city=city)
    user = user_with_role(city, Role.SPACE_COORDINATOR, username=f"bench-{city.slug}")
    space = SpaceFactory(city=city, area=area)
    space.coordinators.add(user)
    _twin, twin_pairs = club(city, space, user, "twin")
    programme, pairs = club(city, space, user, "phone")

    start = time.perf_counter()
    for session, learner in twin_pairs:
        attendance_mark(actor=user, session=session, learner=learner, present=True)
    baseline = time.perf_counter() - start

    client = Client()
    client.force_login(user)
    api = f"/api/v1/cities/{city.slug}/field"
    device = client.post(f"{api}/devices", {"label": "bench"}, content_type="application/json").json()[
        "device"
    ]
    now = timezone.now().isoformat()
    actions = [
        {
            "key": uuid.uuid4().hex,
            "kind": "programmes.attendance",
            "payload": {
                "session_id": s.pk,
                "learner_id": learner.pk,
                "learner_code": learner.code,
                "present": True,
            },
            "made_at": now,
        }
        for s, learner in pairs
    ]

    def send_all() -> tuple[float, list[str]]:
        statuses: list[str] = []
        begin = time.perf_counter()
        for i in range(0, len(actions), BATCH):
            body = {"sent_at": timezone.now().isoformat(), "actions": actions[i : i + BATCH]}
            response = client.post(
                f"{api}/sync", body, content_type="application/json", HTTP_X_FIELD_DEVICE=device
            )
            statuses += [r["status"] for r in response.json()["results"]]
        return time.perf_counter() - begin, statuses

    first, statuses = send_all()
    rows = Attendance.objects.filter(programme=programme).count()
    again, statuses_again = send_all()
    report.figure(
        f"{ACTIONS} actions synced (batches of {BATCH})",
        first,
        "s",
        target=10,
        baseline=baseline,
        baseline_label="attendance_mark x500",
    )
    report.figure(f"the same {ACTIONS} sent again", again, "s", baseline=baseline)
    report.check("every action applied", statuses == ["applied"] * ACTIONS)
    report.check("every resent action answered duplicate", statuses_again == ["duplicate"] * ACTIONS)
    report.check(
        "rows once",
        rows == ACTIONS and Attendance.objects.filter(programme=programme).count() == ACTIONS,
    )
    report.check("applied keys", AppliedAction.objects.filter(city=city).count() == ACTIONS)

    # Weight: what the service worker precaches, plus the kept data of a phone whose only club has 60 members.
    shell = 0
    for path in ("field/", "field/roster/", "field/bookcase/", "field/sw.js", "field/manifest.webmanifest"):
        shell += len(client.get(f"/{city.slug}/{path}").content)
    from django.contrib.staticfiles import finders

    shell += sum(Path(finders.find(p)).stat().st_size for p in STATIC_FILES)
    programme.sessions.update(date=dt.date.today())  # a day's sessions in the window
    bundle = len(json.dumps(client.get(f"{api}/bundle", HTTP_X_FIELD_DEVICE=device).json()).encode())
    report.figure("app shell (uncompressed)", shell / 1024, "KB")
    report.figure("kept data, club of 60", bundle / 1024, "KB")
    report.figure("shell + kept data", (shell + bundle) / 1024, "KB", target=300)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
