"""Every URL and every API operation, for every kind of person, against the role matrix in docs/roles.toml.

The walk is generated from the URL configuration and the OpenAPI document, so an endpoint added tomorrow is
walked without touching this file; an endpoint with no line in docs/roles.toml fails the test and names itself.
docs/roles.toml is also the source of the generated table in docs/roles.md (`python tests/test_role_walk.py`
rewrites it; the test fails when the two differ), so the documentation and the test cannot drift apart.

The city is the small Son La demo (every app's data), with one person per column of the matrix:
anonymous; a resident (a plain account with no role, the entrant of one competition entry); a viewer; a judge
(on the jury of the entry the walk opens); the coordinator of the Mé Ban house of wisdom (leader of its
programme); the coordinator of Chiềng Cơi ward (Mé Ban lies in it); the city administrator; the network
administrator; and an API token of the city administrator (an integration). Ids in the URLs are those objects:
the Mé Ban space, a programme and session there, a learner and an area in Chiềng Cơi, the judge's assignment,
the resident's entry. Per-object refusals (the coordinator of Tô Hiệu and Chiềng Cơi's space) are asserted in
tests/test_role_matrix.py and in the apps' tests.

Each URL is asked with GET; page URLs also with POST, carrying the form a page offers for that URL (as the most
able person saw it, so a write can really happen) or an empty form; API writes carry a body built from the
schema. Every request runs in a savepoint that is rolled back, so the walk sees one unchanging city.
Allowed: any answer that is not a refusal and not a server error (a 2xx, a redirect other than to the login
page, a form error 400/422). Refused: a redirect to the login page (anonymous only), 401, 403, 404. 405 (wrong
method) is neither. For reads the matrix is asserted both ways; for writes, an allowed person must not be
refused and anyone else must change no row of the city (row counts of every city table, audit trail included:
services audit every write; when the answer was a refusal, no new audit entry). A server error fails the walk
whatever the matrix says.
Run with ROLE_WALK_PRINT=1 and -s to see what each person got and the slowest URLs.
"""

import fnmatch
import json
import os
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
MATRIX_FILE = ROOT / "docs" / "roles.toml"
DOC_FILE = ROOT / "docs" / "roles.md"
BEGIN = "<!-- role-walk matrix: generated from docs/roles.toml by `python tests/test_role_walk.py` -->"
END = "<!-- end of the role-walk matrix -->"


# ------------------------------------------------------------------------ the matrix (no Django needed here)
def load_matrix(path: Path = MATRIX_FILE) -> dict:
    return tomllib.loads(path.read_text())


def expand(value, matrix: dict) -> set[str]:
    """A cell of the matrix: a group name, a person, or a list of them."""
    people = matrix["people"]
    groups = matrix["groups"]
    items = [value] if isinstance(value, str) else list(value)
    found: set[str] = set()
    for item in items:
        if item == "nobody":
            continue
        if item in groups:
            found |= expand(groups[item], matrix)
        elif item in people:
            found.add(item)
        else:
            raise ValueError(f"docs/roles.toml: {item!r} is neither a person nor a group")
    return found


def rule_for(section: dict, key: str):
    """The rule of an exact key, else of the longest matching pattern (only the Django admin uses patterns)."""
    if key in section:
        return section[key]
    patterns = sorted((k for k in section if "*" in k and fnmatch.fnmatchcase(key, k)), key=len, reverse=True)
    return section[patterns[0]] if patterns else None


def expected(matrix: dict, kind: str, key: str, method: str) -> set[str] | None:
    """Who is allowed `method` on the URL (kind "pages") or API operation (kind "api"); None: no line."""
    rule = rule_for(matrix[kind], key)
    if rule is None:
        return None
    if isinstance(rule, dict):
        rule = rule.get(method.lower(), rule.get("all"))
        if rule is None:
            return None
    return expand(rule, matrix)


