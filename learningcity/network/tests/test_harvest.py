"""A hub harvests a city that runs its own installation: the good copy is kept; a malformed, slow or lying feed
is refused with its reason and the last good copy stays.

Two installations: the other one is this project started in its own process, with its own SQLite database
(migrated, one city with a published practice and a shared value, served by `manage.py runserver` on 127.0.0.1);
the hub is the test's database. The broken feeds come from a small HTTP server run by the test."""

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from learningcity.network import selectors, services
from learningcity.network.models import RemoteCity
from learningcity.network.services.harvest import remote_city_add, remote_city_harvest
from learningcity.network.tasks import harvest_network

ROOT = Path(__file__).resolve().parents[3]
SETUP = """
import datetime as dt
from decimal import Decimal
from django.utils import timezone
from learningcity.analytics import selectors as analytics
from learningcity.core.services.cities import city_create
from learningcity.network import services
from learningcity.network.models import SharedValue
from learningcity.network.services.sharing import definition_of
analytics.ensure_catalogue()
city = city_create(actor=None, slug="luang-prabang", name_vi="Luông Pha Băng", name_en="Luang Prabang",
                   country_code="LA", center_lat=19.886, center_lon=102.135)
services.practice_create(actor=None, city=city, slug="crafts", language="en", published=True,
                         texts={"title": "Heritage crafts", "summary": "Artisans teach weaving."})
indicator = analytics.indicator_get(code="LC.PARTICIPATION")
services.indicator_share(actor=None, city=city, code=indicator.code, refresh=False)
SharedValue.objects.create(city=city, indicator_code=indicator.code, year=2025, value=Decimal("27.0"),
                           population=90000, unit="percent", definition=definition_of(indicator),
                           computed_at=timezone.now())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def other_installation(tmp_path_factory):
    env = {**os.environ, "DATA_DIR": str(tmp_path_factory.mktemp("other-installation")), "TESTING": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Generous guards against a hang, not timings: a fresh migrate of every app takes minutes on a loaded machine.
    run = {"env": env, "cwd": ROOT, "check": True, "timeout": 900, "capture_output": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
    subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], **run)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(500):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


class _Feeds(http.server.BaseHTTPRequestHandler):
    mode = "good"

    def do_GET(self):
        if _Feeds.mode == "slow":
            time.sleep(1.5)
        body = {
            "malformed": b"{not json",
            "other": json.dumps({"slug": "son-la", "practices": []}).encode(),
        }.get(_Feeds.mode, b"{}")
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the harvester gave up first (the slow feed)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_harvest_from_another_installation_and_keep_the_last_good_copy(
    db, other_installation, people, feed_server, monkeypatch
):
    from learningcity.analytics import selectors as analytics

    analytics.ensure_catalogue()
    hub = services.network_create(actor=None, slug="hub", name_vi="Hub")
    remote = remote_city_add(
        actor=people["network_admin"], network=hub, base_url=other_installation, slug="luang-prabang"
    )
    assert harvest_network.call(hub.pk, False) == 1
    remote.refresh_from_db()
    assert remote.payload["practices"][0]["title"] == "Heritage crafts"
    assert remote.name == "Luông Pha Băng"
    row = selectors.compare(network=hub, code="LC.PARTICIPATION", year=2025).rows[0]
    assert (row.city.slug, row.value, row.source) == ("luang-prabang", Decimal("27.0"), other_installation)
    good = remote.payload

    monkeypatch.setattr("learningcity.network.services.harvest.TIMEOUT_S", 0.5)
    for mode, reason in [
        ("malformed", "not valid JSON"),
        ("slow", "did not answer in time"),
        ("other", "claims to be another city"),
    ]:
        _Feeds.mode = mode
        bad = RemoteCity.objects.create(network=hub, base_url=feed_server, slug=f"city-{mode}")
        assert remote_city_harvest(remote=bad) is False
        bad.refresh_from_db()
        assert reason in bad.last_error
        assert bad.payload == {}
    # The other installation goes down: its last good copy stays, with the reason of the failed attempt.
    RemoteCity.objects.filter(pk=remote.pk).update(base_url="http://127.0.0.1:9")
    remote.refresh_from_db()
    assert remote_city_harvest(remote=remote) is False
    remote.refresh_from_db()
    assert remote.payload == good
    assert "could not be reached" in remote.last_error
    assert remote.harvested_at is not None


def test_the_hub_page_says_where_and_when(client, db):
    hub = services.network_create(actor=None, slug="hub", name_vi="Hub")
    RemoteCity.objects.create(
        network=hub, base_url="http://127.0.0.1:9", slug="x", name="X", last_error="down"
    )
    html = client.get("/networks/hub/").content.decode()
    assert "http://127.0.0.1:9" in html
    assert "not harvested yet" in html


def test_the_library_shows_harvested_practices_with_their_source(client, db):
    hub = services.network_create(actor=None, slug="hub", name_vi="Hub")
    RemoteCity.objects.create(
        network=hub,
        base_url="http://127.0.0.1:9",
        slug="luang",
        name="Luang Prabang",
        harvested_at=timezone.now(),
        payload={
            "practices": [{"slug": "crafts", "title": "Nghề thủ công truyền thống", "summary": "Lớp dệt."}]
        },
    )
    RemoteCity.objects.create(network=hub, base_url="http://127.0.0.1:8", slug="never", name="Never")
    html = client.get("/networks/hub/practices/", {"q": "nghe THU CONG"}).content.decode()
    assert "Nghề thủ công truyền thống" in html
    assert "http://127.0.0.1:9" in html
    assert "Nghề thủ công" not in client.get("/networks/hub/practices/", {"q": "chu thai"}).content.decode()
    # No facets of their own: a facet filter shows the network's practices only.
    assert (
        "Nghề thủ công"
        not in client.get("/networks/hub/practices/", {"q": "det", "kf": "BB1"}).content.decode()
    )
