"""Benchmark: a phone back from days offline sends 500 waiting actions (ticks on the rosters of a club of 60
members over nine sessions) through the sync API in batches of 50, as the field app does (target: all applied in
under 10 s), beside a baseline measured in the same run on a twin club: the same 500 ticks applied straight
through the programmes service (`attendance_mark`), without HTTP, keys or the applied-actions table. Then the
same 500 sent again (a lost answer): all answered "duplicate", nothing doubled. Also the weight of the app shell
(pages, scripts, styles, icons, as the service worker precaches them) plus the club's kept data (target 300 KB).
Then the phone itself: Chromium (Debian's, through Playwright) with a persistent profile prepares the app against a
live server started by the bench on 127.0.0.1 (a free port, this run's database), goes offline, and opens the roster
of the club of 60 from the service worker's cache with the CPU slowed four times (CDP
`Emulation.setCPUThrottlingRate`, a low-end phone): target under 1 s to a rendered roster (`data-field-ready`),
median of five openings, beside the same opening unthrottled measured in the same run.
Checks: 500 attendance rows once, 500 applied keys, no change on the resend, the roster shown offline.
Writes var/bench/fieldwork.json; exits 1 when a target is missed or a check fails.

Run: .venv/bin/python bench/bench_fieldwork.py   (a temporary SQLite file, or DATABASE_URL pointing at a scratch
PostgreSQL database; the browser part needs /usr/bin/chromium, or CHROMIUM_PATH)
"""

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TESTING"] = "1"
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="lc_bench_fieldwork_"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM beside Playwright's event loop

import django

django.setup()

import datetime as dt  # noqa: E402

from _report import Report  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

ACTIONS, MEMBERS, SESSIONS, BATCH = 500, 60, 9, 50
OPENINGS, CPU_SLOWDOWN = 5, 4
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


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
    phone_opens_roster_offline(report, client, city, pairs[0][0])
    return report.finish()


def phone_opens_roster_offline(report: Report, client, city, session) -> None:
    """The roster of the club of 60 opened offline from the worker's cache, on a phone slowed four times."""
    if not Path(CHROMIUM).exists():
        report.check("roster opened offline on a throttled phone", False, f"no Chromium at {CHROMIUM}")
        return
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import expect, sync_playwright

    from conftest import CHROMIUM_ARGS  # the browser tests' flags (the checkout's root is on sys.path)

    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)  # what StaticLiveServerTestCase starts
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    roster = f"{base}/{city.slug}/field/roster/?session={session.pk}"
    profile = tempfile.mkdtemp(prefix="lc_bench_phone_")
    try:
        with sync_playwright() as pw:
            phone = pw.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                args=CHROMIUM_ARGS,
                headless=True,
                viewport={"width": 360, "height": 740},
                locale="vi-VN",
            )
            phone.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": base,
                    }
                ]
            )
            page = phone.new_page()
            page.goto(f"{base}/{city.slug}/field/")
            page.wait_for_selector("html[data-field-ready]")
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the shell is cached
            page.click("#refresh")  # and the club's data kept
            expect(page.locator("#kept")).to_have_attribute("data-people", re.compile("^[1-9]"))
            phone.set_offline(True)
            cdp = phone.new_cdp_session(page)

            def opening(rate: int) -> float:
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                times = []
                for _ in range(OPENINGS):
                    page.goto("about:blank")
                    begin = time.perf_counter()
                    page.goto(roster)
                    page.wait_for_selector("html[data-field-ready]")
                    times.append(time.perf_counter() - begin)
                return statistics.median(times)

            opening(1)  # a first opening warms the worker, as a phone used every day has it
            unthrottled = opening(1)
            throttled = opening(CPU_SLOWDOWN)
            shown = page.locator("#people li").count()
            phone.close()
    finally:
        server.terminate()
        server.join()
        shutil.rmtree(profile, ignore_errors=True)
    report.figure(
        f"roster of {MEMBERS} offline, CPU /{CPU_SLOWDOWN} (median of {OPENINGS})",
        throttled,
        "s",
        target=1,
        baseline=unthrottled,
        baseline_label="the same opening, CPU not slowed",
    )
    report.check("roster opened offline on a throttled phone", shown == MEMBERS, f"{shown} people shown")


if __name__ == "__main__":
    sys.exit(main())
