"""Load profile of a learning city (locust): residents, club leaders taking attendance, staff on dashboards.

Generic on purpose: each simulated person starts from a few entry pages and follows the links the pages show
(same city, GET only, no exports or destructive pages), so whatever the apps offer when it runs is loaded, and a
page added later is found without a change here. Requests are grouped by URL pattern (digits become {id}).

Run by bench/bench_load.py against the production-like stack (scripts/prodstack.sh) on 127.0.0.1 only:
    locust -f bench/locustfile.py --headless -u 100 -r 20 -t 120s --host http://127.0.0.1:8100
Environment: LOAD_CITY (son-la), DEMO_PASSWORD, LOAD_TOKENS (JSON file {username: API token}).
"""

import datetime as dt
import json
import os
import random
import re

from locust import FastHttpUser, between, task

CITY = os.environ.get("LOAD_CITY", "son-la")
PASSWORD = os.environ.get("DEMO_PASSWORD", "hoctap-sonla-2024")
TOKENS = json.load(open(os.environ["LOAD_TOKENS"])) if os.environ.get("LOAD_TOKENS") else {}  # noqa: SIM115
API = f"/api/v1/cities/{CITY}"
LINK = re.compile(r'href="(/' + re.escape(CITY) + r'/[^"#?]*)"')
# Never follow: writes behind GET-looking links, downloads, logout, other languages, the admin.
SKIP = re.compile(
    r"logout|/export|\.ics$|\.json$|\.csv$|\.xlsx$|\.pdf$|/erase/|/merge/|/new/|/import|/edit/|/delete|/vote/"
    r"|/enter/|/files/|/assign/|/conflict|/meeting/|/mark/|/learner/|/headcount/|/admin/|/i18n/|/photos/"
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAX_LINKS = 400


def pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|\.|$)", "/{id}", path)


_started = {"n": 0}


def started(user) -> None:
    """Called at the end of every user's on_start. Once the last user has arrived and logged in, the statistics
    restart (LOAD_STEADY=1, the default): the figures are the steady state, not the ramp-up, where every user
    logs in (Argon2, deliberately slow) within the same few seconds, which real users spread over a day."""
    _started["n"] += 1
    runner = user.environment.runner
    target = getattr(runner, "target_user_count", None) or 0
    if os.environ.get("LOAD_STEADY", "1") == "1" and _started["n"] == target:
        runner.stats.reset_all()
        print(f"steady state from here: {target} users started", flush=True)


class CityVisitor(FastHttpUser):
    abstract = True
    # Think time between two pages: 1-3 s is a busy person (the default, a stress figure); LOAD_WAIT="5,15" is
    # closer to a resident reading on a phone.
    wait_time = between(*[float(x) for x in os.environ.get("LOAD_WAIT", "1,3").split(",")])
    entry: tuple[str, ...] = ()
    staff_area = False

    def on_start(self):
        self.links = list(self.entry)
        self.seen = set(self.links)

    def visit(self, path: str):
        with self.client.get(path, name=pattern(path), catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return
            if "text/html" in response.headers.get("Content-Type", "") and len(self.seen) < MAX_LINKS:
                for link in LINK.findall(response.text):
                    if link in self.seen or SKIP.search(link):
                        continue
                    if ("/manage/" in link) != self.staff_area and link != f"/{CITY}/":
                        continue
                    self.seen.add(link)
                    self.links.append(link)

    def login(self, username: str):
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF.search(page.text)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="/accounts/login/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # A good login redirects away from the login page; a refused one shows the form again (200).
            if response.status_code != 302 or "/accounts/login/" in (response.headers.get("Location") or ""):
                response.failure(f"login of {username} failed")

    @task
    def browse(self):
        self.visit(random.choice(self.links))


class Resident(CityVisitor):
    """Looks at the map, the spaces, the calendar, programmes and results; the map page loads the GeoJSON."""

    weight = 7
    entry = (
        f"/{CITY}/",
        f"/{CITY}/spaces/",
        f"/{CITY}/spaces/map/",
        f"/{CITY}/calendar/",
        f"/{CITY}/programmes/",
        f"/{CITY}/competitions/",
        f"/{CITY}/participation/",
        f"/{CITY}/indicators/",
    )

    def on_start(self):
        super().on_start()
        started(self)

    @task(2)
    def map_data(self):
        self.client.get(f"{API}/spaces.geojson", name=f"{API}/spaces.geojson")

    @task(1)
    def sessions_this_week(self):
        self.client.get(f"{API}/sessions", name=f"{API}/sessions")


class ClubLeader(CityVisitor):
    """A club leader on her phone: opens her sessions and saves the attendance roster (API, with her token)."""

    weight = 2
    staff_area = True
    accounts = ("coord.chiengcoi", "space.meban", "admin")

    def on_start(self):
        self.username = random.choice([a for a in self.accounts if a in TOKENS] or ["admin"])
        self.auth = {"Authorization": f"Bearer {TOKENS.get(self.username, '')}"}
        self.login(self.username)
        self.entry = (f"/{CITY}/manage/programmes/", f"/{CITY}/manage/")
        super().on_start()
        self.sessions = []
        self.rosters: dict[int, list[int]] = {}
        today = dt.date.today()
        window = (
            f"from={today - dt.timedelta(days=14)}&to={today}"  # this fortnight's sessions, so people came
        )
        listed = self.client.get(
            f"{API}/sessions?{window}&limit=50", name=f"{API}/sessions", headers=self.auth
        )
        if listed.status_code == 200:
            body = listed.json()
            items = (
                body["items"] if isinstance(body, dict) else body
            )  # paginated: {"items": [...], "count": n}
            for item in items[:50]:
                probe = self.client.get(
                    f"{API}/sessions/{item['id']}/attendance",
                    name=f"{API}/sessions/{{id}}/attendance",
                    headers=self.auth,
                    catch_response=True,
                )
                with probe as response:
                    if response.status_code == 200:
                        self.sessions.append(item["id"])
                    response.success()  # a session of someone else's club is not an error here
                if len(self.sessions) >= 5:
                    break
        started(self)

    @task(3)
    def take_attendance(self):
        if not self.sessions:
            return
        session = random.choice(self.sessions)
        url = f"{API}/sessions/{session}/attendance"
        roster = self.client.get(url, name=f"{API}/sessions/{{id}}/attendance", headers=self.auth)
        if roster.status_code != 200:
            return
        # One tap: the leader unticks someone who was ticked by mistake, or ticks them back (the roster she
        # saved last time), so every save writes attendance and the figures behind it.
        present = [row["learner_id"] for row in roster.json()]
        full = self.rosters.setdefault(session, present)
        ids = full if len(present) < len(full) or len(full) < 2 else random.sample(full, len(full) - 1)
        with self.client.put(
            url,
            json={"learner_ids": ids},
            name=f"{API}/sessions/{{id}}/attendance (PUT)",
            headers=self.auth,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Staff(CityVisitor):
    """City staff on the back office and the dashboards (participation, coverage, audit)."""

    weight = 1
    staff_area = True
    accounts = ("admin", "coord.chiengcoi", "network")

    def on_start(self):
        self.login(random.choice(self.accounts))
        self.entry = (f"/{CITY}/manage/",)
        super().on_start()
        started(self)