def render_doc(matrix: dict) -> str:
    """The markdown table of docs/roles.md: one row per URL name and API operation, one column per person."""
    people = matrix["people"]
    labels = matrix["labels"]
    head = "| URL or operation | " + " | ".join(labels[p] for p in people) + " |"
    lines = [BEGIN, "", head, "|---" * (len(people) + 1) + "|"]

    def cells(allowed_get, allowed_post):
        out = []
        for p in people:
            g, w = p in allowed_get, allowed_post is not None and p in allowed_post
            if allowed_post is None or allowed_post == allowed_get:
                out.append("yes" if g else "no")
            else:
                out.append(
                    {(True, True): "yes", (True, False): "read", (False, True): "write"}.get((g, w), "no")
                )
        return out

    for kind, title in (("pages", "page"), ("api", "API")):
        for key in sorted(matrix[kind]):
            rule = matrix[kind][key]
            if isinstance(rule, dict):
                first = next(iter(rule))
                get = expand(rule.get("get", rule.get("all", rule[first])), matrix)
                post_rule = rule.get("post", rule.get("all"))
                post = expand(post_rule, matrix) if post_rule is not None else None
            else:
                get = expand(rule, matrix)
                post = None
            note = matrix.get("notes", {}).get(key)
            name = f"{title} `{key}`" + (f" ({note})" if note else "")
            lines.append(f"| {name} | " + " | ".join(cells(get, post)) + " |")
    lines += ["", END]
    return "\n".join(lines)


def write_doc() -> None:
    text = DOC_FILE.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    DOC_FILE.write_text(text[:start] + render_doc(load_matrix()) + text[end:])


if __name__ == "__main__":
    write_doc()
    sys.exit(0)


# --------------------------------------------------------------------------------------------------- the walk
import pytest  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from learningcity.core.demo import DemoContext, create_city  # noqa: E402
from learningcity.core.models import Area, City, Role  # noqa: E402
from learningcity.core.registry import app_modules  # noqa: E402
from learningcity.core.services.accounts import api_token_create  # noqa: E402
from tests.walks import (  # noqa: E402
    VICTIM,
    FormHarvester,
    Values,
    _api_operations,
    _resolve,
    example,
    fingerprint,
    url_patterns,
)

pytestmark = [pytest.mark.walk, pytest.mark.django_db(transaction=False)]

# Asking these with POST would end the person's session or change their language: walked with GET only.
GET_ONLY = {"logout", "set_language"}


def _demo() -> tuple[City, DemoContext]:
    city = create_city()
    ctx = DemoContext(city=city, password="demo-password-123", log=lambda *a: None, small=True)
    for module in sorted(app_modules("demo"), key=lambda m: getattr(m, "ORDER", 100)):
        module.load(ctx)
    return city, ctx


class Chosen(Values):
    """The demo's rows the walk puts in URLs: those the scoped people hold (see the module docstring)."""

    def __init__(self, city: City, preferred: dict, fixed: dict):
        super().__init__(city)
        self.preferred = preferred  # model -> queryset of preferred rows
        self.fixed = fixed  # parameter name -> value

    def for_params(self, params, app_label, slug):
        names = {p[0] for p in params}
        values = super().for_params(params, app_label, slug)
        for name, _kind, before in params:
            if (
                name == "slug" and "city_slug" in names
            ):  # pages: the city is <city_slug>, <slug> a competition
                values[name] = self.fixed["competition_slug"]
            elif name == "slug" and before and before[-1] == "events":  # the conferences API names an event
                values[name] = self.fixed["event_slug"]
            elif name == "token" and "files" in before:
                values[name] = self.fixed["file_token"]
            elif name in self.fixed:
                values[name] = self.fixed[name]
        return values

    def row(self, model, chosen: dict):
        qs = self.preferred.get(model)
        if qs is not None:
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in chosen:
                    narrowed = qs.filter(**{field.attname: chosen[field.related_model].pk})
                    if narrowed.exists():
                        return narrowed.first()
            if qs.exists():
                return qs.first()
        return super().row(model, chosen)


