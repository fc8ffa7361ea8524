"""No person or token of one city reads another city's non-public data or changes anything of it.

The walk is generated, not written by hand, so an endpoint added tomorrow is covered without touching this file:
- every named Django URL pattern (pages, exports, the Django admin) is reversed with the victim city's slug,
  with the attacker's own slug, and with the victim's object ids in every id parameter;
- every operation of the OpenAPI document is called the same way, with a request body built from its schema.

The victim is the Son La demo city exactly as `manage.py demo_load` builds it (every app's data); the attacker is
the city administrator, a space coordinator and an API token of another city (Huế).
- Reads of the victim's URLs must be refused (401/403/404/405, or a redirect to the login page) or show exactly
  what a logged-in person with no role anywhere sees (public-only content).
- Reads of the attacker's own URLs with the victim's ids must show none of the victim's records.
- Writes (the victim's own forms replayed, API bodies built from the schema) must change no row of the victim
  city, and leave no row of the attacker's city pointing at a row of the victim's.
Endpoints that anyone may write to (anonymous visitors get a success too) are only checked for not leaking.
"""

import json
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, reverse

from learningcity.core.models import User
from tests.walks import (
    ATTACKER,
    NOT_CITY_WRITES,
    VICTIM,
    Values,
    _api_operations,
    _attacker,
    _encode,
    _resolve,
    _victim,
    admin_params,
    body_of,
    canaries,
    cross_city_links,
    diff,
    example,
    fingerprint,
    harvest,
    normalized,
    refused,
    snapshot,
    url_patterns,
)

pytestmark = [pytest.mark.walk, pytest.mark.django_db(transaction=False)]