def _cast(city: City, ctx: DemoContext):
    """The people of the matrix and the rows the walk opens."""
    from learningcity.analytics.models import Indicator, ManualValue
    from learningcity.competitions.models import Assignment, Entry, EntryFile
    from learningcity.core.models import User
    from learningcity.places.models import LearningSpace, OpeningException, SpacePhoto
    from learningcity.programmes.models import ImportBatch, Learner, Programme, Session

    users = ctx.users
    chieng_coi = users["coord.chiengcoi"].role_assignments.get(city=city).area
    meban = LearningSpace.objects.filter(city=city, coordinators=users["space.meban"]).order_by("pk").first()
    programme = Programme.objects.filter(city=city, leaders=users["space.meban"], spaces=meban).order_by("pk")
    judge = users["judge"]
    # One entry: the judge is assigned to it, the resident entered it, it is in the gallery and has a file.
    assignment = Assignment.objects.filter(city=city, judge=judge).order_by("pk")
    entry = assignment.first().entry
    resident = User.objects.create_user("resident.walk", password="a-resident-pw-2025", full_name="Cư dân")
    Entry.objects.filter(pk=entry.pk).update(entrant=resident, gallery_consent=True)
    file = EntryFile.objects.filter(city=city).order_by("pk").first()
    file.pk, file.entry, file.token = None, entry, "walk0000000000000000000000000001"
    file.save()
    # Rows the demo leaves out that some URLs need: a closing day and a photo of Mé Ban, an import batch.
    OpeningException.objects.create(
        city=city, space=meban, date_from="2030-01-01", date_to="2030-01-02", note="Tết"
    )
    SpacePhoto.objects.create(city=city, space=meban, image="walk.jpg", width=1, height=1, caption="Mé Ban")
    ImportBatch.objects.create(city=city, actor=users["space.meban"], file_name="walk.csv")
    people = {
        "anonymous": None,
        "resident": resident,
        "viewer": users["viewer"],
        "judge": judge,
        "space_coordinator": users["space.meban"],
        "area_coordinator": users["coord.chiengcoi"],
        "city_admin": users["admin"],
        "network_admin": users["network"],
        "token": None,
        "librarian": users["thuvien"],  # the city library's cataloguer (the library's demo)
    }
    _, raw = api_token_create(actor=users["admin"], user=users["admin"], city=city, name="role walk")
    in_ward = {"area__path__startswith": chieng_coi.path}
    preferred = {
        Area: Area.objects.filter(city=city, path__startswith=chieng_coi.path).order_by("-depth", "pk"),
        LearningSpace: LearningSpace.objects.filter(pk=meban.pk),
        OpeningException: OpeningException.objects.filter(space=meban),
        SpacePhoto: SpacePhoto.objects.filter(space=meban),
        Programme: programme,
        Session: Session.objects.filter(programme__in=programme).order_by("pk"),
        Learner: Learner.objects.filter(city=city, **in_ward).order_by("pk"),
        ImportBatch: ImportBatch.objects.filter(city=city).order_by("pk"),
        Assignment: assignment,
        Entry: Entry.objects.filter(pk=entry.pk),
        EntryFile: EntryFile.objects.filter(pk=file.pk),
        ManualValue: ManualValue.objects.filter(city=city).order_by("pk"),
    }
    indicator = Indicator.objects.order_by("code").first()
    from learningcity.network.models import PracticeFile

    fixed = {
        # network pages (/networks/...): the demo network, a practice and a cluster of it
        "network_slug": "asean3-demo",
        "practice_slug": "thai-script-clubs",
        "cluster_code": "equity",
        "lang": "en",
        "file_id": PracticeFile.objects.filter(city=city).order_by("pk").values_list("pk", flat=True).first(),
        "competition_slug": entry.competition.slug,
        "receipt": entry.receipt,
        "code": indicator.code,
        "file_token": file.token,
        "event_slug": "asean3-lc-2024",  # the conferences demo's conference (learningcity/conferences/demo.py)
    }
    return people, raw, Chosen(city, preferred, fixed)


def _admin_model(name: str):
    """The model an admin URL name is about (admin:<app>_<model>_<view>), through the admin's own registry."""
    from django.contrib import admin

    if name == "admin:auth_user_password_change":
        return admin.site._registry and next(m for m in admin.site._registry if m._meta.model_name == "user")
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix) and name[len(prefix) :] in ("change", "delete", "history"):
            return model
    return None


def _admin_rows() -> None:
    """A row in each table of the Django admin that the demo leaves empty (so its pages show a real object)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    City.objects.create(slug="walk-empty", name_vi="Trống", is_public=False)  # its delete page lists nothing
    Group.objects.create(name="walk")
    seen = {
        "user_agent": "walk",
        "ip_address": "127.0.0.1",
        "username": "x",
        "http_accept": "*/*",
        "path_info": "/",
    }
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**seen)
    AccessLog.objects.create(**seen)
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    DBTaskResult.objects.create(
        enqueued_at=now,
        run_after=now,
        args_kwargs={},
        task_path="walk",
        backend_name="default",
        exception_class_path="",
        traceback="",
    )


def html_errors(html: str) -> list[str]:
    """What a strict HTML5 parser (html5lib, the WHATWG algorithm) and a URL check say of a page: [] when clean.

    Catches what the W3C checker found from outside: text that opens a tag ("<5" unescaped), stray end tags,
    duplicate attributes; and links whose URL holds a space (a `tel:` number written with spaces)."""
    import html5lib

    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    tree = parser.parse(html)
    found = [
        f"line {line}:{col} {html5lib.constants.E.get(code, code) % (data or {})}"
        for (line, col), code, data in parser.errors
    ]
    for element in tree.iter():
        for attr in ("href", "src", "action"):
            value = element.get(attr)
            if value and (" " in value.strip() or "\n" in value):
                found.append(f'<{element.tag} {attr}="{value[:60]}">: a URL with a space')
    return found


def _outcome(response) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        return "error"
    if status == 405:
        return "wrong method"
    if status in (401, 403, 404) or (
        status in (301, 302) and ("/accounts/login/" in location or "/admin/login/" in location)
    ):
        return "refused"
    return "allowed"


def _last_audit_id() -> int:
    from django.db.models import Max

    from learningcity.core.models import AuditEntry

    return AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def _probe(client: Client, method: str, path: str, data, content_type: str, baseline, check: str, **extra):
    """One request in a savepoint that is rolled back, so every request finds the same city (`baseline`).

    check "rows": did the request change the city's rows (row counts of every city table, audit trail included:
    services audit every write, so an edit adds a row too)? "audit": did it add an audit entry (one cheap query,
    for writes that were refused anyway)? "": not asked."""
    city, rows, audit = baseline
    with transaction.atomic():
        response = client.generic(method, path, data, content_type=content_type, **extra)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        if check == "rows" or (check == "refused?" and _outcome(response) != "refused"):
            wrote = fingerprint(city) != rows
        elif check in ("audit", "refused?"):
            wrote = _last_audit_id() != audit
        else:
            wrote = False
        transaction.set_rollback(True)
    return response, wrote


def _forms(html: str, page: str) -> dict[str, dict]:
    """Every POST form of a page, by the path it posts to, with the values a browser would send."""
    parser = FormHarvester()
    parser.feed(html)
    found: dict[str, dict] = {}
    for form in parser.forms:
        action = (form["action"] or page).split("?")[0]
        if not action.startswith("/"):
            continue
        data: dict = defaultdict(list)
        for name, value in form["fields"]:
            data[name].append(value or "")
        found.setdefault(action, {k: v if len(v) > 1 else v[0] for k, v in data.items()})
    return found


def test_every_url_and_operation_for_every_person_follows_the_role_matrix():  # noqa: C901 - the walk itself: each branch is a case it reports
    matrix = load_matrix()
    city, ctx = _demo()
    people, raw_token, values = _cast(city, ctx)
    _admin_rows()
    clients: dict[str, Client] = {}
    for who, user in people.items():
        clients[who] = Client(raise_request_exception=False)
        if user is not None:
            clients[who].force_login(user)
    headers = {"token": {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}}

    probes = []  # (kind, key, method, path, data, content type)
    unreachable, missing = [], []

    for name, params, app_label, _route in url_patterns():
        if name is None or name.startswith("api:"):
            continue
        admin_model = _admin_model(name)
        if admin_model is not None:
            # The newest row: for cities an empty one (the admin's delete page of the demo city lists it all).
            qs = admin_model._base_manager.order_by("-pk")
            row = qs.filter(city=city).first() if hasattr(admin_model, "city") else qs.first()
            kwargs = {p[0]: (row.pk if row else 999999) for p in params}
        else:
            kwargs = values.for_params(params, app_label, VICTIM)
        try:
            path = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            unreachable.append(name)
            continue
        probes.append(("pages", name, "GET", path, "", "text/html"))
        # A POST to a page everyone may read, with no rule of its own for POST, cannot cross the matrix.
        public = rule_for(matrix["pages"], name) == "everyone"
        if name.split(":")[-1] not in GET_ONLY and not name.startswith("admin:") and not public:
            probes.append(("pages", name, "POST", path, "", "application/x-www-form-urlencoded"))

    for template, method, op, components in _api_operations(Client()):
        params = []
        segs = [s for s in template.split("/") if s]
        for param in op.get("parameters", []):
            if param.get("in") == "path":
                idx = segs.index("{" + param["name"] + "}")
                schema = _resolve(param.get("schema", {}), components)
                params.append(
                    (param["name"], "int" if schema.get("type") == "integer" else "str", segs[:idx])
                )
        tags = op.get("tags") or []
        kwargs = values.for_params(params, tags[0] if tags else None, VICTIM)
        path = template.format(**kwargs)
        key = f"{method} {template.removeprefix('/api/v1')}"
        data, ctype = "", "application/json"
        body = op.get("requestBody", {}).get("content", {})
        if "application/json" in body:
            data = json.dumps(example(body["application/json"]["schema"], components, "", values, None))
        elif "multipart/form-data" in body:
            ctype = "multipart/form-data; boundary=BoUnDaRy"
        probes.append(("api", key, method, path, data, ctype))

    for kind, key, method, *_ in probes:
        if expected(matrix, kind, key, method) is None:
            missing.append(f"[{kind}] {key!r} ({method})")
    assert not unreachable, f"URL patterns the walk could not build (teach Chosen their rows): {unreachable}"
    discover = os.environ.get("ROLE_WALK_PRINT") == "1"
    assert discover or not missing, (
        "endpoints with no line in docs/roles.toml: say who may use them there, then run "
        "`python tests/test_role_walk.py` to update docs/roles.md:\n  " + "\n  ".join(sorted(set(missing)))
    )

    problems, seen, timing = [], {}, {}
    html_seen: dict[str, int] = {}  # a page checked once per distinct length (the people's menus differ)
    baseline = (city, fingerprint(city), _last_audit_id())  # every probe is rolled back: the city stays so
    forms: dict[
        str, dict
    ] = {}  # action path -> the fields of the first form found there (as a browser sends)
    probes.sort(
        key=lambda p: p[2] != "GET"
    )  # every read first: the forms the writes send come from the pages
    for kind, key, method, path, data, ctype in probes:
        allowed = expected(matrix, kind, key, method) or set()
        write = method != "GET"
        if write and kind == "pages" and path in forms:
            data = urlencode(forms[path], doseq=True)
        for who in reversed(matrix["people"]):  # the most able first: their pages carry the fullest forms
            started = time.perf_counter()
            # Writes by people the matrix refuses: every city row compared when the answer was not a refusal,
            # the audit trail when it was (a refusal after a write would still show there).
            check = "refused?" if write and who not in allowed else "rows" if write and discover else ""
            response, wrote = _probe(
                clients[who], method, path, data, ctype, baseline, check, **headers.get(who, {})
            )
            timing[key] = timing.get(key, 0.0) + time.perf_counter() - started
            got = _outcome(response)
            seen[(kind, key, method, who)] = (got + ("+wrote" if wrote else ""), response.status_code)
            if got == "error":
                problems.append(f"{method} {path} as {who}: server error {response.status_code}")
            elif not write and got == "allowed" and "html" in response.get("Content-Type", ""):
                html = response.content.decode(errors="replace")
                for action, fields in _forms(html, path).items():
                    forms.setdefault(action, fields)
                if response.status_code == 200 and (key, html_seen.get(key)) != (key, len(html)):
                    html_seen[key] = len(html)
                    problems += [f"GET {path} as {who}: {error}" for error in html_errors(html)]
            if who not in allowed and wrote:
                problems.append(f"{method} {path} [{key}] as {who}: changed the city's rows, matrix: refused")
            if got == "refused" and kind == "pages" and not key.startswith("admin:"):
                to_login = response.status_code in (301, 302)
                if who == "anonymous" and not (to_login or response.status_code == 404):
                    problems.append(
                        f"{method} {path} as anonymous: {response.status_code}, not sent to log in"
                    )
                if who not in ("anonymous", "token") and to_login:
                    problems.append(f"{method} {path} as {who}: sent to log in again, not told 403/404")
            if got == "wrong method":
                continue
            if who in allowed and got != "allowed":
                problems.append(
                    f"{method} {path} [{key}] as {who}: {got} ({response.status_code}), matrix: allowed"
                )
            elif who not in allowed and got == "allowed" and not write:
                problems.append(
                    f"{method} {path} [{key}] as {who}: allowed ({response.status_code}), matrix: refused"
                )

    if discover:
        _print_observed(seen, matrix)
        for key, spent in sorted(timing.items(), key=lambda kv: -kv[1])[:20]:
            print(f"time {spent:6.2f} s {key}")
        print(f"time {sum(timing.values()):6.2f} s in all {len(probes)} probes")
    assert not problems, f"{len(problems)} answers differ from docs/roles.toml:\n" + "\n".join(problems[:80])
    # Lines of the matrix that no endpoint uses any more (a renamed URL) are dead weight: remove them.
    used = {(k, key) for k, key, *_ in probes}
    stale = [
        f"[{k}] {key}"
        for k in ("pages", "api")
        for key in matrix[k]
        if "*" not in key and (k, key) not in used
    ]
    assert not stale, f"docs/roles.toml names endpoints that no longer exist: {stale}"


def _print_observed(seen: dict, matrix: dict) -> None:
    """With ROLE_WALK_PRINT=1 (and -s): what each person got, for writing the matrix by reading (never by copying blindly)."""
    rows: dict = {}
    for (kind, key, method, who), (got, status) in seen.items():
        rows.setdefault((kind, key, method), {})[who] = f"{status}{'+' if got == 'allowed' else ''}"
    for (kind, key, method), cells in sorted(rows.items()):
        print(kind, method, key, " ".join(f"{w}={cells.get(w, '-')}" for w in matrix["people"]))


def test_docs_roles_md_shows_the_matrix_the_walk_asserts():
    text = DOC_FILE.read_text()
    assert BEGIN in text, "docs/roles.md lost its generated section"
    assert END in text, "docs/roles.md lost its generated section"
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == render_doc(load_matrix()), (
        "docs/roles.md differs from docs/roles.toml: run `python tests/test_role_walk.py`"
    )


def test_every_role_of_the_model_has_a_column():
    matrix = load_matrix()
    assert {r.value for r in Role} <= set(matrix["people"]), "a new Role needs a column in docs/roles.toml"
    for name, members in matrix["groups"].items():
        expand(members, matrix)  # raises on a misspelt person or group
        assert name not in matrix["people"]