def test_no_city_reads_or_changes_another_citys_data():  # noqa: C901 - the cross-city walk: each branch is a case it reports
    victim, network = _victim()
    attacker, hue_admin, hue_space, raw_token = _attacker()
    resident = User.objects.create_user(
        "resident.x", password="a-resident-pw-2025", full_name="Plain Resident"
    )
    names = [
        str(hue_admin),
        str(hue_space),
        str(resident),
        hue_admin.username,
        hue_space.username,
        "resident.x",
    ]

    clients = {}
    for label, user in (
        ("admin", hue_admin),
        ("space", hue_space),
        ("resident", resident),
        ("legit", network),
    ):
        clients[label] = Client(raise_request_exception=False)
        clients[label].force_login(user)
    anon = Client(raise_request_exception=False)
    token = {"Authorization": f"Bearer {raw_token}"}
    values = Values(victim)
    secrets = canaries(victim, attacker)
    problems: list[str] = []
    public_writes: list[str] = []
    walked = {"pages": 0, "api": 0, "requests": 0}

    def get(client, path, **kw):
        walked["requests"] += 1
        return client.get(path, **kw)

    def check_read(path: str, own_city: bool, attackers: dict):
        baseline = None
        for who, (client, kw) in attackers.items():
            response = get(client, path, **kw)
            if response.status_code >= 500:
                problems.append(f"GET {path} as {who}: server error {response.status_code}")
            if own_city:
                text = body_of(response).decode(errors="replace") if response.status_code == 200 else ""
                leaked = [c for c in secrets if c in text]
                if leaked:
                    problems.append(f"GET {path} as {who}: shows the victim's records {leaked[:3]}")
            elif not refused(response):
                if baseline is None:
                    baseline = normalized(get(clients["resident"], path), names)
                if normalized(response, names) != baseline:
                    problems.append(f"GET {path} as {who}: {response.status_code}, more than the public sees")

    public_answers: dict = {}
    answered: list[str] = []

    def anyone_may_write(method, path, data, content_type, *_rest) -> bool:
        """True when anyone may write here (a public form): such endpoints are only checked for leaks."""
        if path.startswith("/admin/"):
            return False  # the Django admin is for staff accounts only
        before = fingerprint(victim)
        walked["requests"] += 2
        anon.generic(method, path, data, content_type=content_type)
        answer = clients["resident"].generic(method, path, data, content_type=content_type)
        public_answers[(method, path)] = normalized(answer, names)
        if fingerprint(victim) != before:
            public_writes.append(f"{method} {path}")
            return True
        return False

    def attacker_write(method, path, data, content_type, attackers: dict, victim_url: bool):
        # No per-request count here: the full snapshot before and after all attacker writes proves nothing changed.
        for who, (client, kw) in attackers.items():
            walked["requests"] += 1
            response = client.generic(method, path, data, content_type=content_type, **kw)
            if response.status_code >= 500:
                problems.append(f"{method} {path} as {who}: server error {response.status_code}")
            if not (refused(response) or response.status_code in (400, 422)):
                answered.append(f"{method} {path} as {who}: {response.status_code}")
                # Answered like a page (a view that ignores the method): only what a person with no role gets.
                if victim_url and normalized(response, names) != public_answers.get((method, path)):
                    problems.append(
                        f"{method} {path} as {who}: answered {response.status_code}, not a refusal"
                    )

    # ---- pages (and the Django admin)
    every_pattern = url_patterns()
    # Unnamed patterns cannot be reversed: only the admin's redirects to its named pages may be unnamed.
    unreachable = [
        route for name, _p, _a, route in every_pattern if name is None and not route.startswith("admin/")
    ]
    # Every API route is in the OpenAPI document, so the API walk below misses none.
    spec_paths = {p.removeprefix("/api/v1/") for p, *_ in _api_operations(anon)}
    api_routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r).removeprefix("api/v1/")
        for n, _p, _a, r in every_pattern
        if n and n.startswith("api:")
    }
    api_routes -= {"", "openapi.json", "docs"}  # the API root, its schema and its docs page
    assert api_routes <= spec_paths, (
        f"API routes missing from the OpenAPI document: {api_routes - spec_paths}"
    )
    page_patterns = [p[:3] for p in every_pattern if p[0] and not p[0].startswith("api:")]
    write_targets = []
    for name, params, app_label in page_patterns:
        params, admin_model = admin_params(name, params)
        slugs = [VICTIM, ATTACKER] if any(p[0] == "city_slug" for p in params) else [None]
        for slug in slugs:
            if admin_model is not None:
                row = (
                    admin_model._base_manager.filter(city=victim).first()
                    if hasattr(admin_model, "city")
                    else None
                )
                kwargs = {p[0]: (row.pk if row else 999999) for p in params}
            else:
                kwargs = values.for_params(params, app_label, slug or VICTIM)
            try:
                path = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                unreachable.append(name)
                continue
            walked["pages"] += 1
            own = slug == ATTACKER or slug is None
            check_read(
                path, own, {"city admin": (clients["admin"], {}), "space coordinator": (clients["space"], {})}
            )
            if name.split(":")[-1] not in NOT_CITY_WRITES and name not in ("home", "healthz"):
                write_targets.append((path, slug, kwargs, name))

    # ---- the API, from its OpenAPI document
    api_write_targets = []
    for path_template, method, op, components in _api_operations(anon):
        params = []
        segs = [s for s in path_template.split("/") if s]
        for param in op.get("parameters", []):
            if param.get("in") == "path":
                name = param["name"]
                idx = next(i for i, s in enumerate(segs) if s == "{" + name + "}")
                schema = _resolve(param.get("schema", {}), components)
                params.append((name, "int" if schema.get("type") == "integer" else "str", segs[:idx]))
        tags = op.get("tags") or []
        app_label = tags[0] if tags and tags[0] in {c.label for c in apps.get_app_configs()} else None
        slugs = [VICTIM, ATTACKER] if any(p[0] == "slug" for p in params) else [None]
        for slug in slugs:
            kwargs = values.for_params(params, app_label, slug or VICTIM)
            path = path_template.format(**kwargs)
            walked["api"] += 1
            own = slug == ATTACKER or slug is None
            if method == "GET":
                check_read(
                    path,
                    own,
                    {
                        "token": (anon, {"headers": token}),
                        "city admin (session)": (clients["admin"], {}),
                        "space coordinator (session)": (clients["space"], {}),
                    },
                )
            else:
                body = op.get("requestBody", {}).get("content", {})
                if "application/json" in body:
                    payload = example(body["application/json"]["schema"], components, "", values, app_label)
                    data, ctype = json.dumps(payload), "application/json"
                elif "multipart/form-data" in body:
                    data, ctype = "", "multipart/form-data; boundary=BoUnDaRy"
                else:
                    data, ctype = "", "application/json"
                api_write_targets.append((method, path, data, ctype, slug != ATTACKER))

    # ---- writes: the victim's own forms replayed, API bodies from the schema
    writes = []
    forms: dict = {}
    for path, slug, _kwargs, _name in write_targets:
        victim_path = path.replace(f"/{ATTACKER}/", f"/{VICTIM}/", 1) if slug == ATTACKER else path
        if victim_path not in forms and path.startswith("/admin/"):
            forms[victim_path] = {"_save": "Save"}  # the admin checks permissions before it reads the form
        if victim_path not in forms:
            page = body_of(clients["legit"].get(victim_path)).decode(errors="replace")
            forms[victim_path] = harvest(page, victim_path)
        form = forms[victim_path]
        attackers = {"city admin": (clients["admin"], {})}
        writes.append(
            ("POST", path, _encode(form), "application/x-www-form-urlencoded", attackers, slug == VICTIM)
        )
    for method, path, data, ctype, victim_url in api_write_targets:
        attackers = {"token": (anon, {"headers": token}), "city admin (session)": (clients["admin"], {})}
        writes.append((method, path, data, ctype, attackers, victim_url))
    # Anonymous first: what anyone may write to is public, not a breach; then a full snapshot, then the attackers.
    writes = [w for w in writes if not anyone_may_write(*w)]
    before_all = snapshot(victim)
    for write in writes:
        attacker_write(*write)
    changed = diff(before_all, snapshot(victim))
    assert not changed, (
        f"rows of the victim city changed: {changed}; writes that were not refused: {answered}"
    )
    links = cross_city_links(attacker, victim)

    assert not unreachable, (
        f"URL patterns the walk could not build (teach it their parameters): {unreachable}"
    )
    assert not problems, "\n".join(problems[:40])
    assert not links, f"rows of {ATTACKER} now point at rows of {VICTIM}: {links}"
    # The walk really walked: every core page and API operation, both cities, and the writes.
    assert walked["pages"] >= 20, walked
    assert walked["api"] >= 8, walked
    assert len(write_targets) + len(api_write_targets) >= 10
